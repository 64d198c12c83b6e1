package com.bookstore.events.stock;

/** A quantity of one book, by ISBN. */
public record StockLine(String isbn, int quantity) {}
