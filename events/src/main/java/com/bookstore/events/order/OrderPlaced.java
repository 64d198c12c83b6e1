package com.bookstore.events.order;

import com.bookstore.events.OrderEvent;
import com.bookstore.events.delivery.DeliveryAddress;
import com.bookstore.events.payment.Money;
import java.time.Instant;
import java.util.List;

/**
 * Fact: a customer placed an order; it is pending until the order saga confirms or cancels it.
 * Carries everything the saga needs to send its commands, so no step looks the order up.
 *
 * @param delivery where the order is delivered; null for an order collected at the shop, which runs
 *     the order saga without its delivery steps
 */
public record OrderPlaced(
    String orderId,
    String customerId,
    String email,
    List<OrderLine> items,
    Money total,
    String paymentMethod,
    Instant placedAt,
    DeliveryAddress delivery)
    implements OrderEvent {

  /** An order collected at the shop: no delivery. */
  public OrderPlaced(
      String orderId,
      String customerId,
      String email,
      List<OrderLine> items,
      Money total,
      String paymentMethod,
      Instant placedAt) {
    this(orderId, customerId, email, items, total, paymentMethod, placedAt, null);
  }
}
