package com.bookstore.events.stock;

import com.bookstore.events.OrderEvent;
import java.util.List;

/**
 * Fact: the order's copies could not be held (or committed). {@code shortages} lists what was
 * missing; {@code reason} is {@code out-of-stock}, {@code unknown-book}, {@code released} (the
 * order was released first) or {@code not-reserved} (a commit without a live hold).
 */
public record StockRejected(String orderId, String reason, List<Shortage> shortages)
    implements OrderEvent {

  /** One book that could not be held: how many were asked for and how many were free. */
  public record Shortage(String isbn, int requested, int available) {}
}
