package com.bookstore.order;

import com.bookstore.events.EventJson;
import com.bookstore.events.EventTypes;
import com.bookstore.events.delivery.DeliveryAssigned;
import com.bookstore.events.delivery.DeliveryCancelled;
import com.bookstore.events.delivery.DeliveryDelivered;
import com.bookstore.events.delivery.DeliveryFailed;
import com.bookstore.events.delivery.DeliveryPickedUp;
import com.bookstore.events.delivery.DeliveryReassigned;
import com.bookstore.events.delivery.DeliveryRejected;
import com.bookstore.events.order.OrderCancelled;
import com.bookstore.events.order.OrderConfirmed;
import com.bookstore.events.payment.Money;
import com.bookstore.events.payment.PaymentAuthorized;
import com.bookstore.events.payment.PaymentCaptured;
import com.bookstore.events.payment.PaymentDeclined;
import com.bookstore.events.payment.PaymentRefunded;
import com.bookstore.events.saga.SagaFailed;
import com.bookstore.events.stock.StockCommitted;
import com.bookstore.events.stock.StockLine;
import com.bookstore.events.stock.StockRejected;
import com.bookstore.events.stock.StockReleased;
import com.bookstore.events.stock.StockReserved;
import com.bookstore.kit.FunctionException;
import com.bookstore.kit.Problem;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What a fact of the order saga means for the order's page: the line of history it adds and the
 * status it moves the order to, if any. Plain code, no I/O.
 */
public final class OrderFacts {
  private OrderFacts() {}

  /**
   * The order saga's table names: {@code order} (collected at the shop), {@code order-delivered}
   * (delivered by a courier), and {@code -v2} of either if it is ever changed.
   */
  private static final Pattern ORDER_SAGA = Pattern.compile("order(-delivered)?(-v[0-9]+)?");

  static final int MAX_DETAIL = 300;

  /**
   * @param orderId the order the fact is about
   * @param detail one short sentence for the history
   * @param moveTo the status the fact moves the order to; null when it only adds history
   * @param reason why the order was cancelled; null otherwise
   * @param delivery what a delivery fact says of the delivery's state; null for other facts
   */
  public record Fact(
      String orderId, String detail, OrderStatus moveTo, String reason, Delivery delivery) {
    public Fact {
      detail = detail.length() <= MAX_DETAIL ? detail : detail.substring(0, MAX_DETAIL - 3) + "...";
    }

    public Fact(String orderId, String detail, OrderStatus moveTo, String reason) {
      this(orderId, detail, moveTo, reason, null);
    }
  }

  /**
   * The delivery's state after a delivery fact.
   *
   * @param courierId the courier now on it; null when the fact does not say (the one before stays)
   * @param attempts the delivery's attempt so far; null when the fact does not say
   * @param progress {@link DeliveryStatus#progress}: the state moves only to a greater one
   */
  public record Delivery(DeliveryStatus status, String courierId, Integer attempts, int progress) {
    static Delivery of(DeliveryStatus status, String courierId, Integer attempts) {
      return new Delivery(
          status, courierId, attempts, status.progress(attempts == null ? 0 : attempts));
    }
  }

  private static Fact delivery(String orderId, String detail, Delivery delivery) {
    return new Fact(orderId, detail, null, null, delivery);
  }

  /** The fact's meaning; empty when it is about another saga than an order's. */
  public static Optional<Fact> read(String type, JsonNode data) {
    return Optional.ofNullable(
        switch (type) {
          case EventTypes.STOCK_RESERVED -> {
            StockReserved f = as(data, StockReserved.class);
            yield new Fact(
                f.orderId(),
                "copies held: " + books(f.items()) + ", until " + f.expiresAt(),
                null,
                null);
          }
          case EventTypes.STOCK_REJECTED -> {
            StockRejected f = as(data, StockRejected.class);
            String shortages =
                f.shortages().stream()
                    .map(
                        s ->
                            s.isbn() + " (" + s.requested() + " asked, " + s.available() + " left)")
                    .collect(Collectors.joining(", "));
            yield new Fact(
                f.orderId(),
                "stock refused: " + f.reason() + (shortages.isEmpty() ? "" : ": " + shortages),
                null,
                null);
          }
          case EventTypes.STOCK_COMMITTED -> {
            StockCommitted f = as(data, StockCommitted.class);
            yield new Fact(f.orderId(), "copies sold: " + books(f.items()), null, null);
          }
          case EventTypes.STOCK_RELEASED -> {
            StockReleased f = as(data, StockReleased.class);
            yield new Fact(
                f.orderId(),
                f.items().isEmpty()
                    ? "no copies to give back"
                    : "copies given back: " + books(f.items()),
                null,
                null);
          }
          case EventTypes.PAYMENT_AUTHORIZED -> {
            PaymentAuthorized f = as(data, PaymentAuthorized.class);
            yield new Fact(
                f.orderId(), "payment of " + money(f.amount()) + " authorized", null, null);
          }
          case EventTypes.PAYMENT_DECLINED -> {
            PaymentDeclined f = as(data, PaymentDeclined.class);
            yield new Fact(f.orderId(), "payment declined: " + f.reason(), null, null);
          }
          case EventTypes.PAYMENT_CAPTURED -> {
            PaymentCaptured f = as(data, PaymentCaptured.class);
            yield new Fact(f.orderId(), "payment of " + money(f.amount()) + " taken", null, null);
          }
          case EventTypes.PAYMENT_REFUNDED -> {
            PaymentRefunded f = as(data, PaymentRefunded.class);
            yield new Fact(
                f.orderId(),
                f.amount().cents() == 0
                    ? "no payment to give back"
                    : money(f.amount()) + " given back",
                null,
                null);
          }
          case EventTypes.SAGA_FAILED -> {
            SagaFailed f = as(data, SagaFailed.class);
            yield ORDER_SAGA.matcher(f.saga()).matches()
                ? new Fact(
                    f.sagaId(),
                    f.step() + " failed: " + f.reason() + "; undoing the completed steps",
                    OrderStatus.CANCELLING,
                    null)
                : null;
          }
          case EventTypes.ORDER_CONFIRMED -> {
            OrderConfirmed f = as(data, OrderConfirmed.class);
            yield new Fact(f.orderId(), "order confirmed", OrderStatus.CONFIRMED, null);
          }
          case EventTypes.ORDER_CANCELLED -> {
            OrderCancelled f = as(data, OrderCancelled.class);
            yield new Fact(
                f.orderId(), "order cancelled: " + f.reason(), OrderStatus.CANCELLED, f.reason());
          }
          case EventTypes.DELIVERY_ASSIGNED -> {
            DeliveryAssigned f = as(data, DeliveryAssigned.class);
            yield delivery(
                f.orderId(),
                "courier assigned: "
                    + f.courierName()
                    + " ("
                    + f.courierId()
                    + "), zone "
                    + f.zone(),
                Delivery.of(DeliveryStatus.ASSIGNED, f.courierId(), f.attempt()));
          }
          case EventTypes.DELIVERY_REJECTED -> {
            DeliveryRejected f = as(data, DeliveryRejected.class);
            yield delivery(
                f.orderId(),
                "no courier for zone " + f.zone() + ": " + f.reason(),
                Delivery.of(DeliveryStatus.REJECTED, null, null));
          }
          case EventTypes.DELIVERY_REASSIGNED -> {
            DeliveryReassigned f = as(data, DeliveryReassigned.class);
            yield delivery(
                f.orderId(),
                "courier reassigned: "
                    + f.courierName()
                    + " ("
                    + f.courierId()
                    + ") instead of "
                    + f.previousCourierId()
                    + ", attempt "
                    + f.attempt()
                    + ": "
                    + f.reason(),
                Delivery.of(DeliveryStatus.REASSIGNED, f.courierId(), f.attempt()));
          }
          case EventTypes.DELIVERY_PICKED_UP -> {
            DeliveryPickedUp f = as(data, DeliveryPickedUp.class);
            yield delivery(
                f.orderId(),
                "parcel picked up by courier " + f.courierId(),
                Delivery.of(DeliveryStatus.PICKED_UP, f.courierId(), null));
          }
          case EventTypes.DELIVERY_DELIVERED -> {
            DeliveryDelivered f = as(data, DeliveryDelivered.class);
            yield delivery(
                f.orderId(),
                "parcel delivered by courier " + f.courierId(),
                Delivery.of(DeliveryStatus.DELIVERED, f.courierId(), null));
          }
          case EventTypes.DELIVERY_FAILED -> {
            DeliveryFailed f = as(data, DeliveryFailed.class);
            yield delivery(
                f.orderId(),
                "delivery failed after "
                    + f.attempts()
                    + (f.attempts() == 1 ? " attempt: " : " attempts: ")
                    + f.reason(),
                Delivery.of(DeliveryStatus.FAILED, f.courierId(), f.attempts()));
          }
          case EventTypes.DELIVERY_CANCELLED -> {
            DeliveryCancelled f = as(data, DeliveryCancelled.class);
            yield delivery(
                f.orderId(),
                "delivery cancelled" + (f.reason() == null ? "" : ": " + f.reason()),
                Delivery.of(DeliveryStatus.CANCELLED, null, null));
          }
          default ->
              throw FunctionException.fatal(
                  "place-order is routed " + type + " but cannot read it", null);
        });
  }

  /** {@code 12.34 EUR}; minor units as they are for a currency Java does not know. */
  public static String money(Money m) {
    int digits = -1;
    try {
      digits = Currency.getInstance(m.currency()).getDefaultFractionDigits();
    } catch (IllegalArgumentException unknown) {
      // e.g. XXX (no currency): shown in minor units
    }
    String amount =
        digits < 0
            ? Long.toString(m.cents())
            : BigDecimal.valueOf(m.cents(), digits).toPlainString();
    return amount + " " + m.currency();
  }

  private static String books(List<StockLine> items) {
    int copies = items.stream().mapToInt(StockLine::quantity).sum();
    return copies
        + (copies == 1 ? " copy of " : " copies of ")
        + items.size()
        + (items.size() == 1 ? " book" : " books");
  }

  private static <T> T as(JsonNode data, Class<T> type) {
    try {
      return EventJson.mapper().treeToValue(data, type);
    } catch (JsonProcessingException e) {
      throw FunctionException.badEvent(
          Problem.Kind.SCHEMA_VIOLATION,
          "data does not map to " + type.getSimpleName() + ": " + e.getOriginalMessage());
    }
  }
}
