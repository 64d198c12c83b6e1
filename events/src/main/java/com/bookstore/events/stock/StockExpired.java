package com.bookstore.events.stock;

import com.bookstore.events.OrderEvent;
import java.util.List;

/**
 * Fact: the order's expired hold was given back; {@code items} is empty when nothing was due (the
 * hold was committed, released, or its expiry moved).
 */
public record StockExpired(String orderId, List<StockLine> items) implements OrderEvent {}
