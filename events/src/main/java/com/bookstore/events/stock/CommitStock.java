package com.bookstore.events.stock;

/** Command: the order is paid for; turn its hold into a sale. */
public record CommitStock(String orderId) {}
