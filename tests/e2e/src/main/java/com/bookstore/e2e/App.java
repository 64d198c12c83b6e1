package com.bookstore.e2e;

import com.bookstore.events.Routing;
import com.bookstore.events.Topology;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One packaged function to run as a process: {@code
 * functions/<function>/target/quarkus-app/quarkus-run.jar} on {@code port}, with extra environment
 * variables and system properties on top of what {@link Apps} gives every app. Immutable; the
 * {@code with*} methods return copies.
 *
 * @param function the function's name, as in the routing table and the Maven module
 * @param port the HTTP port ({@code -Dquarkus.http.port})
 * @param env environment variables added to (or overriding) the launcher's environment
 * @param properties system properties ({@code -Dkey=value}), e.g. {@code
 *     saga.order.time-limit.authorize-payment=PT3S}
 */
public record App(
    String function, int port, Map<String, String> env, Map<String, String> properties) {

  /** The ten functions of the bookstore on their usual ports (README, common brief). */
  public static final List<App> BOOKSTORE =
      List.of(
          of(Routing.Functions.REGISTER_USER, 8081),
          of(Routing.Functions.RESERVE_STOCK, 8082),
          of(Routing.Functions.PAYMENT, 8083),
          of(Routing.Functions.CATALOG, 8084),
          of(Routing.Functions.PLACE_ORDER, 8085),
          of(Routing.Functions.SAGA_STEP, 8086),
          of(Routing.Functions.COMPENSATE, 8087),
          of(Routing.Functions.NOTIFY, 8088),
          of(Routing.Functions.SAGA_TIMEOUTS, 8089),
          of(Routing.Functions.DISPATCH_COURIER, 8091));

  /** The catalog's gRPC port (place-order prices carts through it), beside its HTTP port. */
  public static final int CATALOG_GRPC_PORT = 9084;

  /**
   * The ten functions with every port moved by {@code offset} (HTTP ports, and the catalog's gRPC
   * port with place-order pointed at it), for a run beside apps already on the usual ports.
   */
  public static List<App> bookstore(int offset) {
    if (offset == 0) {
      return BOOKSTORE;
    }
    String grpc = Integer.toString(CATALOG_GRPC_PORT + offset);
    return BOOKSTORE.stream()
        .map(a -> a.withPort(a.port + offset))
        .map(
            a ->
                switch (a.function) {
                  case Routing.Functions.CATALOG ->
                      a.withProperty("quarkus.grpc.server.port", grpc);
                  case Routing.Functions.PLACE_ORDER ->
                      a.withEnv("BOOKSTORE_CATALOG_GRPC_PORT", grpc);
                  // the console's order view asks these three for their records of the order
                  case Routing.Functions.SAGA_STEP ->
                      a.withEnv("BOOKSTORE_CONSOLE_PAYMENT_URL", moved(PAYMENT, offset))
                          .withEnv("BOOKSTORE_CONSOLE_RESERVE_STOCK_URL", moved(RESERVE, offset))
                          .withEnv("BOOKSTORE_CONSOLE_NOTIFY_URL", moved(NOTIFY, offset));
                  default -> a;
                })
        .toList();
  }

  private static final String PAYMENT = Routing.Functions.PAYMENT;
  private static final String RESERVE = Routing.Functions.RESERVE_STOCK;
  private static final String NOTIFY = Routing.Functions.NOTIFY;

  /** A function's URL with its port moved by {@code offset}. */
  private static String moved(String function, int offset) {
    return "http://127.0.0.1:" + (named(function).port + offset);
  }

  public App {
    Objects.requireNonNull(function, "function");
    Routing.of(function); // fails at once, naming the known functions, on a typo
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("not a port: " + port);
    }
    env = Map.copyOf(env);
    properties = Map.copyOf(properties);
  }

  public static App of(String function, int port) {
    return new App(function, port, Map.of(), Map.of());
  }

  /** The app with its usual port, from {@link #BOOKSTORE}. */
  public static App named(String function) {
    return BOOKSTORE.stream()
        .filter(a -> a.function.equals(function))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("not a bookstore function: " + function));
  }

  public App withEnv(String name, String value) {
    Map<String, String> copy = new LinkedHashMap<>(env);
    copy.put(name, value);
    return new App(function, port, copy, properties);
  }

  public App withProperty(String name, String value) {
    Map<String, String> copy = new LinkedHashMap<>(properties);
    copy.put(name, value);
    return new App(function, port, env, copy);
  }

  public App withPort(int newPort) {
    return new App(function, newPort, env, properties);
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /**
   * Whether the function consumes its workflow topic in Kafka-direct mode: it has triggers in the
   * routing table. Functions without (catalog, saga-timeouts) have no consumer group to wait for.
   */
  public boolean consumes() {
    return !Routing.of(function).triggers().isEmpty();
  }

  /** Its consumer group in an environment: {@code <function>-<environment>} (the kit's rule). */
  public String consumerGroup(String environment) {
    return function + "-" + environment;
  }

  /** The topics it reads in Kafka-direct mode: those of the types it takes. */
  public List<String> topics() {
    return Topology.inputs(function);
  }
}
