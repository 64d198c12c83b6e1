package com.bookstore.events;

/** Kafka topics. The local stack and the cluster resources create exactly these. */
public final class Topics {
  private Topics() {}

  /** The bookstore workflow: users, catalog, orders and the order saga. */
  public static final String BOOKSTORE = "bookstore-events";

  /** The delivery workflow. */
  public static final String DELIVERY = "delivery-events";

  /** Couriers' own systems publish here. */
  public static final String COURIERS = "courier-events";

  /** Records no function could handle, with headers that say why and where they came from. */
  public static final String DEAD_LETTER = "bookstore-dead-letter";
}
