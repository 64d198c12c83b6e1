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
    public static final String DISPATCH_COURIER = "dispatch-courier";
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
                EventTypes.ORDER_CANCELLED,
                EventTypes.DELIVERY_ASSIGNED,
                EventTypes.DELIVERY_REJECTED,
                EventTypes.DELIVERY_REASSIGNED,
                EventTypes.DELIVERY_PICKED_UP,
                EventTypes.DELIVERY_DELIVERED,
                EventTypes.DELIVERY_FAILED,
                EventTypes.DELIVERY_CANCELLED),
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
                EventTypes.DELIVERY_ASSIGNED,
                EventTypes.DELIVERY_REJECTED,
                EventTypes.DELIVERY_DELIVERED,
                EventTypes.DELIVERY_FAILED,
                EventTypes.SAGA_DEADLINE_PASSED),
            Set.of(
                EventTypes.STOCK_RESERVE,
                EventTypes.PAYMENT_AUTHORIZE,
                EventTypes.DELIVERY_ASSIGN,
                EventTypes.STOCK_COMMIT,
                EventTypes.PAYMENT_CAPTURE,
                EventTypes.DELIVERY_DISPATCH,
                EventTypes.STOCK_RELEASE,
                EventTypes.PAYMENT_REFUND,
                EventTypes.DELIVERY_CANCEL,
                EventTypes.SAGA_FAILED,
                EventTypes.SAGA_STUCK,
                EventTypes.ORDER_CONFIRMED,
                EventTypes.ORDER_CANCELLED)));
    // Turns a failed saga into its compensations, newest first, and closes it.
    add(
        new Route(
            Functions.COMPENSATE,
            Set.of(
                EventTypes.SAGA_FAILED,
                EventTypes.STOCK_RELEASED,
                EventTypes.PAYMENT_REFUNDED,
                EventTypes.DELIVERY_CANCELLED),
            Set.of(
                EventTypes.STOCK_RELEASE,
                EventTypes.PAYMENT_REFUND,
                EventTypes.DELIVERY_CANCEL,
                EventTypes.SAGA_STUCK,
                EventTypes.ORDER_CANCELLED)));
    add(
        new Route(
            Functions.NOTIFY,
            Set.of(
                EventTypes.ORDER_CONFIRMED,
                EventTypes.ORDER_CANCELLED,
                EventTypes.DELIVERY_ASSIGNED,
                EventTypes.DELIVERY_REASSIGNED,
                EventTypes.DELIVERY_PICKED_UP,
                EventTypes.DELIVERY_DELIVERED,
                EventTypes.DELIVERY_FAILED),
            Set.of(EventTypes.NOTIFICATION_SENT)));
    // Triggered by a schedule (a PingSource on Knative), not by the topic.
    add(
        new Route(
            Functions.SAGA_TIMEOUTS,
            Set.of(),
            Set.of(
                EventTypes.SAGA_DEADLINE_PASSED,
                EventTypes.STOCK_EXPIRE,
                EventTypes.DELIVERY_PICKUP_OVERDUE)));
    // The delivery workflow: couriers, assignment, the couriers' own events, pickup timeouts and
    // reassignment. The couriers' events come from outside, on the couriers' topic.
    add(
        new Route(
            Functions.DISPATCH_COURIER,
            Set.of(
                EventTypes.DELIVERY_ASSIGN,
                EventTypes.DELIVERY_DISPATCH,
                EventTypes.DELIVERY_CANCEL,
                EventTypes.DELIVERY_PICKUP_OVERDUE,
                EventTypes.COURIER_PICKED_UP,
                EventTypes.COURIER_LOCATION_UPDATED,
                EventTypes.COURIER_DELIVERED,
                EventTypes.COURIER_FAILED),
            Set.of(
                EventTypes.DELIVERY_ASSIGNED,
                EventTypes.DELIVERY_REJECTED,
                EventTypes.DELIVERY_REASSIGNED,
                EventTypes.DELIVERY_PICKED_UP,
                EventTypes.DELIVERY_DELIVERED,
                EventTypes.DELIVERY_FAILED,
                EventTypes.DELIVERY_CANCELLED)));
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
