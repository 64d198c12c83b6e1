package com.bookstore.deploy;

import com.bookstore.deploy.Deployable.Resources;
import com.bookstore.deploy.Deployable.Scale;
import com.bookstore.deploy.Deployable.Visibility;
import com.bookstore.events.EventTypes;
import com.bookstore.events.Route;
import com.bookstore.events.Topology.Topic;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/** Products as data: today's, one with a function more, one with other topics. */
final class Fixtures {
  private Fixtures() {}

  /**
   * A function that does not exist: it follows confirmed orders and emits a fact another function
   * (notify) emits too. Its types are today's (the Route record accepts only catalogued types); it
   * stands for any function a later routing table adds, such as the delivery workflow's.
   */
  static final String ANOTHER_FUNCTION = "order-audit";

  static Path repoRoot() {
    return Path.of(System.getProperty("bookstore.repo.root", "../..")).toAbsolutePath().normalize();
  }

  static Product current() {
    return Product.current();
  }

  /** Today's product plus {@link #ANOTHER_FUNCTION}. */
  static Product withAnotherFunction() {
    Product today = current();
    List<Route> routes = new ArrayList<>(today.routes());
    routes.add(
        new Route(
            ANOTHER_FUNCTION,
            Set.of(EventTypes.ORDER_CONFIRMED),
            Set.of(EventTypes.NOTIFICATION_SENT)));
    Map<String, Deployable> deployables = new HashMap<>(today.deployables());
    Scale scale = new Scale(0, 3, 10, "30s");
    Resources resources = new Resources("100m", "128Mi", "500m", "256Mi");
    deployables.put(
        ANOTHER_FUNCTION,
        new Deployable(
            ANOTHER_FUNCTION, Visibility.CLUSTER_LOCAL, scale, scale, resources, true, true));
    return new Product(routes, today.types(), deployables, today.topics());
  }

  /** Today's product with every topic passed through {@code change}. */
  static Product withTopics(UnaryOperator<Topic> change) {
    Product today = current();
    return new Product(
        today.routes(),
        today.types(),
        today.deployables(),
        today.topics().stream().map(change).toList());
  }
}
