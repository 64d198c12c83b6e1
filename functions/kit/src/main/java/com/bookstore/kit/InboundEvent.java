package com.bookstore.kit;

import com.bookstore.events.EventCatalogue;
import com.bookstore.events.EventJson;
import com.bookstore.events.EventType;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** A decoded, validated event handed to a function, and the factory for its answers. */
public final class InboundEvent {
  private final String function;
  private final CloudEvent event;
  private final JsonNode data;
  private int answers;

  InboundEvent(String function, CloudEvent event, JsonNode data) {
    this.function = function;
    this.event = event;
    this.data = data;
  }

  public CloudEvent event() {
    return event;
  }

  public String type() {
    return event.type();
  }

  public JsonNode json() {
    return data;
  }

  /** The data as the catalogue's record for this type (the schema has already accepted it). */
  public <T> T data(Class<T> type) {
    try {
      return EventJson.mapper().treeToValue(data, type);
    } catch (JsonProcessingException e) {
      throw FunctionException.badEvent(
          Problem.Kind.SCHEMA_VIOLATION,
          "data does not map to " + type.getSimpleName() + ": " + e.getOriginalMessage());
    }
  }

  /** The key that makes a redelivery recognisable: the incoming {@code source} and {@code id}. */
  public String idempotencyKey() {
    return event.source() + "\n" + event.id();
  }

  /** An answer whose type is the one catalogue type of the payload's record. */
  public CloudEvent answer(String subject, Object payload) {
    return answer(EventCatalogue.forPayload(payload.getClass()).type(), subject, payload);
  }

  /**
   * An answer event. Its id is derived from the incoming event, so a redelivery answered without
   * the ledger (Redis down) still produces the same id and downstream deduplication holds. The
   * {@code partitionkey} and trace context ride along from the incoming event.
   */
  public CloudEvent answer(String type, String subject, Object payload) {
    EventType eventType = EventCatalogue.get(type);
    byte[] bytes;
    try {
      bytes = EventJson.mapper().writeValueAsBytes(payload);
    } catch (JsonProcessingException e) {
      throw FunctionException.fatal("cannot write " + type + " data", e);
    }
    String seed = function + "\n" + idempotencyKey() + "\n" + type + "\n" + (answers++);
    Map<String, String> extensions = new LinkedHashMap<>();
    String partitionKey = event.partitionKey() != null ? event.partitionKey() : subject;
    if (partitionKey != null) {
      extensions.put(CloudEvent.PARTITION_KEY, partitionKey);
    }
    Tracing.startContext(event, extensions);
    return new CloudEvent(
        UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8)).toString(),
        sourceOf(function),
        eventType.type(),
        subject,
        Instant.now().truncatedTo(ChronoUnit.MICROS).toString(),
        CloudEventCodec.JSON,
        eventType.dataschema(),
        extensions,
        bytes);
  }

  /** The {@code source} of every event a function emits. */
  public static String sourceOf(String function) {
    return "/bookstore/functions/" + function;
  }
}
