package com.bookstore.order;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where an order stands, as stored in {@code orders.customer_order.status}. It only moves forward:
 * PENDING -> CANCELLING -> CANCELLED, or PENDING -> CONFIRMED (or straight to CANCELLED when the
 * saga had nothing to compensate). CONFIRMED and CANCELLED are final, so a late or repeated fact
 * never reopens an order.
 */
public enum OrderStatus {
  /** Placed; the order saga is running. */
  PENDING,
  /** A step failed (saga.failed); its completed steps are being undone. */
  CANCELLING,
  /** Every step succeeded (order.confirmed). Final. */
  CONFIRMED,
  /** Every completed step was undone (order.cancelled); the reason says why. Final. */
  CANCELLED;

  public boolean isFinal() {
    return this == CONFIRMED || this == CANCELLED;
  }

  public boolean canMoveTo(OrderStatus next) {
    return switch (this) {
      case PENDING -> next != PENDING;
      // A saga that failed cannot complete any more: only its cancellation may follow.
      case CANCELLING -> next == CANCELLED;
      case CONFIRMED, CANCELLED -> false;
    };
  }

  /** The statuses an order may be in for {@code next} to apply: the SQL guard of a move. */
  public static Set<OrderStatus> allowedBefore(OrderStatus next) {
    Set<OrderStatus> from = EnumSet.noneOf(OrderStatus.class);
    for (OrderStatus s : values()) {
      if (s.canMoveTo(next)) {
        from.add(s);
      }
    }
    return from;
  }
}
