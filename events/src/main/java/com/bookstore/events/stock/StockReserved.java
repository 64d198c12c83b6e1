package com.bookstore.events.stock;

import com.bookstore.events.OrderEvent;
import java.time.Instant;
import java.util.List;

/** Fact: the copies are held for the order until {@code expiresAt}. */
public record StockReserved(String orderId, List<StockLine> items, Instant expiresAt)
    implements OrderEvent {}
