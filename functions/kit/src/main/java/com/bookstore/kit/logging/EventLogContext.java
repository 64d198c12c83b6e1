package com.bookstore.kit.logging;

import com.bookstore.kit.CloudEvent;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.MDC;

/**
 * What every log line about an event carries (the MDC, so the JSON logs have it as fields): the
 * event's id and type, and the trace and span ids of its W3C {@code traceparent}. Set by the kit
 * once an event is decoded, on the event's own Vert.x duplicated context (Quarkus keeps the MDC
 * there), so every line logged while that event is handled, across its asynchronous hops, has them
 * and no other event's. The keys are those quarkus-opentelemetry uses for its own trace and span
 * ids: once the kit makes its handling span current (com.bookstore.kit.Tracing), Quarkus replaces
 * them with that span's trace and span ids and adds {@code parentId} (the event's span, when the
 * event's traceparent is the parent), so lines match the exported spans.
 */
public final class EventLogContext {
  public static final String EVENT_ID = "eventId";
  public static final String EVENT_TYPE = "eventType";
  public static final String EVENT_SOURCE = "eventSource";
  public static final String TRACE_ID = "traceId";
  public static final String SPAN_ID = "spanId";

  // version-traceid-parentid-flags; all-zero ids are invalid (W3C Trace Context, 3.2.2)
  private static final Pattern TRACEPARENT =
      Pattern.compile("^[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}.*$");

  private EventLogContext() {}

  /** Puts the event's fields into the MDC of the current (duplicated) context. */
  public static void enter(CloudEvent event) {
    MDC.put(EVENT_ID, event.id());
    MDC.put(EVENT_TYPE, event.type());
    MDC.put(EVENT_SOURCE, event.source());
    String traceparent = event.extension(CloudEvent.TRACEPARENT);
    Matcher m = traceparent == null ? null : TRACEPARENT.matcher(traceparent);
    if (m != null && m.matches() && !m.group(1).matches("0+") && !m.group(2).matches("0+")) {
      MDC.put(TRACE_ID, m.group(1));
      MDC.put(SPAN_ID, m.group(2));
    } else {
      MDC.remove(TRACE_ID);
      MDC.remove(SPAN_ID);
    }
  }
}
