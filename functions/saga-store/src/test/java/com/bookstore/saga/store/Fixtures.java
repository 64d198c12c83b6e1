package com.bookstore.saga.store;

import com.bookstore.events.EventCatalogue;
import com.bookstore.events.order.OrderLine;
import com.bookstore.events.order.OrderPlaced;
import com.bookstore.events.payment.Money;
import com.bookstore.kit.CloudEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Orders and participants' replies for the tests. */
final class Fixtures {
  private Fixtures() {}

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
        new Money(12499, "EUR"),
        "tok_visa",
        Instant.parse("2026-11-22T18:00:00.123456Z"));
  }

  /** An event as a participant would send it: its own source, a fresh id, the order as key. */
  static CloudEvent event(String type, String orderId) {
    return event(type, orderId, UUID.randomUUID().toString());
  }

  static CloudEvent event(String type, String orderId, String id) {
    return new CloudEvent(
        id,
        "/tests/participant",
        type,
        orderId,
        Instant.now().toString(),
        "application/json",
        EventCatalogue.get(type).dataschema(),
        Map.of(CloudEvent.PARTITION_KEY, orderId),
        ("{\"orderId\":\"" + orderId + "\"}").getBytes(StandardCharsets.UTF_8));
  }
}
