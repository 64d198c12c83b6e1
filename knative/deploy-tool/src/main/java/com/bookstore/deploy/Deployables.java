package com.bookstore.deploy;

import com.bookstore.deploy.Deployable.Grpc;
import com.bookstore.deploy.Deployable.Resources;
import com.bookstore.deploy.Deployable.Scale;
import com.bookstore.deploy.Deployable.Visibility;
import com.bookstore.events.Routing.Functions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The deployment declaration of every function. A function in the routing table with no entry here
 * cannot be generated (DeployablesTest fails), so a new function must say how it deploys.
 */
public final class Deployables {
  private Deployables() {}

  /**
   * Broker-driven functions: scale to zero, a short grace before scaling down so a saga's next step
   * finds a warm pod, and a concurrency target that keeps PostgreSQL pools small.
   */
  private static final Scale BROKER_DRIVEN_DEV = new Scale(0, 5, 50, "30s");

  private static final Scale BROKER_DRIVEN_PROD = new Scale(0, 20, 50, "60s");
  private static final Resources SMALL = new Resources("100m", "256Mi", "1", "512Mi");

  /** Keys of Secret {@code bookstore-secrets} that single functions read. */
  public static final String CATALOG_ADMIN_TOKEN = "CATALOG_ADMIN_TOKEN";

  public static final String DISPATCH_ADMIN_TOKEN = "DISPATCH_ADMIN_TOKEN";

  /** saga-step's operator API and console (bookstore.operator.token): disabled without it. */
  public static final String OPERATOR_TOKEN = "BOOKSTORE_OPERATOR_TOKEN";

  public static final String SMTP_USER = "BOOKSTORE_SMTP_USER";
  public static final String SMTP_PASSWORD = "BOOKSTORE_SMTP_PASSWORD";

  /** The catalog's gRPC server port, as in its application.properties. */
  public static final int CATALOG_GRPC_PORT = 9084;

  private static final Map<String, Deployable> ALL = new LinkedHashMap<>();

  static {
    // People call /register, /login and /session over HTTP; bcrypt is CPU-bound, so a lower
    // concurrency target, and prod keeps one pod warm so a login never waits for a cold start.
    add(
        new Deployable(
            Functions.REGISTER_USER,
            Visibility.PUBLIC,
            new Scale(0, 5, 20, "60s"),
            new Scale(1, 20, 20, "120s"),
            new Resources("250m", "256Mi", "2", "512Mi"),
            true,
            true));
    add(
        new Deployable(
            Functions.RESERVE_STOCK,
            Visibility.CLUSTER_LOCAL,
            BROKER_DRIVEN_DEV,
            BROKER_DRIVEN_PROD,
            SMALL,
            true,
            true));
    add(
        new Deployable(
            Functions.PAYMENT,
            Visibility.CLUSTER_LOCAL,
            BROKER_DRIVEN_DEV,
            BROKER_DRIVEN_PROD,
            SMALL,
            true,
            true));
    // People browse and search over HTTP, and the admin API adds books; prod keeps one pod warm so
    // a browser never waits for a cold start. Reads are cheap (PostgreSQL full-text, Redis).
    add(
        new Deployable(
            Functions.CATALOG,
            Visibility.PUBLIC,
            new Scale(0, 5, 50, "60s"),
            new Scale(1, 10, 50, "120s"),
            SMALL,
            true,
            true,
            List.of(CATALOG_ADMIN_TOKEN),
            // place-order prices every cart here (one unary call per order): a warm pod in prod,
            // and a high target because a price lookup is one indexed read.
            new Grpc(
                CATALOG_GRPC_PORT, new Scale(0, 5, 100, "60s"), new Scale(1, 10, 100, "120s"))));
    // The HTTP entry of every order: prod keeps one pod warm; the work per request is I/O (Redis
    // session, a gRPC call, one insert, one Kafka write), so the target is high.
    add(
        new Deployable(
            Functions.PLACE_ORDER,
            Visibility.PUBLIC,
            new Scale(0, 5, 100, "60s"),
            new Scale(1, 20, 100, "120s"),
            new Resources("250m", "256Mi", "2", "512Mi"),
            true,
            true));
    // On every order's path five times (order.placed and four replies): one warm pod in prod so a
    // saga never waits for a cold start, and a higher concurrency target than the participants
    // because each event is one short transaction on the event loop.
    add(
        new Deployable(
            Functions.SAGA_STEP,
            Visibility.CLUSTER_LOCAL,
            new Scale(0, 5, 150, "60s"),
            new Scale(1, 30, 150, "120s"),
            new Resources("250m", "256Mi", "2", "512Mi"),
            true,
            true,
            List.of(OPERATOR_TOKEN),
            null));
    // Only failed sagas reach it: scale to zero like the participants.
    add(
        new Deployable(
            Functions.COMPENSATE,
            Visibility.CLUSTER_LOCAL,
            BROKER_DRIVEN_DEV,
            BROKER_DRIVEN_PROD,
            SMALL,
            true,
            true));
    // One message per finished order; an SMTP exchange takes a while but uses no CPU, so the
    // broker-driven target suits it. The relay's host and port are in the ConfigMap.
    add(
        new Deployable(
            Functions.NOTIFY,
            Visibility.CLUSTER_LOCAL,
            BROKER_DRIVEN_DEV,
            BROKER_DRIVEN_PROD,
            SMALL,
            true,
            true,
            List.of(SMTP_USER, SMTP_PASSWORD),
            null));
    // Woken every minute by its PingSource (POST /sweep). Scaling to zero loses no sweep: the
    // ping's own request starts the pod (the activator holds it meanwhile), and nothing lives in
    // the pod between sweeps, since a sweep reads what is overdue from PostgreSQL (deadlines,
    // holds' expiry), so a late or missed ping only delays detection to the next one. One pod at
    // most: pings come one a minute, and two sweepers would only race for the same rows.
    add(
        new Deployable(
            Functions.SAGA_TIMEOUTS,
            Visibility.CLUSTER_LOCAL,
            new Scale(0, 1, 10, "0s"),
            new Scale(0, 1, 10, "0s"),
            SMALL,
            true,
            true));
    // The delivery workflow: three commands per delivered order, the couriers' events (location
    // updates are frequent but one short UPDATE each) and the pickup sweep's events. Operators add
    // couriers and set their availability with the admin token; customers see deliveries through
    // place-order's order history, so the Service stays inside the cluster.
    add(
        new Deployable(
            Functions.DISPATCH_COURIER,
            Visibility.CLUSTER_LOCAL,
            BROKER_DRIVEN_DEV,
            BROKER_DRIVEN_PROD,
            SMALL,
            true,
            true,
            List.of(DISPATCH_ADMIN_TOKEN),
            null));
  }

  private static void add(Deployable deployable) {
    if (ALL.put(deployable.function(), deployable) != null) {
      throw new IllegalStateException("function declared twice: " + deployable.function());
    }
  }

  public static Optional<Deployable> find(String function) {
    return Optional.ofNullable(ALL.get(function));
  }

  public static Map<String, Deployable> all() {
    return Map.copyOf(ALL);
  }
}
