package com.bookstore.events;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The routing table, declared once. Kafka-direct consumers, the HTTP ingress and the generated
 * Knative Triggers all read it, so they cannot disagree.
 */
public final class Routing {
  private Routing() {}

  /** Function names: one name per deployable, everywhere. */
  public static final class Functions {
    private Functions() {}

    public static final String REGISTER_USER = "register-user";
    public static final String RESERVE_STOCK = "reserve-stock";
    public static final String PAYMENT = "payment";
  }

  private static final Map<String, Route> ROUTES = new LinkedHashMap<>();

  static {
    add(
        new Route(
            Functions.REGISTER_USER,
            Topics.BOOKSTORE,
            Set.of(EventTypes.USER_REGISTER),
            Set.of(EventTypes.USER_REGISTERED, EventTypes.USER_REGISTRATION_REJECTED),
            true));
    add(
        new Route(
            Functions.RESERVE_STOCK,
            Topics.BOOKSTORE,
            Set.of(EventTypes.STOCK_RESERVE, EventTypes.STOCK_COMMIT, EventTypes.STOCK_RELEASE),
            Set.of(
                EventTypes.STOCK_RESERVED,
                EventTypes.STOCK_REJECTED,
                EventTypes.STOCK_COMMITTED,
                EventTypes.STOCK_RELEASED),
            false));
    add(
        new Route(
            Functions.PAYMENT,
            Topics.BOOKSTORE,
            Set.of(
                EventTypes.PAYMENT_AUTHORIZE,
                EventTypes.PAYMENT_CAPTURE,
                EventTypes.PAYMENT_REFUND),
            Set.of(
                EventTypes.PAYMENT_AUTHORIZED,
                EventTypes.PAYMENT_DECLINED,
                EventTypes.PAYMENT_CAPTURED,
                EventTypes.PAYMENT_REFUNDED),
            false));
  }

  private static void add(Route route) {
    if (ROUTES.put(route.function(), route) != null) {
      throw new IllegalStateException("function routed twice: " + route.function());
    }
  }

  public static Route of(String function) {
    Route route = ROUTES.get(function);
    if (route == null) {
      throw new IllegalArgumentException(
          "function " + function + " is not in the routing table; known: " + ROUTES.keySet());
    }
    return route;
  }

  public static List<Route> all() {
    return List.copyOf(ROUTES.values());
  }
}
