package com.bookstore.kit;

import com.bookstore.events.EventCatalogue;
import com.bookstore.events.EventJson;
import com.bookstore.events.EventSchemas;
import com.bookstore.events.EventType;
import com.bookstore.events.Route;
import com.bookstore.events.Routing;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.util.List;
import java.util.TreeSet;

/**
 * The path every event takes, whatever the transport: is it ours (routing table), is it valid
 * (schema), has it been answered before (idempotency ledger), then the function.
 */
@ApplicationScoped
public class EventPipeline {
  private final KitConfig config;
  private final IdempotencyLedger ledger;
  private final CloudEventFunction function;
  private final KitMetrics metrics;
  private final Route route;

  EventPipeline(
      KitConfig config, IdempotencyLedger ledger, CloudEventFunction function, KitMetrics metrics) {
    this.config = config;
    this.ledger = ledger;
    this.function = function;
    this.metrics = metrics;
    this.route = Routing.of(config.functionName());
  }

  void checkSchemasAtStart(@Observes StartupEvent start) {
    route.triggers().forEach(type -> EventSchemas.validate(type, EventJson.mapper().nullNode()));
  }

  public Route route() {
    return route;
  }

  public String functionName() {
    return config.functionName();
  }

  /** Decoded -> answered, exactly once in effect. Validation failures are BAD_EVENT exceptions. */
  public Uni<Answer> process(Decoded decoded) {
    InboundEvent inbound;
    try {
      inbound = validate(decoded);
    } catch (FunctionException e) {
      return Uni.createFrom().failure(e);
    }
    return process(inbound);
  }

  /**
   * An event {@link #validate} has accepted -> answered, exactly once in effect. Each subscription
   * (a retry resubscribes) is one attempt, counted and timed in {@link KitMetrics}: processed when
   * the function ran, duplicate when the ledger answered, refused or failed when it did not end
   * well.
   */
  public Uni<Answer> process(InboundEvent inbound) {
    // The digest is of the parsed data, so binary and structured mode, member order and
    // whitespace do not make the same event look like another.
    String digest = IdempotencyLedger.digest(inbound.event().type(), inbound.json());
    return Uni.createFrom()
        .deferred(
            () -> {
              long start = System.nanoTime();
              boolean[] ran = {false};
              io.opentelemetry.api.trace.Span span = io.opentelemetry.api.trace.Span.current();
              return ledger
                  .once(
                      config.functionName(),
                      inbound.event(),
                      digest,
                      () -> {
                        ran[0] = true;
                        return function.handle(inbound);
                      })
                  .onItemOrFailure()
                  .invoke(
                      (answer, failure) -> {
                        KitMetrics.Outcome outcome =
                            failure != null
                                ? FunctionException.classify(failure).isRetryable()
                                    ? KitMetrics.Outcome.FAILED
                                    : KitMetrics.Outcome.REFUSED
                                : ran[0]
                                    ? KitMetrics.Outcome.PROCESSED
                                    : KitMetrics.Outcome.DUPLICATE;
                        metrics.handled(inbound.event().type(), outcome, System.nanoTime() - start);
                        span.setAttribute(Tracing.OUTCOME, outcome.tag);
                      });
            });
  }

  /**
   * Counts an event the transport refused before it reached the ledger (it could not be decoded, or
   * {@link #validate} refused it): outcome {@code refused}.
   */
  public void refused(String type) {
    metrics.refused(type);
  }

  /** Checks type, routing, content type, data and schema; names every field at fault. */
  public InboundEvent validate(Decoded decoded) {
    CloudEvent event = decoded.event();
    EventType type =
        EventCatalogue.find(event.type())
            .orElseThrow(
                () ->
                    FunctionException.badEvent(
                        Problem.Kind.UNKNOWN_EVENT_TYPE,
                        "event type " + event.type() + " is not in the event catalogue",
                        decoded.attributeError("type", "unknown type " + event.type())));
    if (!route.takes(type.type())) {
      throw FunctionException.badEvent(
          Problem.Kind.UNKNOWN_EVENT_TYPE,
          config.functionName()
              + " does not take "
              + type.type()
              + "; it takes "
              + new TreeSet<>(route.triggers()),
          decoded.attributeError("type", "not routed to " + config.functionName()));
    }
    if (event.dataschema() != null && !event.dataschema().equals(type.dataschema())) {
      throw FunctionException.badEvent(
          Problem.Kind.INVALID_CLOUDEVENT,
          "dataschema does not match the schema of " + type.type(),
          decoded.attributeError("dataschema", "expected " + type.dataschema()));
    }
    if (!CloudEventCodec.isJson(event.datacontenttype())) {
      throw FunctionException.badEvent(
          Problem.Kind.UNSUPPORTED_CONTENT_TYPE,
          "event data must be JSON, got " + event.datacontenttype(),
          decoded.attributeError("datacontenttype", "must be " + CloudEventCodec.JSON));
    }
    byte[] data = event.data();
    if (data == null || data.length == 0) {
      throw FunctionException.badEvent(
          Problem.Kind.SCHEMA_VIOLATION,
          type.type() + " needs data",
          new Problem.FieldError(
              decoded.structured() ? "attribute" : "body", "data", "is missing"));
    }
    JsonNode json;
    try {
      json = EventJson.mapper().readTree(data);
    } catch (IOException e) {
      throw FunctionException.badEvent(
          Problem.Kind.MALFORMED_JSON,
          "event data is not valid JSON: " + CloudEventCodec.jsonError(e),
          new Problem.FieldError("body", "/", CloudEventCodec.jsonError(e)));
    }
    List<EventSchemas.Violation> violations = EventSchemas.validate(type.type(), json);
    if (!violations.isEmpty()) {
      throw FunctionException.badEvent(
          Problem.of(
              Problem.Kind.SCHEMA_VIOLATION,
              "data does not match " + type.dataschema(),
              violations.stream()
                  .map(v -> new Problem.FieldError("data", v.pointer(), v.message()))
                  .toList()));
    }
    return new InboundEvent(config.functionName(), event, json);
  }
}
