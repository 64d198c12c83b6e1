package com.bookstore.events;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The routing table, declared once: what each function takes and emits. Kafka-direct consumers (the
 * topics of {@link Topology}), the HTTP ingress, the generated Knative Triggers and the cluster's
 * topics and ACLs all read it, so they cannot disagree.
 */
public final class Routing {
  private Routing() {}

  /** Function names: one name per deployable, everywhere. */
  public static final class Functions {
    private Functions() {}

    public static final String REGISTER_USER = "register-user";
    public static final String RESERVE_STOCK = "reserve-stock";
    public static final String PAYMENT = "payment";
    public static final String CATALOG = "catalog";
    public static final String PLACE_ORDER = "place-order";
    public static final String SAGA_STEP = "saga-step";
    public static final String COMPENSATE = "compensate";
    public static final String NOTIFY = "notify";
    public static final String SAGA_TIMEOUTS = "saga-timeouts";
  }

  private static final Map<String, Route> ROUTES = new LinkedHashMap<>();

  static {
    add(
        new Route(
            Functions.REGISTER_USER,
            Set.of(EventTypes.USER_REGISTER),
            Set.of(EventTypes.USER_REGISTERED, EventTypes.USER_REGISTRATION_REJECTED)));
    add(
        new Route(
            Functions.RESERVE_STOCK,
            Set.of(
                EventTypes.STOCK_RESERVE,
                EventTypes.STOCK_COMMIT,
                EventTypes.STOCK_RELEASE,
                EventTypes.STOCK_EXPIRE),
            Set.of(
                EventTypes.STOCK_RESERVED,
                EventTypes.STOCK_REJECTED,
                EventTypes.STOCK_COMMITTED,
                EventTypes.STOCK_RELEASED,
                EventTypes.STOCK_EXPIRED)));
    add(
        new Route(
            Functions.PAYMENT,
            Set.of(
                EventTypes.PAYMENT_AUTHORIZE,
                EventTypes.PAYMENT_CAPTURE,
                EventTypes.PAYMENT_REFUND),
            Set.of(
                EventTypes.PAYMENT_AUTHORIZED,
                EventTypes.PAYMENT_DECLINED,
                EventTypes.PAYMENT_CAPTURED,
                EventTypes.PAYMENT_REFUNDED)));
    // HTTP (admin, search) and gRPC (prices) only: nothing to consume.
    add(
        new Route(
            Functions.CATALOG,
            Set.of(),
            Set.of(EventTypes.BOOK_ADDED, EventTypes.BOOK_PRICE_CHANGED)));
    // The order entry: POST /orders and the order.place command of other systems; it owns
    // order.placed and follows its orders' facts to keep their status and history.
    add(
        new Route(
            Functions.PLACE_ORDER,
            Set.of(
                EventTypes.ORDER_PLACE,
                EventTypes.STOCK_RESERVED,
                EventTypes.STOCK_REJECTED,
                EventTypes.STOCK_COMMITTED,
                EventTypes.STOCK_RELEASED,
                EventTypes.PAYMENT_AUTHORIZED,
                EventTypes.PAYMENT_DECLINED,
                EventTypes.PAYMENT_CAPTURED,
                EventTypes.PAYMENT_REFUNDED,
                EventTypes.SAGA_FAILED,
                EventTypes.ORDER_CONFIRMED,
                EventTypes.ORDER_CANCELLED),
            Set.of(EventTypes.ORDER_PLACED)));
    // The orchestrator: starts the order saga and moves it on every forward reply and deadline.
    add(
        new Route(
            Functions.SAGA_STEP,
            Set.of(
                EventTypes.ORDER_PLACED,
                EventTypes.STOCK_RESERVED,
                EventTypes.STOCK_REJECTED,
                EventTypes.STOCK_COMMITTED,
                EventTypes.PAYMENT_AUTHORIZED,
                EventTypes.PAYMENT_DECLINED,
                EventTypes.PAYMENT_CAPTURED,
                EventTypes.SAGA_DEADLINE_PASSED),
            Set.of(
                EventTypes.STOCK_RESERVE,
                EventTypes.PAYMENT_AUTHORIZE,
                EventTypes.STOCK_COMMIT,
                EventTypes.PAYMENT_CAPTURE,
                EventTypes.STOCK_RELEASE,
                EventTypes.PAYMENT_REFUND,
                EventTypes.SAGA_FAILED,
                EventTypes.SAGA_STUCK,
                EventTypes.ORDER_CONFIRMED,
                EventTypes.ORDER_CANCELLED)));
    // Turns a failed saga into its compensations, newest first, and closes it.
    add(
        new Route(
            Functions.COMPENSATE,
            Set.of(EventTypes.SAGA_FAILED, EventTypes.STOCK_RELEASED, EventTypes.PAYMENT_REFUNDED),
            Set.of(
                EventTypes.STOCK_RELEASE,
                EventTypes.PAYMENT_REFUND,
                EventTypes.SAGA_STUCK,
                EventTypes.ORDER_CANCELLED)));
    add(
        new Route(
            Functions.NOTIFY,
            Set.of(EventTypes.ORDER_CONFIRMED, EventTypes.ORDER_CANCELLED),
            Set.of(EventTypes.NOTIFICATION_SENT)));
    // Triggered by a schedule (a PingSource on Knative), not by the topic.
    add(
        new Route(
            Functions.SAGA_TIMEOUTS,
            Set.of(),
            Set.of(EventTypes.SAGA_DEADLINE_PASSED, EventTypes.STOCK_EXPIRE)));
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
