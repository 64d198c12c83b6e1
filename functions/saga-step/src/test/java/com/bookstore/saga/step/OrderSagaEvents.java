package com.bookstore.saga.step;

import static com.bookstore.kit.testing.CloudEventRequest.event;

import com.bookstore.events.EventJson;
import com.bookstore.events.EventTypes;
import com.bookstore.events.order.OrderLine;
import com.bookstore.events.order.OrderPlaced;
import com.bookstore.events.payment.Money;
import com.bookstore.events.payment.PaymentAuthorized;
import com.bookstore.events.payment.PaymentCaptured;
import com.bookstore.events.payment.PaymentDeclined;
import com.bookstore.events.saga.SagaDeadlinePassed;
import com.bookstore.events.stock.StockCommitted;
import com.bookstore.events.stock.StockLine;
import com.bookstore.events.stock.StockRejected;
import com.bookstore.events.stock.StockReserved;
import com.bookstore.kit.CloudEvent;
import com.bookstore.kit.IdempotencyLedger;
import com.bookstore.kit.testing.CloudEventRequest;
import io.restassured.response.Response;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The order saga's inputs as participants send them, for saga-step's tests. */
final class OrderSagaEvents {
  private OrderSagaEvents() {}

  static final String SOURCE = "/tests/participant";
  static final Money TOTAL = new Money(12499, "EUR");
  static final List<StockLine> LINES =
      List.of(new StockLine("9780134685991", 1), new StockLine("161729494X", 2));

  /** Sends the request and checks it was answered with one event of this type. */
  static Response expect(CloudEventRequest request, String answerType) {
    Response response = request.post();
    response.then().statusCode(200).header("ce-type", answerType);
    return response;
  }

  static String newOrderId() {
    return "order-" + UUID.randomUUID();
  }

  static OrderPlaced order(String orderId) {
    return new OrderPlaced(
        orderId,
        "user-7",
        "ada@example.com",
        List.of(
            new OrderLine("9780134685991", 1, new Money(4599, "EUR")),
            new OrderLine("161729494X", 2, new Money(3950, "EUR"))),
        TOTAL,
        "tok_visa",
        Instant.now().truncatedTo(ChronoUnit.MICROS));
  }

  static CloudEventRequest to(String orderId, String type, Object data) {
    return event(type).source(SOURCE).attribute("partitionkey", orderId).data(data);
  }

  static CloudEventRequest placed(String orderId) {
    return to(orderId, EventTypes.ORDER_PLACED, order(orderId));
  }

  static CloudEventRequest reserved(String orderId) {
    return to(
        orderId,
        EventTypes.STOCK_RESERVED,
        new StockReserved(orderId, LINES, Instant.now().plus(15, ChronoUnit.MINUTES)));
  }

  static CloudEventRequest rejected(String orderId) {
    return to(
        orderId,
        EventTypes.STOCK_REJECTED,
        new StockRejected(
            orderId, "out-of-stock", List.of(new StockRejected.Shortage("161729494X", 2, 1))));
  }

  static CloudEventRequest authorized(String orderId) {
    return to(
        orderId, EventTypes.PAYMENT_AUTHORIZED, new PaymentAuthorized(orderId, "auth-1", TOTAL));
  }

  static CloudEventRequest declined(String orderId) {
    return to(orderId, EventTypes.PAYMENT_DECLINED, new PaymentDeclined(orderId, "card-declined"));
  }

  static CloudEventRequest committed(String orderId) {
    return to(orderId, EventTypes.STOCK_COMMITTED, new StockCommitted(orderId, LINES));
  }

  static CloudEventRequest captured(String orderId) {
    return to(orderId, EventTypes.PAYMENT_CAPTURED, new PaymentCaptured(orderId, "auth-1", TOTAL));
  }

  static CloudEventRequest deadlinePassed(String orderId, Instant deadline) {
    return event(EventTypes.SAGA_DEADLINE_PASSED)
        .source("/tests/sweep")
        .attribute("partitionkey", orderId)
        .data(new SagaDeadlinePassed(orderId, deadline));
  }

  /** The Redis key under which saga-step's ledger remembers its answer to this request. */
  static String ledgerKey(String source, CloudEventRequest request) {
    CloudEvent event =
        new CloudEvent(
            request.id(), source, request.type(), null, null, null, null, Map.of(), null);
    return IdempotencyLedger.key("saga-step", event);
  }

  /** A participant's event as the topic carries it: binary mode, ce_ headers. */
  static Map<String, String> kafkaHeaders(String type, String id) {
    return Map.of(
        "ce_specversion", "1.0",
        "ce_id", id,
        "ce_source", SOURCE,
        "ce_type", type,
        "content-type", "application/json");
  }

  static String json(Object data) {
    try {
      return EventJson.mapper().writeValueAsString(data);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }
}
