package com.bookstore.order;

import com.bookstore.events.EventJson;
import com.bookstore.events.delivery.DeliveryAddress;
import com.bookstore.events.payment.Money;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * An order as its customer sees it.
 *
 * @param items {@code [{isbn, quantity, unitPrice: {cents, currency}}]}
 * @param history {@code [{at, type, detail}]}, oldest first; empty when not loaded
 * @param delivery {@code {address: {street, city, postcode}, zone, status, courierId, attempts}};
 *     null for an order collected at the shop
 */
public record OrderView(
    String orderId,
    OrderStatus status,
    String reason,
    Money total,
    Instant placedAt,
    Instant updatedAt,
    JsonNode items,
    JsonNode history,
    JsonNode delivery) {

  public OrderView(
      String orderId,
      OrderStatus status,
      String reason,
      Money total,
      Instant placedAt,
      Instant updatedAt,
      JsonNode items,
      JsonNode history) {
    this(orderId, status, reason, total, placedAt, updatedAt, items, history, null);
  }

  /**
   * What {@code POST /orders} answers: the order without its history (with its delivery, when it is
   * delivered).
   */
  public ObjectNode summary() {
    ObjectNode json = EventJson.mapper().createObjectNode();
    json.put("orderId", orderId);
    json.put("status", status.name());
    if (reason != null) {
      json.put("reason", reason);
    }
    ObjectNode money = json.putObject("total");
    money.put("cents", total.cents());
    money.put("currency", total.currency());
    json.set("items", items);
    if (delivery != null) {
      json.set("delivery", delivery);
    }
    json.put("placedAt", placedAt.toString());
    json.put("updatedAt", updatedAt.toString());
    json.put("href", "/orders/" + orderId);
    return json;
  }

  /**
   * An order's delivery as the customer sees it: {@code {address: {street, city, postcode}, zone,
   * status, courierId, attempts}}; the last three are null until a delivery fact says them.
   */
  public static ObjectNode delivery(
      DeliveryAddress address, String status, String courierId, Integer attempts) {
    ObjectNode delivery = EventJson.mapper().createObjectNode();
    ObjectNode a = delivery.putObject("address");
    a.put("street", address.street());
    a.put("city", address.city());
    a.put("postcode", address.postcode());
    delivery.put("zone", address.zone());
    delivery.put("status", status);
    delivery.put("courierId", courierId);
    delivery.put("attempts", attempts);
    return delivery;
  }

  /** What {@code GET /orders/{id}} answers: the summary and the history. */
  public ObjectNode withHistory() {
    ObjectNode json = summary();
    json.set("history", history);
    return json;
  }
}
