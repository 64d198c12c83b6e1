package com.bookstore.events.stock;

import com.bookstore.events.OrderEvent;

/** Command: the order is paid for; turn its hold into a sale. */
public record CommitStock(String orderId) implements OrderEvent {}
