package com.bookstore.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where events travel, derived from the routing table and the catalogue so it cannot disagree with
 * either: <b>one Kafka topic per event type</b>. In Kafka-direct mode a function's consumer group
 * subscribes to the topics of exactly the types it takes, so everything it reads is its own
 * business; a function writes each answer once, to its type's topic, and every function that takes
 * that type reads it there. The local stack, the cluster's KafkaTopics and ACLs, and the consumer
 * settings all come from here.
 *
 * <p>Ownership follows from the same table: a fact's topic is written only by the functions that
 * emit it; a command's topic by the functions that emit it and, for the commands no function emits
 * ({@link #externalCommands()}: registering a user, placing an order), by other systems.
 *
 * <p>One exception: the couriers' own systems write every {@code com.bookstore.courier.*} type to
 * one topic of theirs, {@link Topics#COURIERS}, as an outside system does; on Knative a KafkaSource
 * brings it to the Broker.
 *
 * <p>On Knative the Broker routes by type over one topic of its own ({@link #BROKER_TOPIC}); events
 * a function publishes without a Broker request (outbox relays, sweeps) go there in that mode.
 */
public final class Topology {
  private Topology() {}

  /** The Knative Kafka Broker's topic (its {@code external.topic}). */
  public static final String BROKER_TOPIC = Topics.BOOKSTORE;

  /** Prefix of every per-type topic: {@code bookstore.stock.reserved.v1}. */
  public static final String TYPE_TOPIC_PREFIX = "bookstore.";

  /**
   * Partitions of a type's topic: the most consumers one function's group can use in parallel (on
   * top of the per-key lanes each consumer runs).
   */
  public static final int TYPE_TOPIC_PARTITIONS = 6;

  public static final Duration TYPE_TOPIC_RETENTION = Duration.ofDays(7);
  public static final Duration DEAD_LETTER_RETENTION = Duration.ofDays(30);

  /** What a topic carries, for the generated resources. */
  public enum TopicKind {
    /** One event type, written by its owners and read by its takers. */
    TYPE,
    /** The Knative Broker's own topic. */
    BROKER,
    /** Records no function could handle, with the reason. */
    DEAD_LETTER,
    /** The couriers' systems' topic: several types, written from outside. */
    COURIERS
  }

  /** The couriers' topic ({@link Topics#COURIERS}). */
  public static final String COURIERS_TOPIC = Topics.COURIERS;

  /** A Kafka topic: its name, partitions and retention, and for a type's topic the type. */
  public record Topic(
      String name, TopicKind kind, int partitions, Duration retention, Optional<String> type) {}

  /** The topic that carries {@code type}. */
  public static String topicOf(String type) {
    EventCatalogue.get(type);
    if (isCourierType(type)) {
      return COURIERS_TOPIC;
    }
    return TYPE_TOPIC_PREFIX + type.substring(EventTypes.PREFIX.length());
  }

  /** Whether {@code type} is one of the couriers' systems' types, carried on their topic. */
  public static boolean isCourierType(String type) {
    return type.startsWith(EventTypes.COURIER_PREFIX);
  }

  /** The type a per-type topic carries, if {@code topic} is one. */
  public static Optional<String> typeOf(String topic) {
    if (!topic.startsWith(TYPE_TOPIC_PREFIX)) {
      return Optional.empty();
    }
    String type = EventTypes.PREFIX + topic.substring(TYPE_TOPIC_PREFIX.length());
    return EventCatalogue.find(type).map(EventType::type).filter(t -> !isCourierType(t));
  }

  /** Every type {@code topic} may carry: one for a type's topic, several for the couriers'. */
  public static Set<String> typesOn(String topic) {
    if (COURIERS_TOPIC.equals(topic)) {
      return externalFacts();
    }
    return typeOf(topic).map(Set::of).orElse(Set.of());
  }

  /** The topics {@code function} consumes in Kafka-direct mode, in a stable order. */
  public static List<String> inputs(String function) {
    return Routing.of(function).triggers().stream()
        .map(Topology::topicOf)
        .distinct()
        .sorted()
        .toList();
  }

  /** The topics {@code function} writes its answers to, in a stable order. */
  public static List<String> outputs(String function) {
    return Routing.of(function).emits().stream()
        .map(Topology::topicOf)
        .distinct()
        .sorted()
        .toList();
  }

  /** The functions that take {@code type}, in routing-table order. */
  public static List<String> consumers(String type) {
    return Routing.all().stream().filter(r -> r.takes(type)).map(Route::function).toList();
  }

  /** The functions that emit {@code type}, in routing-table order. */
  public static List<String> producers(String type) {
    return Routing.all().stream()
        .filter(r -> r.emits().contains(type))
        .map(Route::function)
        .toList();
  }

  /**
   * The one function that dead-letters what does not belong on {@code type}'s topic (a record that
   * is not a CloudEvent, or of another type): the first in the routing table that takes it, so one
   * bad record gives one dead letter however many functions read the topic.
   */
  public static Optional<String> keeper(String type) {
    return consumers(type).stream().findFirst();
  }

  /** The keeper of a topic: of its type, or of the first of its types that someone takes. */
  public static Optional<String> keeperOfTopic(String topic) {
    return typesOn(topic).stream().map(Topology::keeper).flatMap(Optional::stream).findFirst();
  }

  /** Commands that other systems send: taken by a function, emitted by none. */
  public static Set<String> externalCommands() {
    Set<String> out = new LinkedHashSet<>();
    for (EventType type : EventCatalogue.all()) {
      if (type.kind() == EventKind.COMMAND
          && producers(type.type()).isEmpty()
          && !consumers(type.type()).isEmpty()) {
        out.add(type.type());
      }
    }
    return out;
  }

  /**
   * Facts that come from outside: the couriers' systems' events, on {@link #COURIERS_TOPIC}. No
   * function emits them; the product checks each against its own delivery before it counts.
   */
  public static Set<String> externalFacts() {
    return EXTERNAL_FACTS;
  }

  /** Read for every record of the couriers' topic, so derived once from the catalogue. */
  private static final Set<String> EXTERNAL_FACTS = courierTypes();

  private static Set<String> courierTypes() {
    Set<String> out = new LinkedHashSet<>();
    for (EventType type : EventCatalogue.all()) {
      if (isCourierType(type.type())) {
        out.add(type.type());
      }
    }
    return Collections.unmodifiableSet(out);
  }

  /** Every topic the product uses: one per catalogued type, the Broker's, the dead letters. */
  public static List<Topic> topics() {
    List<Topic> out = new ArrayList<>();
    for (EventType type : EventCatalogue.all()) {
      if (isCourierType(type.type())) {
        continue;
      }
      out.add(
          new Topic(
              topicOf(type.type()),
              TopicKind.TYPE,
              TYPE_TOPIC_PARTITIONS,
              TYPE_TOPIC_RETENTION,
              Optional.of(type.type())));
    }
    out.add(
        new Topic(
            BROKER_TOPIC,
            TopicKind.BROKER,
            TYPE_TOPIC_PARTITIONS,
            TYPE_TOPIC_RETENTION,
            Optional.empty()));
    out.add(
        new Topic(
            COURIERS_TOPIC,
            TopicKind.COURIERS,
            TYPE_TOPIC_PARTITIONS,
            TYPE_TOPIC_RETENTION,
            Optional.empty()));
    out.add(
        new Topic(
            Topics.DEAD_LETTER, TopicKind.DEAD_LETTER, 3, DEAD_LETTER_RETENTION, Optional.empty()));
    return List.copyOf(out);
  }
}
