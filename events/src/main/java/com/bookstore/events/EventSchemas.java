package com.bookstore.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Validates event data against the JSON Schema of its type (loaded once from the classpath). */
public final class EventSchemas {
  private EventSchemas() {}

  /** One thing wrong with an event's data: a JSON Pointer into {@code data} and what is wrong. */
  public record Violation(String pointer, String message) {}

  private static final JsonSchemaFactory FACTORY =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
  private static final SchemaValidatorsConfig CONFIG =
      SchemaValidatorsConfig.builder()
          .formatAssertionsEnabled(true)
          .pathType(com.networknt.schema.PathType.JSON_POINTER)
          .build();
  private static final Map<String, JsonSchema> CACHE = new ConcurrentHashMap<>();

  public static List<Violation> validate(String type, JsonNode data) {
    JsonSchema schema = CACHE.computeIfAbsent(type, EventSchemas::load);
    return schema.validate(data).stream()
        .map(EventSchemas::violation)
        .sorted(Comparator.comparing(Violation::pointer).thenComparing(Violation::message))
        .toList();
  }

  /** Parses every schema now, so a broken schema fails start-up rather than the first event. */
  public static void preload() {
    EventCatalogue.all().forEach(t -> CACHE.computeIfAbsent(t.type(), EventSchemas::load));
  }

  private static Violation violation(ValidationMessage message) {
    String pointer = message.getInstanceLocation().toString();
    if (message.getProperty() != null && "required".equals(message.getType())) {
      pointer =
          (pointer.equals("/") || pointer.isEmpty() ? "" : pointer) + "/" + message.getProperty();
    }
    if (pointer.isEmpty()) {
      pointer = "/";
    }
    return new Violation(pointer, message.getMessage());
  }

  private static JsonSchema load(String type) {
    EventType eventType = EventCatalogue.get(type);
    String resource = eventType.schemaResource();
    try (InputStream in = EventSchemas.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("no schema on the classpath at " + resource);
      }
      JsonNode node = EventJson.mapper().readTree(in);
      JsonNode id = node.get("$id");
      if (id == null || !eventType.dataschema().equals(id.asText())) {
        throw new IllegalStateException(
            resource + " must declare $id " + eventType.dataschema() + " but has " + id);
      }
      return FACTORY.getSchema(node, CONFIG);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read schema " + resource, e);
    }
  }
}
