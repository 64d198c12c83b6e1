package com.bookstore.events.book;

import com.bookstore.events.payment.Money;
import java.util.List;

/** Fact: a book entered the catalog (or was re-added), with its price. */
public record BookAdded(String isbn, String title, List<String> authors, Money price) {}
