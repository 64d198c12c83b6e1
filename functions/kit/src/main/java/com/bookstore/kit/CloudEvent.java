package com.bookstore.kit;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A CloudEvent 1.0 as the kit carries it: the context attributes, extensions, and the raw {@code
 * data} bytes (JSON for every type in the catalogue). Immutable.
 */
public record CloudEvent(
    String id,
    String source,
    String type,
    String subject,
    String time,
    String datacontenttype,
    String dataschema,
    Map<String, String> extensions,
    byte[] data) {

  public static final String SPEC_VERSION = "1.0";
  public static final String PARTITION_KEY = "partitionkey";
  public static final String TRACEPARENT = "traceparent";
  public static final String TRACESTATE = "tracestate";

  public CloudEvent {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(type, "type");
    extensions = extensions == null ? Map.of() : Map.copyOf(new TreeMap<>(extensions));
    data = data == null ? null : data.clone();
  }

  public String extension(String name) {
    return extensions.get(name);
  }

  /** The saga/order id that keeps one saga's events in order on Kafka (the record key). */
  public String partitionKey() {
    return extensions.get(PARTITION_KEY);
  }

  @Override
  public byte[] data() {
    return data == null ? null : data.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CloudEvent e
        && id.equals(e.id)
        && source.equals(e.source)
        && type.equals(e.type)
        && Objects.equals(subject, e.subject)
        && Objects.equals(time, e.time)
        && Objects.equals(datacontenttype, e.datacontenttype)
        && Objects.equals(dataschema, e.dataschema)
        && extensions.equals(e.extensions)
        && Arrays.equals(data, e.data);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, source, type);
  }

  @Override
  public String toString() {
    // Never the data: it may carry credentials (user.register) or personal data.
    return "CloudEvent[type="
        + type
        + ", source="
        + source
        + ", id="
        + id
        + ", subject="
        + subject
        + ", partitionkey="
        + partitionKey()
        + "]";
  }
}
