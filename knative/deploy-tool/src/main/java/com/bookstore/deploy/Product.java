package com.bookstore.deploy;

import com.bookstore.events.EventCatalogue;
import com.bookstore.events.EventKind;
import com.bookstore.events.EventType;
import com.bookstore.events.Route;
import com.bookstore.events.Routing;
import com.bookstore.events.Topology;
import com.bookstore.events.Topology.Topic;
import com.bookstore.events.Topology.TopicKind;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Everything the manifests are generated from: the routing table, the event catalogue, the
 * deployment declarations and the topics ({@link Topology#topics()}). Passed in as data, so tests
 * can generate for routing tables and topics the product does not have yet; what {@link Topology}
 * derives from the static routing table (inputs, outputs, producers, external commands) is derived
 * here from {@link #routes()} the same way.
 */
public record Product(
    List<Route> routes,
    List<EventType> types,
    Map<String, Deployable> deployables,
    List<Topic> topics) {

  /** The function a PingSource wakes up every minute. */
  public static final String SAGA_TIMEOUTS = Routing.Functions.SAGA_TIMEOUTS;

  public Product {
    routes = List.copyOf(routes);
    types = List.copyOf(types);
    deployables = Map.copyOf(deployables);
    topics = List.copyOf(topics);
    List<String> problems = new ArrayList<>();
    Set<String> seen = new TreeSet<>();
    Set<String> topicNames = new TreeSet<>();
    for (Topic topic : topics) {
      if (!topicNames.add(topic.name())) {
        problems.add("topic " + topic.name() + " is declared twice");
      }
    }
    for (Route route : routes) {
      if (!seen.add(route.function())) {
        problems.add("function " + route.function() + " is routed twice");
      }
      if (!deployables.containsKey(route.function())) {
        problems.add(
            "function "
                + route.function()
                + " is in the routing table but has no deployment declaration in Deployables");
      }
      Set<String> used = new TreeSet<>(route.triggers());
      used.addAll(route.emits());
      for (String type : used) {
        if (!topicNames.contains(Topology.topicOf(type))) {
          problems.add(
              "topic "
                  + Topology.topicOf(type)
                  + " of "
                  + type
                  + " ("
                  + route.function()
                  + ") is not in topics");
        }
      }
    }
    for (Deployable deployable : deployables.values()) {
      if (deployable.grpc() != null && seen.contains(Names.grpcService(deployable.function()))) {
        problems.add(
            "the gRPC Service of "
                + deployable.function()
                + " would take the name of function "
                + Names.grpcService(deployable.function()));
      }
    }
    for (TopicKind kind : List.of(TopicKind.BROKER, TopicKind.DEAD_LETTER)) {
      long count = topics.stream().filter(t -> t.kind() == kind).count();
      if (count != 1) {
        problems.add("expected one " + kind + " topic, found " + count);
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }

  /** The product as it is: the static routing table, catalogue and topology. */
  public static Product current() {
    return new Product(Routing.all(), EventCatalogue.all(), Deployables.all(), Topology.topics());
  }

  public Deployable deployable(Route route) {
    return deployables.get(route.function());
  }

  public Optional<Topic> topic(String name) {
    return topics.stream().filter(t -> t.name().equals(name)).findFirst();
  }

  private Topic only(TopicKind kind) {
    return topics.stream().filter(t -> t.kind() == kind).findFirst().orElseThrow();
  }

  /** The Kafka Broker's external topic ({@code bookstore-events}). */
  public Topic brokerTopic() {
    return only(TopicKind.BROKER);
  }

  /** Where every function and Trigger puts what it cannot handle. */
  public Topic deadLetterTopic() {
    return only(TopicKind.DEAD_LETTER);
  }

  public Optional<Route> route(String function) {
    return routes.stream().filter(r -> r.function().equals(function)).findFirst();
  }

  /** The topics a function reads in Kafka-direct mode: those of the types it takes, sorted. */
  public static List<String> inputs(Route route) {
    return route.triggers().stream().map(Topology::topicOf).distinct().sorted().toList();
  }

  /** The topics a function writes its answers to: those of the types it emits, sorted. */
  public static List<String> outputs(Route route) {
    return route.emits().stream().map(Topology::topicOf).distinct().sorted().toList();
  }

  /** The functions that take {@code type}, in routing-table order. */
  public List<String> consumers(String type) {
    return routes.stream().filter(r -> r.takes(type)).map(Route::function).toList();
  }

  /** The functions that emit {@code type}, in routing-table order. */
  public List<String> producers(String type) {
    return routes.stream().filter(r -> r.emits().contains(type)).map(Route::function).toList();
  }

  /** Commands other systems send: taken by a function, emitted by none, in catalogue order. */
  public Set<String> externalCommands() {
    Set<String> out = new LinkedHashSet<>();
    for (EventType type : types) {
      if (type.kind() == EventKind.COMMAND
          && producers(type.type()).isEmpty()
          && !consumers(type.type()).isEmpty()) {
        out.add(type.type());
      }
    }
    return out;
  }

  /** Whether any function takes or emits {@code type}, i.e. it travels through the Broker. */
  public boolean routed(String type) {
    return !consumers(type).isEmpty() || !producers(type).isEmpty();
  }
}
