package com.bookstore.order;

import com.bookstore.events.EventCatalogue;
import com.bookstore.events.EventJson;
import com.bookstore.events.EventType;
import com.bookstore.events.EventTypes;
import com.bookstore.events.order.OrderLine;
import com.bookstore.events.order.OrderPlaced;
import com.bookstore.kit.CloudEvent;
import com.bookstore.kit.CloudEventCodec;
import com.bookstore.kit.InboundEvent;
import com.bookstore.kit.SessionCheck;
import com.bookstore.kit.Tracing;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A new order as it is stored and announced: the order.placed fact and the CloudEvent that carries
 * it. The event's id is derived from the order id, so the request and the outbox relay publish the
 * same event, and a consumer that sees both keeps one.
 *
 * @param idempotencyKey the client's Idempotency-Key, or null
 * @param requestHash the cart's fingerprint (stored with the key)
 */
public record Placement(
    OrderPlaced placed, String idempotencyKey, String requestHash, CloudEvent event) {

  public static Placement of(
      String function,
      String orderId,
      SessionCheck.Session customer,
      Pricing.PricedCart cart,
      String idempotencyKey,
      String requestHash,
      Instant placedAt) {
    OrderPlaced placed =
        new OrderPlaced(
            orderId,
            customer.userId(),
            customer.email(),
            cart.lines(),
            cart.total(),
            cart.paymentMethod(),
            placedAt,
            cart.delivery());
    return new Placement(placed, idempotencyKey, requestHash, event(function, placed));
  }

  public String orderId() {
    return placed.orderId();
  }

  /** The first line of the order's history. */
  public String detail() {
    int copies = placed.items().stream().mapToInt(OrderLine::quantity).sum();
    return "order placed: "
        + copies
        + (copies == 1 ? " copy of " : " copies of ")
        + placed.items().size()
        + (placed.items().size() == 1 ? " book, " : " books, ")
        + OrderFacts.money(placed.total())
        + (placed.delivery() == null ? "" : ", to deliver in zone " + placed.delivery().zone());
  }

  /** The event's id: a name-based UUID of the function, the type and the order id. */
  public static String eventId(String function, String orderId) {
    String seed = function + "\n" + EventTypes.ORDER_PLACED + "\n" + orderId;
    return UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8)).toString();
  }

  private static CloudEvent event(String function, OrderPlaced placed) {
    EventType type = EventCatalogue.get(EventTypes.ORDER_PLACED);
    byte[] data;
    try {
      data = EventJson.mapper().writeValueAsBytes(placed);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("order.placed not writable", e);
    }
    return new CloudEvent(
        eventId(function, placed.orderId()),
        InboundEvent.sourceOf(function),
        type.type(),
        placed.orderId(),
        placed.placedAt().toString(),
        CloudEventCodec.JSON,
        type.dataschema(),
        extensions(placed.orderId()),
        data);
  }

  /** The order's key, and the request's trace context: the order's trace starts here. */
  private static Map<String, String> extensions(String orderId) {
    Map<String, String> extensions = new java.util.LinkedHashMap<>();
    extensions.put(CloudEvent.PARTITION_KEY, orderId);
    Tracing.startContext(null, extensions);
    return extensions;
  }
}
