package com.bookstore.order;

/**
 * Where an order's delivery stands, as the delivery facts tell it ({@code
 * orders.customer_order.delivery_status}). Separate from the order's own {@link OrderStatus}: the
 * order saga confirms or cancels the order; these only say what the courier side has done.
 *
 * <p>Facts of different types travel on different topics, so they may arrive out of order. Each
 * state has a {@link #progress}: a fact moves the delivery only further along (a later reassignment
 * is further than an earlier one), so a late fact adds its history row but never moves the delivery
 * back. DELIVERED, FAILED and REJECTED are final; CANCELLED (the saga's compensation) is final
 * unless the courier side reports one of those after it.
 */
public enum DeliveryStatus {
  /** A courier covering the zone is reserved for the order. */
  ASSIGNED(1),
  /** The courier did not pick up in time; another took the delivery over. */
  REASSIGNED(2),
  /** The courier has the parcel. */
  PICKED_UP(3),
  /** The delivery was called off (the order saga compensates); its courier is free. */
  CANCELLED(4),
  /** The parcel was handed to the customer. */
  DELIVERED(5),
  /** The delivery failed for good. */
  FAILED(5),
  /** No courier covers the zone or has room. */
  REJECTED(5);

  private final int rank;

  DeliveryStatus(int rank) {
    this.rank = rank;
  }

  /**
   * How far along the delivery is in this state; reassignments count their attempt, so the latest
   * one wins.
   */
  public int progress(int attempt) {
    return rank * 1000 + (this == REASSIGNED ? Math.max(0, Math.min(attempt, 999)) : 0);
  }
}
