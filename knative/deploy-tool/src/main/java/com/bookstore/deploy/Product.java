package com.bookstore.deploy;

import com.bookstore.events.EventCatalogue;
import com.bookstore.events.EventType;
import com.bookstore.events.Route;
import com.bookstore.events.Routing;
import com.bookstore.events.Topics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Everything the manifests are generated from: the routing table, the event catalogue, the
 * deployment declarations and the topics. Passed in as data, so tests can generate for routing
 * tables the product does not have yet (a saga-timeouts function, a couriers' consumer).
 */
public record Product(
    List<Route> routes,
    List<EventType> types,
    Map<String, Deployable> deployables,
    List<TopicSpec> topics) {

  /** The function a PingSource wakes up every minute. */
  public static final String SAGA_TIMEOUTS = Routing.Functions.SAGA_TIMEOUTS;

  public Product {
    routes = List.copyOf(routes);
    types = List.copyOf(types);
    deployables = Map.copyOf(deployables);
    topics = List.copyOf(topics);
    List<String> problems = new ArrayList<>();
    Set<String> seen = new TreeSet<>();
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
      if (topics.stream().noneMatch(t -> t.name().equals(route.topic()))) {
        problems.add("topic " + route.topic() + " of " + route.function() + " is not in topics");
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
    if (topics.stream().noneMatch(t -> t.name().equals(Topics.DEAD_LETTER))) {
      problems.add("the dead-letter topic " + Topics.DEAD_LETTER + " is not in topics");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }

  /** The product as it is: the static routing table and catalogue, topics from the local stack. */
  public static Product current(Path repoRoot) {
    return new Product(
        Routing.all(), EventCatalogue.all(), Deployables.all(), TopicSpec.read(repoRoot));
  }

  public Deployable deployable(Route route) {
    return deployables.get(route.function());
  }

  public Optional<TopicSpec> topic(String name) {
    return topics.stream().filter(t -> t.name().equals(name)).findFirst();
  }

  /** Routes delivered by a Broker and Triggers (the couriers' topic comes in by a KafkaSource). */
  public List<Route> brokerRoutes() {
    return routes.stream().filter(r -> !r.topic().equals(Topics.COURIERS)).toList();
  }

  public List<Route> courierRoutes() {
    return routes.stream().filter(r -> r.topic().equals(Topics.COURIERS)).toList();
  }

  public Optional<Route> route(String function) {
    return routes.stream().filter(r -> r.function().equals(function)).findFirst();
  }

  /** One Broker per workflow topic a Broker-delivered function uses, in a stable order. */
  public Set<String> brokerTopics() {
    Set<String> out = new TreeSet<>();
    for (Route route : brokerRoutes()) {
      out.add(route.topic());
    }
    return out;
  }

  /** The topics a type travels on: those of every route that takes or emits it. */
  public Set<String> topicsOf(String type) {
    Set<String> out = new TreeSet<>();
    for (Route route : routes) {
      if (route.triggers().contains(type) || route.emits().contains(type)) {
        out.add(route.topic());
      }
    }
    return out;
  }
}
