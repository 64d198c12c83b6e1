package com.bookstore.events.stock;

import com.bookstore.events.OrderEvent;
import java.util.List;

/** Fact: the held copies are sold. */
public record StockCommitted(String orderId, List<StockLine> items) implements OrderEvent {}
