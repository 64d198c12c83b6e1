package com.bookstore.timeouts;

import com.bookstore.events.EventCatalogue;
import com.bookstore.events.EventJson;
import com.bookstore.events.EventType;
import com.bookstore.events.EventTypes;
import com.bookstore.events.Routing;
import com.bookstore.events.delivery.DeliveryPickupOverdue;
import com.bookstore.events.saga.SagaDeadlinePassed;
import com.bookstore.events.stock.ExpireStock;
import com.bookstore.kit.CloudEvent;
import com.bookstore.kit.CloudEventCodec;
import com.bookstore.kit.InboundEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

/**
 * The events a sweep emits. Each id is derived from what was found (the saga and its deadline, the
 * order and its hold's expiry), never from the sweep: a sweep that finds the same overdue deadline
 * again emits the same id, which the receiver's idempotency ledger absorbs, while a deadline that
 * has moved on gives a new id and is acted on.
 */
public final class TimeoutEvents {
  static final String FUNCTION = Routing.Functions.SAGA_TIMEOUTS;

  private TimeoutEvents() {}

  /** {@code saga.deadline-passed} for a saga whose deadline has passed; subject = saga id. */
  public static CloudEvent deadlinePassed(String sagaId, Instant deadline, Instant now) {
    return event(
        EventTypes.SAGA_DEADLINE_PASSED,
        sagaId,
        deadline,
        new SagaDeadlinePassed(sagaId, deadline),
        now);
  }

  /** {@code stock.expire} for a hold still held past its expiry; subject = order id. */
  public static CloudEvent expireStock(String orderId, Instant expiresAt, Instant now) {
    return event(EventTypes.STOCK_EXPIRE, orderId, expiresAt, new ExpireStock(orderId), now);
  }

  /**
   * {@code delivery.pickup-overdue} for a dispatched delivery not picked up by its deadline;
   * subject = order id. A reassignment sets a new deadline, hence a new id.
   */
  public static CloudEvent pickupOverdue(
      String orderId, int attempt, Instant deadline, Instant now) {
    return event(
        EventTypes.DELIVERY_PICKUP_OVERDUE,
        orderId,
        deadline,
        new DeliveryPickupOverdue(orderId, attempt, deadline),
        now);
  }

  /** Same type, aggregate and instant, same id; the instant in its canonical ISO-8601 form. */
  public static String eventId(String type, String aggregateId, Instant when) {
    String seed = FUNCTION + "\n" + type + "\n" + aggregateId + "\n" + when;
    return UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8)).toString();
  }

  private static CloudEvent event(
      String type, String aggregateId, Instant when, Object payload, Instant now) {
    EventType eventType = EventCatalogue.get(type);
    byte[] data;
    try {
      data = EventJson.mapper().writeValueAsBytes(payload);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + type + " data", e);
    }
    return new CloudEvent(
        eventId(type, aggregateId, when),
        InboundEvent.sourceOf(FUNCTION),
        type,
        aggregateId,
        now.truncatedTo(ChronoUnit.MICROS).toString(),
        CloudEventCodec.JSON,
        eventType.dataschema(),
        Map.of(CloudEvent.PARTITION_KEY, aggregateId),
        data);
  }
}
