package com.bookstore.events.order;

import com.bookstore.events.payment.Money;

/** One line of an order, priced by the catalog when the order was placed. */
public record OrderLine(String isbn, int quantity, Money unitPrice) {}
