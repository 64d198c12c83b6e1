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

/** Products as data: today's, and one with a function the manifests must grow for. */
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
   * Today's product plus a function fed from the couriers' topic (dispatch-courier is not written
   * yet). Its event types are stand-ins from today's catalogue: the Route record accepts only
   * catalogued types, and which types it carries does not change which sources are generated.
   */
  static Product withFutureFunctions() {
    Product today = current();
    List<Route> routes = new java.util.ArrayList<>(today.routes());
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
        COURIER_FUNCTION,
        new Deployable(
            COURIER_FUNCTION, Visibility.CLUSTER_LOCAL, scale, scale, resources, true, true));
    return new Product(routes, EventCatalogue.all(), deployables, today.topics());
  }
}
