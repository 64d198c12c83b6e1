package com.bookstore.saga.store;

import com.bookstore.kit.CloudEvent;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/**
 * One event in a saga's timeline: what saga-step or compensate took ({@code in}) or sent ({@code
 * out}) in a transition, or an operator's action ({@code operator}).
 *
 * @param at when the transition was stored, by the database's clock (null until then)
 */
@RegisterForReflection
public record TimelineEntry(Instant at, String direction, String type, String source, String id) {
  public static final String IN = "in";
  public static final String OUT = "out";
  public static final String OPERATOR = "operator";

  public static TimelineEntry in(CloudEvent event) {
    return new TimelineEntry(null, IN, event.type(), event.source(), event.id());
  }

  public static TimelineEntry out(CloudEvent event) {
    return new TimelineEntry(null, OUT, event.type(), event.source(), event.id());
  }

  public static TimelineEntry operator(String action) {
    return new TimelineEntry(null, OPERATOR, action, "/bookstore/operators", null);
  }
}
