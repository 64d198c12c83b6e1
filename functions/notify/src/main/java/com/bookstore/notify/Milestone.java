package com.bookstore.notify;

import com.bookstore.events.delivery.DeliveryAssigned;
import com.bookstore.events.delivery.DeliveryDelivered;
import com.bookstore.events.delivery.DeliveryFailed;
import com.bookstore.events.delivery.DeliveryPickedUp;
import com.bookstore.events.delivery.DeliveryReassigned;
import com.bookstore.events.order.OrderCancelled;
import com.bookstore.events.order.OrderConfirmed;
import com.bookstore.events.payment.Money;
import java.time.Instant;

/**
 * An order milestone a customer is told about: what notify needs of {@code order.confirmed}, {@code
 * order.cancelled} and the delivery facts ({@code delivery.assigned}, {@code reassigned}, {@code
 * picked-up}, {@code delivered}, {@code failed}).
 *
 * @param customerId the customer; null for the delivery milestones (their facts do not say)
 * @param total the order's total; null for the delivery milestones
 * @param reason why the order was cancelled, as the saga wrote it ({@code out-of-stock}), why the
 *     delivery was reassigned or failed, as dispatch-courier wrote it; null otherwise
 * @param courierId the courier on the delivery; null for the order milestones (and a delivery that
 *     failed before any courier had it)
 * @param courierName the courier's name (assigned, reassigned); null otherwise
 * @param attempt the delivery's attempt (assigned, reassigned, failed); null otherwise
 */
public record Milestone(
    Topic topic,
    String orderId,
    String customerId,
    String email,
    Money total,
    String reason,
    Instant at,
    String courierId,
    String courierName,
    Integer attempt) {

  /** An order milestone (confirmed, cancelled): no courier. */
  public Milestone(
      Topic topic,
      String orderId,
      String customerId,
      String email,
      Money total,
      String reason,
      Instant at) {
    this(topic, orderId, customerId, email, total, reason, at, null, null, null);
  }

  /** The {@code topic} of {@code notification.sent} and of the webhook body. */
  public enum Topic {
    ORDER_CONFIRMED("order-confirmed"),
    ORDER_CANCELLED("order-cancelled"),
    DELIVERY_ASSIGNED("delivery-assigned"),
    DELIVERY_REASSIGNED("delivery-reassigned"),
    DELIVERY_PICKED_UP("delivery-picked-up"),
    DELIVERY_DELIVERED("delivery-delivered"),
    DELIVERY_FAILED("delivery-failed");

    private final String wire;

    Topic(String wire) {
      this.wire = wire;
    }

    public String wire() {
      return wire;
    }
  }

  /**
   * Which one of its topic this milestone is, for an order: a delivery may be reassigned several
   * times, and each reassignment (its attempt) is a notification of its own. 0 for every other
   * milestone, which an order has at most once.
   */
  public int occurrence() {
    return topic == Topic.DELIVERY_REASSIGNED && attempt != null ? attempt : 0;
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

  public static Milestone of(DeliveryAssigned fact) {
    return new Milestone(
        Topic.DELIVERY_ASSIGNED,
        fact.orderId(),
        null,
        fact.email(),
        null,
        null,
        fact.assignedAt(),
        fact.courierId(),
        fact.courierName(),
        fact.attempt());
  }

  public static Milestone of(DeliveryReassigned fact) {
    return new Milestone(
        Topic.DELIVERY_REASSIGNED,
        fact.orderId(),
        null,
        fact.email(),
        null,
        fact.reason(),
        fact.reassignedAt(),
        fact.courierId(),
        fact.courierName(),
        fact.attempt());
  }

  public static Milestone of(DeliveryPickedUp fact) {
    return new Milestone(
        Topic.DELIVERY_PICKED_UP,
        fact.orderId(),
        null,
        fact.email(),
        null,
        null,
        fact.pickedUpAt(),
        fact.courierId(),
        null,
        null);
  }

  public static Milestone of(DeliveryDelivered fact) {
    return new Milestone(
        Topic.DELIVERY_DELIVERED,
        fact.orderId(),
        null,
        fact.email(),
        null,
        null,
        fact.deliveredAt(),
        fact.courierId(),
        null,
        null);
  }

  public static Milestone of(DeliveryFailed fact) {
    return new Milestone(
        Topic.DELIVERY_FAILED,
        fact.orderId(),
        null,
        fact.email(),
        null,
        fact.reason(),
        fact.failedAt(),
        fact.courierId(),
        null,
        fact.attempts());
  }
}
