package com.bookstore.deploy;

import com.bookstore.deploy.Deployable.Resources;
import com.bookstore.deploy.Deployable.Scale;
import com.bookstore.deploy.Deployable.Visibility;
import com.bookstore.events.Routing.Functions;
import java.util.LinkedHashMap;
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
