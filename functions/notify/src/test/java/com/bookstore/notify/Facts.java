package com.bookstore.notify;

import static io.restassured.RestAssured.given;

import com.bookstore.events.EventTypes;
import com.bookstore.events.order.OrderCancelled;
import com.bookstore.events.order.OrderConfirmed;
import com.bookstore.events.payment.Money;
import com.bookstore.kit.testing.CloudEventRequest;
import io.restassured.http.ContentType;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Facts for the tests, each with its own order and customer, and a look at the rows. */
final class Facts {
  private Facts() {}

  static final Money TOTAL = new Money(4250, "EUR");

  static String newOrder() {
    return "order-" + UUID.randomUUID();
  }

  static String newEmail() {
    return "reader-" + UUID.randomUUID().toString().substring(0, 12) + "@example.com";
  }

  static OrderConfirmed confirmed(String order, String email) {
    return new OrderConfirmed(
        order, "customer-" + order, email, TOTAL, Instant.now().truncatedTo(ChronoUnit.MILLIS));
  }

  static OrderCancelled cancelled(String order, String email, String reason) {
    return new OrderCancelled(
        order,
        "customer-" + order,
        email,
        TOTAL,
        reason,
        Instant.now().truncatedTo(ChronoUnit.MILLIS));
  }

  static CloudEventRequest event(OrderConfirmed fact) {
    return CloudEventRequest.event(EventTypes.ORDER_CONFIRMED)
        .source("/bookstore/functions/saga-step")
        .attribute("partitionkey", fact.orderId())
        .attribute("subject", fact.orderId())
        .data(fact);
  }

  static CloudEventRequest event(OrderCancelled fact) {
    return CloudEventRequest.event(EventTypes.ORDER_CANCELLED)
        .source("/bookstore/functions/compensate")
        .attribute("partitionkey", fact.orderId())
        .attribute("subject", fact.orderId())
        .data(fact);
  }

  /** The order's notification rows, through the function's own {@code POST /notifications}. */
  static List<Map<String, Object>> rows(String order) {
    return given()
        .contentType(ContentType.JSON)
        .body(Map.of("orderId", order))
        .post("/notifications")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getList("");
  }

  static Map<String, Object> row(String order, String channel) {
    return rows(order).stream()
        .filter(r -> channel.equals(r.get("channel")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + channel + " row for " + order));
  }

  /** Kafka binary-mode headers of a fact. */
  static Map<String, String> kafkaHeaders(String type, String id, String order) {
    return Map.of(
        "ce_specversion", "1.0",
        "ce_id", id,
        "ce_source", "/bookstore/functions/saga-step",
        "ce_type", type,
        "ce_subject", order,
        "ce_partitionkey", order,
        "content-type", "application/json");
  }
}
