package com.bookstore.events;

import java.util.Objects;

/**
 * One entry of the catalogue: the CloudEvent {@code type}, whether it is a command or a fact, the
 * Java record its {@code data} maps to, and where its JSON Schema lives.
 */
public record EventType(String type, EventKind kind, Class<?> payload, String description) {

  /** Base of every schema's {@code $id}; the {@code dataschema} attribute carries the full id. */
  public static final String SCHEMA_BASE = "https://bookstore.example.com/schemas/";

  public EventType {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(payload, "payload");
    if (!type.startsWith(EventTypes.PREFIX) || !type.matches(".*\\.v[0-9]+$")) {
      throw new IllegalArgumentException(
          "event type " + type + " must start with " + EventTypes.PREFIX + " and end in .v<major>");
    }
  }

  /** The schema's {@code $id}, sent as the CloudEvent {@code dataschema} attribute. */
  public String dataschema() {
    return SCHEMA_BASE + type + ".json";
  }

  /** Classpath location of the schema (the top-level {@code schemas/} folder is shipped there). */
  public String schemaResource() {
    return "schemas/" + type + ".json";
  }
}
