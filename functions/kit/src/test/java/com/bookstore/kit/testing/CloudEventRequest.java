package com.bookstore.kit.testing;

import static io.restassured.RestAssured.given;

import com.bookstore.events.EventCatalogue;
import com.bookstore.events.EventJson;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Builds CloudEvent HTTP requests for tests, so no test repeats the four headers. Binary mode by
 * default; {@link #structured()} switches to {@code application/cloudevents+json}.
 */
public final class CloudEventRequest {
  private final Map<String, String> attributes = new LinkedHashMap<>();
  private String contentType = "application/json";
  private String body = "";
  private boolean structured;

  private CloudEventRequest(String type) {
    attributes.put("specversion", "1.0");
    attributes.put("id", UUID.randomUUID().toString());
    attributes.put("source", "/tests/" + getClass().getSimpleName());
    attributes.put("type", type);
  }

  public static CloudEventRequest event(String type) {
    return new CloudEventRequest(type);
  }

  public CloudEventRequest id(String id) {
    return attribute("id", id);
  }

  public CloudEventRequest source(String source) {
    return attribute("source", source);
  }

  /** Sets an attribute or extension; {@code null} removes it. */
  public CloudEventRequest attribute(String name, String value) {
    if (value == null) {
      attributes.remove(name);
    } else {
      attributes.put(name, value);
    }
    return this;
  }

  public CloudEventRequest contentType(String contentType) {
    this.contentType = contentType;
    return this;
  }

  public CloudEventRequest data(Object payload) {
    try {
      this.body = payload instanceof String s ? s : EventJson.mapper().writeValueAsString(payload);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
    return this;
  }

  public CloudEventRequest structured() {
    this.structured = true;
    return this;
  }

  public String id() {
    return attributes.get("id");
  }

  public String type() {
    return attributes.get("type");
  }

  public String dataschema() {
    return EventCatalogue.get(attributes.get("type")).dataschema();
  }

  public RequestSpecification spec() {
    if (structured) {
      ObjectNode envelope = EventJson.mapper().createObjectNode();
      attributes.forEach(envelope::put);
      envelope.put("datacontenttype", contentType);
      try {
        envelope.set("data", EventJson.mapper().readTree(body));
      } catch (Exception e) {
        envelope.put("data", body);
      }
      return given().contentType("application/cloudevents+json").body(envelope.toString());
    }
    RequestSpecification spec = given().contentType(contentType).body(body);
    attributes.forEach((name, value) -> spec.header("ce-" + name, value));
    return spec;
  }

  public Response post() {
    return spec().post("/");
  }
}
