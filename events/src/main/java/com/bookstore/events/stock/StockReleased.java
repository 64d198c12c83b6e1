package com.bookstore.events.stock;

import com.bookstore.events.OrderEvent;
import java.util.List;

/** Fact: the order holds no copies any more; {@code items} is what was given back (maybe none). */
public record StockReleased(String orderId, List<StockLine> items) implements OrderEvent {}
