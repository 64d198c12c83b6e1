package com.bookstore.events;

import java.util.Objects;
import java.util.Set;

/**
 * What one deployable function consumes and emits. In Kafka-direct mode the function takes {@code
 * triggers} from {@code topic} with its own consumer group; on Knative each trigger becomes a
 * Trigger on the workflow's Broker.
 *
 * @param function the deployable's name (Maven module, Knative Service, OTel service name)
 * @param topic the workflow topic it consumes and produces to
 * @param triggers event types that invoke it
 * @param emits event types it answers with
 * @param gatekeeper whether it dead-letters records on its topic that no function can take (not a
 *     CloudEvent, a type outside the catalogue); exactly one function per topic is, so one bad
 *     record gives one dead letter
 */
public record Route(
    String function, String topic, Set<String> triggers, Set<String> emits, boolean gatekeeper) {

  public Route {
    Objects.requireNonNull(function, "function");
    Objects.requireNonNull(topic, "topic");
    triggers = Set.copyOf(triggers);
    emits = Set.copyOf(emits);
    for (String type : triggers) {
      EventCatalogue.get(type);
    }
    for (String type : emits) {
      EventCatalogue.get(type);
    }
  }

  public boolean takes(String type) {
    return triggers.contains(type);
  }
}
