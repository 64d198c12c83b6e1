package com.bookstore.events.stock;

import com.bookstore.events.OrderEvent;

/** Command (a compensation): give the order's held copies back. Succeeds even with no hold. */
public record ReleaseStock(String orderId, String reason) implements OrderEvent {}
