package com.bookstore.notify;

import com.bookstore.events.order.OrderCancelled;
import com.bookstore.events.order.OrderConfirmed;
import com.bookstore.events.payment.Money;
import java.time.Instant;

/**
 * An order milestone a customer is told about: what notify needs of {@code order.confirmed} and
 * {@code order.cancelled}.
 *
 * @param reason why the order was cancelled, as the saga wrote it ({@code out-of-stock}); null for
 *     a confirmation
 */
public record Milestone(
    Topic topic,
    String orderId,
    String customerId,
    String email,
    Money total,
    String reason,
    Instant at) {

  /** The {@code topic} of {@code notification.sent} and of the webhook body. */
  public enum Topic {
    ORDER_CONFIRMED("order-confirmed"),
    ORDER_CANCELLED("order-cancelled");

    private final String wire;

    Topic(String wire) {
      this.wire = wire;
    }

    public String wire() {
      return wire;
    }
  }

  public static Milestone of(OrderConfirmed fact) {
    return new Milestone(
        Topic.ORDER_CONFIRMED,
        fact.orderId(),
        fact.customerId(),
        fact.email(),
        fact.total(),
        null,
        fact.confirmedAt());
  }

  public static Milestone of(OrderCancelled fact) {
    return new Milestone(
        Topic.ORDER_CANCELLED,
        fact.orderId(),
        fact.customerId(),
        fact.email(),
        fact.total(),
        fact.reason(),
        fact.cancelledAt());
  }
}
