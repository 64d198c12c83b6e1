package com.bookstore.events;

import java.util.Objects;
import java.util.Set;

/**
 * What one deployable function consumes and emits. In Kafka-direct mode the function reads the
 * topics of its {@code triggers} ({@link Topology#inputs}) with its own consumer group; on Knative
 * each trigger becomes a Trigger on the Broker.
 *
 * @param function the deployable's name (Maven module, Knative Service, OTel service name)
 * @param triggers event types that invoke it
 * @param emits event types it answers with
 */
public record Route(String function, Set<String> triggers, Set<String> emits) {

  public Route {
    Objects.requireNonNull(function, "function");
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
