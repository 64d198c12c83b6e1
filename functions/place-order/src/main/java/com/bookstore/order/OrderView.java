package com.bookstore.order;

import com.bookstore.events.EventJson;
import com.bookstore.events.payment.Money;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * An order as its customer sees it.
 *
 * @param items {@code [{isbn, quantity, unitPrice: {cents, currency}}]}
 * @param history {@code [{at, type, detail}]}, oldest first; empty when not loaded
 */
public record OrderView(
    String orderId,
    OrderStatus status,
    String reason,
    Money total,
    Instant placedAt,
    Instant updatedAt,
    JsonNode items,
    JsonNode history) {

  /** What {@code POST /orders} answers: the order without its history. */
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
    json.put("placedAt", placedAt.toString());
    json.put("updatedAt", updatedAt.toString());
    json.put("href", "/orders/" + orderId);
    return json;
  }

  /** What {@code GET /orders/{id}} answers: the summary and the history. */
  public ObjectNode withHistory() {
    ObjectNode json = summary();
    json.set("history", history);
    return json;
  }
}
