package com.bookstore.events.book;

import com.bookstore.events.payment.Money;

/** Fact: a book's price changed; orders placed from now on are priced at {@code newPrice}. */
public record BookPriceChanged(String isbn, Money oldPrice, Money newPrice) {}
