package com.bookstore.events.stock;

import com.bookstore.events.OrderEvent;
import java.util.List;

/** Command: hold these copies for an order until it is committed, released or the hold expires. */
public record ReserveStock(String orderId, List<StockLine> items, Integer holdSeconds)
    implements OrderEvent {}
