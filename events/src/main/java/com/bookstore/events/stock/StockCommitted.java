package com.bookstore.events.stock;

import java.util.List;

/** Fact: the held copies are sold. */
public record StockCommitted(String orderId, List<StockLine> items) {}
