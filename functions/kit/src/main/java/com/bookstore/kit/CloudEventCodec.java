package com.bookstore.kit;

import com.bookstore.events.EventJson;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * Reads and writes CloudEvents 1.0 in binary and structured mode, over HTTP ({@code ce-} headers)
 * and Kafka ({@code ce_} headers). Every problem found is reported at once, each naming its header
 * or attribute.
 */
public final class CloudEventCodec {
  private CloudEventCodec() {}

  public static final String STRUCTURED_JSON = "application/cloudevents+json";
  public static final String BATCH_JSON = "application/cloudevents-batch+json";
  public static final String JSON = "application/json";

  private static final Set<String> REQUIRED = Set.of("specversion", "id", "source", "type");
  private static final Set<String> KNOWN =
      Set.of(
          "specversion",
          "id",
          "source",
          "type",
          "subject",
          "time",
          "dataschema",
          "datacontenttype",
          "data",
          "data_base64");
  private static final Pattern EXTENSION_NAME = Pattern.compile("[a-z0-9]{1,20}");

  /**
   * Decodes one event.
   *
   * @param headers every header as (name, value); names compared case-insensitively
   * @param body the HTTP body or Kafka record value
   * @param recordKey the Kafka record key, used as {@code partitionkey} when the header is absent
   */
  public static Decoded decode(
      Transport transport, List<Map.Entry<String, String>> headers, byte[] body, String recordKey) {
    String contentType = header(headers, transport.contentTypeHeader());
    String mediaType = mediaType(contentType);
    if (BATCH_JSON.equals(mediaType)) {
      throw FunctionException.badEvent(
          Problem.Kind.UNSUPPORTED_CONTENT_TYPE,
          "batched CloudEvents are not accepted; send one event per request",
          new Problem.FieldError("header", transport.contentTypeHeader(), contentType));
    }
    Decoded decoded =
        STRUCTURED_JSON.equals(mediaType)
            ? structured(transport, body)
            : binary(transport, headers, contentType, body);
    if (recordKey != null && decoded.event().partitionKey() == null) {
      Map<String, String> ext = new LinkedHashMap<>(decoded.event().extensions());
      ext.put(CloudEvent.PARTITION_KEY, recordKey);
      CloudEvent e = decoded.event();
      decoded =
          new Decoded(
              new CloudEvent(
                  e.id(),
                  e.source(),
                  e.type(),
                  e.subject(),
                  e.time(),
                  e.datacontenttype(),
                  e.dataschema(),
                  ext,
                  e.data()),
              transport,
              decoded.structured());
    }
    return decoded;
  }

  private static Decoded binary(
      Transport transport,
      List<Map.Entry<String, String>> headers,
      String contentType,
      byte[] body) {
    Map<String, String> attributes = new LinkedHashMap<>();
    List<Problem.FieldError> errors = new ArrayList<>();
    String prefix = transport.prefix();
    for (Map.Entry<String, String> h : headers) {
      String name = h.getKey().toLowerCase(Locale.ROOT);
      if (!name.startsWith(prefix)) {
        continue;
      }
      String attribute = name.substring(prefix.length());
      String value = transport == Transport.HTTP ? percentDecode(h.getValue()) : h.getValue();
      if (attribute.equals("data") || attribute.equals("data_base64")) {
        errors.add(attributeError(transport, false, attribute, "is not a context attribute"));
        continue;
      }
      if (attributes.put(attribute, value) != null) {
        errors.add(attributeError(transport, false, attribute, "is given more than once"));
      }
    }
    if (attributes.isEmpty() && errors.isEmpty()) {
      throw FunctionException.badEvent(
          Problem.Kind.INVALID_CLOUDEVENT,
          "not a CloudEvent: no "
              + prefix
              + "* headers and "
              + transport.contentTypeHeader()
              + " is not "
              + STRUCTURED_JSON,
          new Problem.FieldError("header", prefix + "specversion", "is missing"));
    }
    if (contentType != null) {
      attributes.put("datacontenttype", contentType);
    }
    return new Decoded(build(transport, false, attributes, body, errors), transport, false);
  }

  private static Decoded structured(Transport transport, byte[] body) {
    JsonNode root;
    try {
      root = EventJson.mapper().readTree(body == null ? new byte[0] : body);
    } catch (IOException e) {
      throw FunctionException.badEvent(
          Problem.Kind.MALFORMED_JSON,
          "structured CloudEvent body is not valid JSON: " + jsonError(e),
          new Problem.FieldError("body", "/", jsonError(e)));
    }
    if (root == null || !root.isObject()) {
      throw FunctionException.badEvent(
          Problem.Kind.INVALID_CLOUDEVENT,
          "structured CloudEvent body must be a JSON object",
          new Problem.FieldError("body", "/", "is not a JSON object"));
    }
    Map<String, String> attributes = new LinkedHashMap<>();
    List<Problem.FieldError> errors = new ArrayList<>();
    byte[] data = null;
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String name = field.getKey();
      JsonNode value = field.getValue();
      if (name.equals("data")) {
        data = value.isNull() ? null : writeBytes(value);
      } else if (name.equals("data_base64")) {
        try {
          data = Base64.getDecoder().decode(value.asText());
        } catch (IllegalArgumentException e) {
          errors.add(attributeError(transport, true, name, "is not valid base64"));
        }
      } else if (value.isValueNode() && !value.isNull()) {
        attributes.put(name, value.asText());
      } else if (!value.isNull()) {
        errors.add(attributeError(transport, true, name, "must be a string, number or boolean"));
      }
    }
    if (root.has("data") && root.has("data_base64")) {
      errors.add(attributeError(transport, true, "data_base64", "must not be sent with data"));
    }
    return new Decoded(build(transport, true, attributes, data, errors), transport, true);
  }

  private static CloudEvent build(
      Transport transport,
      boolean structured,
      Map<String, String> attributes,
      byte[] data,
      List<Problem.FieldError> errors) {
    for (String name : REQUIRED) {
      String value = attributes.get(name);
      if (value == null) {
        errors.add(attributeError(transport, structured, name, "is missing"));
      } else if (value.isBlank()) {
        errors.add(attributeError(transport, structured, name, "must not be empty"));
      }
    }
    String specversion = attributes.get("specversion");
    if (specversion != null
        && !specversion.isBlank()
        && !CloudEvent.SPEC_VERSION.equals(specversion)) {
      errors.add(
          attributeError(
              transport,
              structured,
              "specversion",
              "must be " + CloudEvent.SPEC_VERSION + ", got " + specversion));
    }
    checkUri(transport, structured, attributes, "source", errors);
    checkUri(transport, structured, attributes, "dataschema", errors);
    String time = attributes.get("time");
    if (time != null) {
      try {
        OffsetDateTime.parse(time);
      } catch (DateTimeParseException e) {
        errors.add(attributeError(transport, structured, "time", "is not an RFC 3339 timestamp"));
      }
    }
    Map<String, String> extensions = new LinkedHashMap<>();
    for (Map.Entry<String, String> a : attributes.entrySet()) {
      if (KNOWN.contains(a.getKey())) {
        continue;
      }
      if (!EXTENSION_NAME.matcher(a.getKey()).matches()) {
        errors.add(
            attributeError(
                transport,
                structured,
                a.getKey(),
                "is not a valid extension name (lower-case letters and digits, at most 20)"));
      } else {
        extensions.put(a.getKey(), a.getValue());
      }
    }
    if (!errors.isEmpty()) {
      throw FunctionException.badEvent(
          Problem.of(
              Problem.Kind.INVALID_CLOUDEVENT, "the CloudEvent attributes are invalid", errors));
    }
    return new CloudEvent(
        attributes.get("id"),
        attributes.get("source"),
        attributes.get("type"),
        attributes.get("subject"),
        time,
        attributes.get("datacontenttype"),
        attributes.get("dataschema"),
        extensions,
        data);
  }

  private static void checkUri(
      Transport transport,
      boolean structured,
      Map<String, String> attributes,
      String name,
      List<Problem.FieldError> errors) {
    String value = attributes.get(name);
    if (value == null || value.isBlank()) {
      return;
    }
    try {
      new URI(value);
    } catch (URISyntaxException e) {
      errors.add(attributeError(transport, structured, name, "is not a URI reference"));
    }
  }

  static Problem.FieldError attributeError(
      Transport transport, boolean structured, String attribute, String detail) {
    if (structured) {
      return new Problem.FieldError("attribute", attribute, detail);
    }
    if (attribute.equals("datacontenttype")) {
      return new Problem.FieldError("header", transport.contentTypeHeader(), detail);
    }
    return new Problem.FieldError("header", transport.prefix() + attribute, detail);
  }

  /** Binary-mode headers for an event: {@code ce-*} or {@code ce_*}, plus the content type. */
  public static void writeHeaders(
      Transport transport, CloudEvent e, BiConsumer<String, String> out) {
    String p = transport.prefix();
    out.accept(p + "specversion", CloudEvent.SPEC_VERSION);
    out.accept(p + "id", e.id());
    out.accept(p + "source", e.source());
    out.accept(p + "type", e.type());
    if (e.subject() != null) {
      out.accept(p + "subject", e.subject());
    }
    if (e.time() != null) {
      out.accept(p + "time", e.time());
    }
    if (e.dataschema() != null) {
      out.accept(p + "dataschema", e.dataschema());
    }
    e.extensions().forEach((k, v) -> out.accept(p + k, v));
    if (e.datacontenttype() != null) {
      out.accept(transport.contentTypeHeader(), e.datacontenttype());
    }
  }

  /** Structured-mode JSON; JSON data is embedded as JSON, anything else as {@code data_base64}. */
  public static ObjectNode toStructured(CloudEvent e) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("specversion", CloudEvent.SPEC_VERSION);
    node.put("id", e.id());
    node.put("source", e.source());
    node.put("type", e.type());
    if (e.subject() != null) {
      node.put("subject", e.subject());
    }
    if (e.time() != null) {
      node.put("time", e.time());
    }
    if (e.dataschema() != null) {
      node.put("dataschema", e.dataschema());
    }
    if (e.datacontenttype() != null) {
      node.put("datacontenttype", e.datacontenttype());
    }
    e.extensions().forEach(node::put);
    byte[] data = e.data();
    if (data != null) {
      if (isJson(e.datacontenttype())) {
        try {
          node.set("data", EventJson.mapper().readTree(data));
        } catch (IOException ex) {
          node.put("data_base64", Base64.getEncoder().encodeToString(data));
        }
      } else {
        node.put("data_base64", Base64.getEncoder().encodeToString(data));
      }
    }
    return node;
  }

  public static CloudEvent fromStructured(JsonNode node) {
    return structured(Transport.KAFKA, writeBytes(node)).event();
  }

  public static boolean isJson(String contentType) {
    String media = mediaType(contentType);
    return media == null || media.equals(JSON) || media.endsWith("+json");
  }

  static String mediaType(String contentType) {
    if (contentType == null) {
      return null;
    }
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
        .trim()
        .toLowerCase(Locale.ROOT);
  }

  static String jsonError(IOException e) {
    if (e instanceof JsonProcessingException jpe && jpe.getLocation() != null) {
      return jpe.getOriginalMessage()
          + " at line "
          + jpe.getLocation().getLineNr()
          + ", column "
          + jpe.getLocation().getColumnNr();
    }
    return String.valueOf(e.getMessage());
  }

  private static String header(List<Map.Entry<String, String>> headers, String name) {
    for (Map.Entry<String, String> h : headers) {
      if (h.getKey().equalsIgnoreCase(name)) {
        return h.getValue();
      }
    }
    return null;
  }

  private static byte[] writeBytes(JsonNode node) {
    try {
      return EventJson.mapper().writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String percentDecode(String value) {
    if (value == null || value.indexOf('%') < 0) {
      return value;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '%' && i + 2 < value.length()) {
        int hi = Character.digit(value.charAt(i + 1), 16);
        int lo = Character.digit(value.charAt(i + 2), 16);
        if (hi >= 0 && lo >= 0) {
          out.write((hi << 4) | lo);
          i += 2;
          continue;
        }
      }
      byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
      out.write(bytes, 0, bytes.length);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
