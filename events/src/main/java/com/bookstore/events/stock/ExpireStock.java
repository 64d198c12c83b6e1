package com.bookstore.events.stock;

import com.bookstore.events.OrderEvent;

/** Command (from the sweep): give back the order's hold if it is still held past its expiry. */
public record ExpireStock(String orderId) implements OrderEvent {}
