package com.bookstore.kit;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * One order, one trace. The kit's spans around each handled event and each event it writes, after
 * the CloudEvents distributed-tracing extension:
 *
 * <ul>
 *   <li>the event's {@code traceparent} attribute carries the context in which the order's first
 *       event was made (place-order's request), and rides along on every event the order causes
 *       ({@link #startContext});
 *   <li>the transport carries the context of each hop: the W3C {@code traceparent} header of the
 *       HTTP request or of the Kafka record, written here from the span that sent it ({@link
 *       #inject}).
 * </ul>
 *
 * A handling span's parent is the hop's context when the transport carried one, else the event's
 * own {@code traceparent} (a producer that does not trace, a Broker that drops the header), so an
 * order's spans stay one tree either way. While the span is current (made current on the record's
 * or request's own duplicated Vert.x context) the PostgreSQL, Redis and gRPC clients' spans become
 * its children.
 */
@ApplicationScoped
public class Tracing {
  public static final AttributeKey<String> SAGA_ID = AttributeKey.stringKey("saga.id");
  public static final AttributeKey<String> FUNCTION = AttributeKey.stringKey("bookstore.function");
  public static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("bookstore.outcome");
  static final AttributeKey<String> EVENT_ID = AttributeKey.stringKey("cloudevents.event_id");
  static final AttributeKey<String> EVENT_SOURCE =
      AttributeKey.stringKey("cloudevents.event_source");
  static final AttributeKey<String> EVENT_TYPE = AttributeKey.stringKey("cloudevents.event_type");
  static final AttributeKey<String> EVENT_SUBJECT =
      AttributeKey.stringKey("cloudevents.event_subject");
  static final AttributeKey<String> SPEC_VERSION =
      AttributeKey.stringKey("cloudevents.event_spec_version");
  static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
  static final AttributeKey<String> OPERATION = AttributeKey.stringKey("messaging.operation.type");
  static final AttributeKey<String> DESTINATION =
      AttributeKey.stringKey("messaging.destination.name");
  static final AttributeKey<String> PARTITION =
      AttributeKey.stringKey("messaging.destination.partition.id");
  static final AttributeKey<Long> OFFSET = AttributeKey.longKey("messaging.kafka.offset");
  static final AttributeKey<String> KEY = AttributeKey.stringKey("messaging.kafka.message.key");

  private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();
  private static final TextMapGetter<Map<String, String>> MAP_GETTER =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
          return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
          return carrier == null ? null : carrier.get(key);
        }
      };

  private final Tracer tracer;
  private final String function;

  Tracing(OpenTelemetry openTelemetry, KitConfig config) {
    this.tracer = openTelemetry.getTracer("com.bookstore.kit");
    this.function = config.functionName();
  }

  /** The W3C context in {@code traceparent}/{@code tracestate} values, or none (root). */
  public static Context extract(String traceparent, String tracestate) {
    if (traceparent == null) {
      return Context.root();
    }
    Map<String, String> carrier =
        tracestate == null
            ? Map.of(CloudEvent.TRACEPARENT, traceparent)
            : Map.of(CloudEvent.TRACEPARENT, traceparent, CloudEvent.TRACESTATE, tracestate);
    return W3C.extract(Context.root(), carrier, MAP_GETTER);
  }

  /** The context an event's own {@code traceparent} attribute names (none when it has none). */
  public static Context ofEvent(CloudEvent event) {
    return extract(event.extension(CloudEvent.TRACEPARENT), event.extension(CloudEvent.TRACESTATE));
  }

  static boolean carriesTrace(Context context) {
    return Span.fromContext(context).getSpanContext().isValid();
  }

  /**
   * The {@code traceparent}/{@code tracestate} attributes an event made now should carry: its
   * cause's when it has a cause that carries them (the order's start rides along), else the current
   * span's (this event starts the chain, as order.placed does in place-order's request).
   */
  public static void startContext(CloudEvent cause, Map<String, String> extensions) {
    String traceparent = cause == null ? null : cause.extension(CloudEvent.TRACEPARENT);
    if (traceparent != null) {
      extensions.put(CloudEvent.TRACEPARENT, traceparent);
      String tracestate = cause.extension(CloudEvent.TRACESTATE);
      if (tracestate != null) {
        extensions.put(CloudEvent.TRACESTATE, tracestate);
      }
      return;
    }
    inject(Context.current(), extensions::put);
  }

  /** Writes {@code context} as W3C {@code traceparent} (and {@code tracestate}), if it is valid. */
  public static void inject(Context context, BiConsumer<String, String> into) {
    if (carriesTrace(context)) {
      W3C.inject(context, into, (sink, k, v) -> sink.accept(k, v));
    }
  }

  /**
   * Starts the span of one event's handling (kind CONSUMER), a child of {@code hop} when the
   * transport carried a context, else of the event's own {@code traceparent}. When both are absent
   * the span is a root.
   */
  public Span startHandling(
      CloudEvent event, Context hop, String system, String destination, List<Link> links) {
    Context parent = carriesTrace(hop) ? hop : ofEvent(event);
    SpanBuilder builder =
        tracer
            .spanBuilder("process " + event.type())
            .setSpanKind(SpanKind.CONSUMER)
            .setParent(parent)
            .setAttribute(FUNCTION, function)
            .setAttribute(SYSTEM, system)
            .setAttribute(OPERATION, "process")
            .setAttribute(EVENT_ID, event.id())
            .setAttribute(EVENT_SOURCE, event.source())
            .setAttribute(EVENT_TYPE, event.type())
            .setAttribute(SPEC_VERSION, CloudEvent.SPEC_VERSION);
    if (destination != null) {
      builder.setAttribute(DESTINATION, destination);
    }
    if (event.subject() != null) {
      builder.setAttribute(EVENT_SUBJECT, event.subject());
    }
    if (event.partitionKey() != null) {
      builder.setAttribute(SAGA_ID, event.partitionKey());
    }
    for (Link link : links) {
      builder.addLink(link.context());
    }
    return builder.startSpan();
  }

  /** Starts the span of a record this function writes (kind PRODUCER), a child of the current. */
  public Span startSending(CloudEvent event, String topic) {
    SpanBuilder builder =
        tracer
            .spanBuilder("send " + event.type())
            .setSpanKind(SpanKind.PRODUCER)
            .setAttribute(FUNCTION, function)
            .setAttribute(SYSTEM, "kafka")
            .setAttribute(OPERATION, "send")
            .setAttribute(DESTINATION, topic)
            .setAttribute(EVENT_ID, event.id())
            .setAttribute(EVENT_TYPE, event.type());
    if (event.partitionKey() != null) {
      builder.setAttribute(SAGA_ID, event.partitionKey());
      builder.setAttribute(KEY, event.partitionKey());
    }
    return builder.startSpan();
  }

  /** Ends a span with the outcome of what it covered. */
  public static void end(Span span, String outcome, Throwable failure) {
    if (outcome != null) {
      span.setAttribute(OUTCOME, outcome);
    }
    if (failure != null) {
      span.recordException(failure);
      span.setStatus(StatusCode.ERROR, String.valueOf(failure.getMessage()));
    }
    span.end();
  }

  /** A span context to link to (the HTTP request's, when the event's trace is another). */
  public record Link(SpanContext context) {
    public static List<Link> none() {
      return List.of();
    }

    public static List<Link> of(Span span) {
      List<Link> out = new ArrayList<>(1);
      if (span.getSpanContext().isValid()) {
        out.add(new Link(span.getSpanContext()));
      }
      return out;
    }
  }
}
