package com.bookstore.deploy;

import com.bookstore.deploy.Deployable.Resources;
import com.bookstore.deploy.Deployable.Scale;
import com.bookstore.deploy.Deployable.Visibility;
import com.bookstore.events.EventCatalogue;
import com.bookstore.events.EventTypes;
import com.bookstore.events.Route;
import com.bookstore.events.Topics;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Products as data: today's, and one with the functions the manifests must grow for. */
final class Fixtures {
  private Fixtures() {}

  static final String COURIER_FUNCTION = "dispatch-courier";

  static Path repoRoot() {
    return Path.of(System.getProperty("bookstore.repo.root", "../..")).toAbsolutePath().normalize();
  }

  static Product current() {
    return Product.current(repoRoot());
  }

  /**
   * Today's product plus a saga-timeouts function and a function fed from the couriers' topic.
   * Their event types are stand-ins from today's catalogue: the Route record accepts only
   * catalogued types, and which types they carry does not change which sources are generated.
   */
  static Product withFutureFunctions() {
    Product today = current();
    List<Route> routes = new java.util.ArrayList<>(today.routes());
    routes.add(
        new Route(
            Product.SAGA_TIMEOUTS,
            Topics.BOOKSTORE,
            Set.of(),
            Set.of(EventTypes.STOCK_RELEASE, EventTypes.PAYMENT_REFUND),
            false));
    routes.add(
        new Route(
            COURIER_FUNCTION,
            Topics.COURIERS,
            Set.of(EventTypes.USER_REGISTERED),
            Set.of(EventTypes.USER_REGISTRATION_REJECTED),
            true));
    Map<String, Deployable> deployables = new HashMap<>(today.deployables());
    Scale scale = new Scale(0, 3, 10, "30s");
    Resources resources = new Resources("100m", "128Mi", "500m", "256Mi");
    deployables.put(
        Product.SAGA_TIMEOUTS,
        new Deployable(
            Product.SAGA_TIMEOUTS, Visibility.CLUSTER_LOCAL, scale, scale, resources, true, true));
    deployables.put(
        COURIER_FUNCTION,
        new Deployable(
            COURIER_FUNCTION, Visibility.CLUSTER_LOCAL, scale, scale, resources, true, true));
    return new Product(routes, EventCatalogue.all(), deployables, today.topics());
  }
}
