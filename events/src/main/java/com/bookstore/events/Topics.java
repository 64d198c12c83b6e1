package com.bookstore.events;

/** Topics with names of their own; every event type's topic is {@link Topology#topicOf}. */
public final class Topics {
  private Topics() {}

  /** The Knative Kafka Broker's topic, which carries every type and routes by it. */
  public static final String BOOKSTORE = "bookstore-events";

  /**
   * The couriers' topic: the couriers' own systems (outside the product) write their events here,
   * every {@code com.bookstore.courier.*} type on one topic, keyed by the order id.
   */
  public static final String COURIERS = "bookstore-couriers";

  /** Records no function could handle, with headers that say why and where they came from. */
  public static final String DEAD_LETTER = "bookstore-dead-letter";
}
