package com.bookstore.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bookstore.e2e.OrderPlan.Kind;
import com.bookstore.events.EventJson;
import com.bookstore.events.Routing.Functions;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Traces, and the dashboards.
 *
 * <p>Traces: every function exports to a real OTLP/HTTP receiver in the test ({@link
 * OtlpReceiver}); each order's spans must share one trace id and form one tree (one root, no span
 * whose parent was not received), and a delivered order's tree must reach every function it went
 * through and their PostgreSQL, Redis, gRPC and Kafka work.
 *
 * <p>Dashboards: the dashboards under {@code infra/grafana/dashboards} against a real Prometheus
 * (the local stack's, scraping the functions' {@code /q/metrics} on their usual ports every 2 s):
 * the ten functions run as processes while orders of every kind go through (confirmed, declined,
 * delivered by a simulated courier, without a courier) and a record that is not a CloudEvent is
 * dead-lettered; then every panel's query must parse, and each query on our metrics must return
 * data. Knative's own metrics cannot be produced here: those panels' metric names are checked
 * against {@code infra/grafana/knative-metrics.txt} (which names its sources), and their queries
 * must parse.
 */
class ObservabilityTest {
  private static final String ENV = "e2e-observability";
  private static final String CATALOG_TOKEN = "e2e-admin-" + UUID.randomUUID();
  private static final String DISPATCH_TOKEN = "e2e-dispatch-" + UUID.randomUUID();
  private static final String OPERATOR_TOKEN = "e2e-operator-" + UUID.randomUUID();
  private static final Duration WITHIN = Duration.ofSeconds(90);
  private static final Pattern METRIC =
      Pattern.compile("\\b(kn|autoscaler|activator|revision)_[a-z_]+");

  private static Stack stack;
  private static Apps apps;
  private static TopicWatcher watcher;
  private static Http http;
  private static Bookstore store;
  private static URI prometheus;
  private static OtlpReceiver otlp;
  private static Shop.Customer customer;

  /** The orders placed in {@link #startTheBookstore}, with whether a courier delivers them. */
  private static final Map<String, Boolean> ORDERS = new LinkedHashMap<>();

  @BeforeAll
  static void startTheBookstore() {
    stack = Stack.fromEnvironment();
    http = new Http();
    prometheus =
        URI.create(
            System.getenv().getOrDefault("BOOKSTORE_PROMETHEUS_URL", "http://127.0.0.1:19090"));
    Http.Response ready;
    try {
      ready = http.get(prometheus.resolve("/-/ready"));
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "no Prometheus on " + prometheus + " (bash infra/local/stack.sh up starts it)", e);
    }
    assertEquals(200, ready.status(), "Prometheus ready: " + ready.body());
    apps = Apps.create(stack, ENV);
    try {
      otlp = new OtlpReceiver();
    } catch (IOException e) {
      throw new IllegalStateException("OTLP receiver not started", e);
    }
    List<App> all = new ArrayList<>();
    for (App plain : App.BOOKSTORE) {
      App app =
          plain
              .withEnv("QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", otlp.endpoint().toString())
              .withEnv("QUARKUS_OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/protobuf")
              .withEnv("QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "200ms");
      all.add(
          switch (app.function()) {
            case Functions.CATALOG -> app.withEnv("CATALOG_ADMIN_TOKEN", CATALOG_TOKEN);
            case Functions.SAGA_STEP -> app.withEnv("BOOKSTORE_OPERATOR_TOKEN", OPERATOR_TOKEN);
            case Functions.DISPATCH_COURIER ->
                app.withEnv("DISPATCH_ADMIN_TOKEN", DISPATCH_TOKEN)
                    .withProperty("dispatch.pickup-time-limit", "PT5S");
            default -> app;
          });
    }
    watcher = TopicWatcher.start(stack.kafkaBootstrap());
    apps.start(all);
    store = Bookstore.of(http, apps);
    try {
      runOrdersOfEveryKind();
    } catch (Exception e) {
      throw new IllegalStateException("orders of every kind did not go through", e);
    }
    // An operator looks at the sagas: the token crosses saga-step, and must not be written out.
    http.get(
            store.url(Functions.SAGA_STEP, "/console/api/sagas?limit=5"),
            "Authorization",
            "Bearer " + OPERATOR_TOKEN)
        .expect(200, "the operator console's saga list");
  }

  @AfterAll
  static void stopTheBookstore() {
    if (watcher != null) {
      watcher.close();
    }
    if (apps != null) {
      apps.close();
    }
    if (otlp != null) {
      otlp.close();
      // every span received, for a look after the run
      try {
        Files.write(
            Path.of("target", "otlp-spans.txt"),
            otlp.spans().stream().map(s -> s + " " + s.traceId() + " " + s.attributes()).toList());
      } catch (IOException e) {
        System.err.println("spans not written: " + e);
      }
    }
  }

  @Test
  void everyPanelsQueryParsesAndEachOnOurMetricsReturnsData() throws Exception {
    Set<String> knative = knativeMetrics();
    Map<String, String> queries = queries();
    assertFalse(queries.isEmpty(), "no panel queries found");
    List<String> problems = new ArrayList<>();
    Set<String> knativeUsed = new TreeSet<>();
    for (Map.Entry<String, String> q : queries.entrySet()) {
      String expr = q.getValue();
      Set<String> names = new TreeSet<>();
      Matcher m = METRIC.matcher(expr);
      while (m.find()) {
        if (!m.group().endsWith("_name")) { // label names such as kn_revision_name
          names.add(m.group());
        }
      }
      if (!names.isEmpty()) {
        knativeUsed.addAll(names);
        Set<String> unknown = new TreeSet<>(names);
        unknown.removeAll(knative);
        if (!unknown.isEmpty()) {
          problems.add(q.getKey() + ": not in knative-metrics.txt: " + unknown);
        }
        JsonNode r = query(expr);
        if (!"success".equals(r.path("status").asText())) {
          problems.add(q.getKey() + ": " + r.path("error").asText(r.toString()));
        }
        continue;
      }
      // ours: parse, and data (Prometheus scrapes every 2 s; rates need two samples)
      JsonNode r = query(expr);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while ("success".equals(r.path("status").asText())
          && r.path("data").path("result").isEmpty()
          && System.nanoTime() < deadline) {
        ConsumerGroups.pause(Duration.ofSeconds(1));
        r = query(expr);
      }
      if (!"success".equals(r.path("status").asText())) {
        problems.add(q.getKey() + ": does not parse: " + r.path("error").asText(r.toString()));
      } else if (r.path("data").path("result").isEmpty()) {
        problems.add(q.getKey() + ": no data for " + expr);
      }
    }
    System.out.printf(
        "dashboards: %d queries checked, Knative metrics used %s%n", queries.size(), knativeUsed);
    assertTrue(problems.isEmpty(), String.join("\n", problems));
    // both generations of Knative's names are plotted
    assertTrue(knativeUsed.contains("kn_revision_pods_desired"), knativeUsed.toString());
    assertTrue(knativeUsed.contains("autoscaler_desired_pods"), knativeUsed.toString());
  }

  /**
   * The console's order view asks payment, reserve-stock and notify (the records' owners) over
   * HTTP: a confirmed order shows its captured payment, its committed hold and its sent
   * confirmation; a declined one its declined payment, its released hold and its cancellation.
   */
  @Test
  void theConsoleShowsAnOrdersPaymentHoldAndNotificationsFromTheirOwners() {
    List<String> ids = new ArrayList<>(ORDERS.keySet());
    String confirmed = ids.get(0); // tok_visa, no address
    String declined = ids.get(4); // tok_declined

    JsonNode ok = orderView(confirmed, "order-confirmed");
    assertEquals("COMPLETED", ok.path("saga").path("status").asText(), ok.toString());
    JsonNode payment = part(ok, "payment", Functions.PAYMENT);
    assertEquals("CAPTURED", payment.path("status").asText(), payment.toString());
    assertEquals(
        ok.path("saga").path("order").path("total").path("cents").asLong(),
        payment.path("amountCents").asLong(),
        "the amount paid is the order's total: " + ok);
    assertTrue(payment.path("authorizationId").asText().startsWith("auth-"), payment.toString());
    JsonNode hold = part(ok, "reservation", Functions.RESERVE_STOCK);
    assertEquals("COMMITTED", hold.path("status").asText(), hold.toString());
    assertEquals(1, hold.path("items").path(0).path("quantity").asInt(), hold.toString());
    assertTrue(sent(part(ok, "notifications", Functions.NOTIFY), "order-confirmed"), ok.toString());

    JsonNode no = orderView(declined, "order-cancelled");
    assertEquals("COMPENSATED", no.path("saga").path("status").asText(), no.toString());
    JsonNode refused = part(no, "payment", Functions.PAYMENT);
    assertEquals("DECLINED", refused.path("status").asText(), refused.toString());
    assertEquals("card-declined", refused.path("declineReason").asText(), refused.toString());
    JsonNode released = part(no, "reservation", Functions.RESERVE_STOCK);
    assertEquals("RELEASED", released.path("status").asText(), released.toString());
    assertTrue(sent(part(no, "notifications", Functions.NOTIFY), "order-cancelled"), no.toString());
  }

  /** The console's view of an order, once notify has sent its {@code milestone}'s e-mail. */
  private static JsonNode orderView(String orderId, String milestone) {
    long deadline = System.nanoTime() + WITHIN.toNanos();
    while (true) {
      JsonNode view =
          http.get(
                  store.url(Functions.SAGA_STEP, "/console/api/orders/" + orderId),
                  "Authorization",
                  "Bearer " + OPERATOR_TOKEN)
              .expect(200, "the console's order view of " + orderId)
              .json();
      JsonNode notifications = view.path("notifications").path("data");
      if (sent(notifications, milestone) || System.nanoTime() > deadline) {
        return view;
      }
      ConsumerGroups.pause(Duration.ofMillis(200));
    }
  }

  /** One owner's part of the view: asked of that function, answered without an error. */
  private static JsonNode part(JsonNode view, String name, String owner) {
    JsonNode part = view.path(name);
    assertTrue(part.path("error").isNull(), name + ": " + part);
    assertTrue(
        part.path("source")
            .asText()
            .startsWith(store.url(owner, "/").toString().replaceAll("/$", "")),
        name + " asked of " + owner + ": " + part);
    return part.path("data");
  }

  private static boolean sent(JsonNode notifications, String milestone) {
    for (JsonNode n : notifications) {
      if (milestone.equals(n.path("topic").asText())
          && "email".equals(n.path("channel").asText())
          && "SENT".equals(n.path("status").asText())) {
        return true;
      }
    }
    return false;
  }

  @Test
  void eachOrderIsOneTreeOfSpansInOneTraceAcrossItsFunctions() {
    assertFalse(ORDERS.isEmpty());
    // exported in batches every 200 ms: wait until every order's tree is whole, then judge it
    Map<String, List<String>> problems = new LinkedHashMap<>();
    boolean whole =
        watcher.await(
            () -> {
              problems.clear();
              ORDERS.forEach(
                  (order, delivered) -> {
                    List<String> p = treeProblems(order, delivered);
                    if (!p.isEmpty()) {
                      problems.put(order, p);
                    }
                  });
              return problems.isEmpty();
            },
            Duration.ofSeconds(60));
    assertEquals(List.of(), otlp.problems(), "exports the receiver could not decode");
    assertTrue(whole, () -> "orders whose trace is not one whole tree: " + problems);
    List<OtlpReceiver.ReceivedSpan> spans = otlp.spans();
    // the kit makes the Kafka consumer spans; SmallRye's own would be a second span per record
    assertEquals(
        List.of(),
        spans.stream().filter(s -> "receive".equals(s.attribute("messaging.operation"))).toList());
    // background polls (sweeps, outbox relays, health checks) are not traces of their own
    assertEquals(
        List.of(),
        spans.stream().filter(s -> s.isRoot() && s.kind().equals("CLIENT")).limit(5).toList());
    System.out.printf(
        "traces: %d orders, one tree each; %d spans received in all%n",
        ORDERS.size(), otlp.spans().size());
  }

  @Test
  void noSecretReachesALogOrASpan() throws IOException {
    // what the run handled that must never be written out: the customers' password and session
    // token, the admin tokens, the database password
    Map<String, String> secrets = new LinkedHashMap<>();
    secrets.put("the customers' password", Shop.PASSWORD);
    secrets.put("a customer's session token", customer.token());
    secrets.put("catalog's admin token", CATALOG_TOKEN);
    secrets.put("dispatch-courier's admin token", DISPATCH_TOKEN);
    secrets.put("the operator token", OPERATOR_TOKEN);
    String pg = System.getenv("BOOKSTORE_PG_PASSWORD");
    if (pg != null && !pg.isBlank()) {
      secrets.put("the database password", pg);
    }
    List<String> found = new ArrayList<>();
    for (String function : apps.names()) {
      String log = Files.readString(apps.log(function));
      assertFalse(log.isBlank(), function + " logged nothing at all");
      secrets.forEach(
          (what, secret) -> {
            if (log.contains(secret)) {
              found.add(what + " in " + function + "'s log");
            }
          });
    }
    for (OtlpReceiver.ReceivedSpan span : otlp.spans()) {
      String text = span.name() + " " + span.attributes();
      secrets.forEach(
          (what, secret) -> {
            if (text.contains(secret)) {
              found.add(what + " in " + span.service() + "'s span " + span.name());
            }
          });
    }
    assertFalse(otlp.spans().isEmpty(), "no spans to look through");
    assertEquals(List.of(), found.stream().distinct().toList());
  }

  /** What keeps an order's spans from being one tree in one trace; empty when they are. */
  private static List<String> treeProblems(String orderId, boolean delivered) {
    List<OtlpReceiver.ReceivedSpan> all = otlp.spans();
    Set<String> traces =
        all.stream()
            .filter(s -> orderId.equals(s.attribute("saga.id")))
            .map(OtlpReceiver.ReceivedSpan::traceId)
            .collect(Collectors.toCollection(TreeSet::new));
    if (traces.size() != 1) {
      return List.of("its spans (saga.id) are in " + traces.size() + " traces " + traces);
    }
    String trace = traces.iterator().next();
    List<OtlpReceiver.ReceivedSpan> tree =
        all.stream().filter(s -> s.traceId().equals(trace)).toList();
    Set<String> ids =
        tree.stream().map(OtlpReceiver.ReceivedSpan::spanId).collect(Collectors.toSet());
    List<String> out = new ArrayList<>();
    List<OtlpReceiver.ReceivedSpan> roots =
        tree.stream().filter(OtlpReceiver.ReceivedSpan::isRoot).toList();
    if (roots.size() != 1) {
      out.add(roots.size() + " roots " + roots);
    } else if (!roots.get(0).service().equals(Functions.PLACE_ORDER)
        || !roots.get(0).kind().equals("SERVER")) {
      out.add("the root is not place-order's request: " + roots.get(0));
    }
    List<OtlpReceiver.ReceivedSpan> orphans =
        tree.stream().filter(s -> !s.isRoot() && !ids.contains(s.parentSpanId())).toList();
    if (!orphans.isEmpty()) {
      out.add("spans whose parent was not received " + orphans);
    }
    Set<String> services =
        tree.stream()
            .map(OtlpReceiver.ReceivedSpan::service)
            .collect(Collectors.toCollection(TreeSet::new));
    Set<String> expected =
        new TreeSet<>(
            Set.of(
                Functions.PLACE_ORDER,
                Functions.CATALOG,
                Functions.SAGA_STEP,
                Functions.RESERVE_STOCK,
                Functions.PAYMENT,
                Functions.NOTIFY));
    if (delivered) {
      expected.add(Functions.DISPATCH_COURIER);
    }
    if (!services.containsAll(expected)) {
      Set<String> missing = new TreeSet<>(expected);
      missing.removeAll(services);
      out.add("no spans from " + missing);
    }
    if (delivered) {
      Map<String, java.util.function.Predicate<OtlpReceiver.ReceivedSpan>> work =
          new LinkedHashMap<>();
      // Vert.x's SQL client names the database, not the system, in db.system; its spans carry
      // the statement and the table
      work.put(
          "PostgreSQL",
          s -> s.attribute("db.statement") != null && s.attribute("db.sql.table") != null);
      work.put("Redis", s -> "redis".equals(db(s)));
      work.put("gRPC", s -> "grpc".equals(s.attribute("rpc.system")));
      work.put(
          "Kafka send",
          s -> "kafka".equals(s.attribute("messaging.system")) && s.kind().equals("PRODUCER"));
      work.put(
          "Kafka process",
          s -> "kafka".equals(s.attribute("messaging.system")) && s.kind().equals("CONSUMER"));
      work.forEach(
          (what, test) -> {
            if (tree.stream().noneMatch(test)) {
              out.add("no " + what + " span");
            }
          });
    }
    return out;
  }

  private static String db(OtlpReceiver.ReceivedSpan s) {
    String system = s.attribute("db.system.name");
    return system != null ? system : s.attribute("db.system");
  }

  /** Confirmed, declined, delivered and no-courier orders, and one dead letter; all final. */
  private static void runOrdersOfEveryKind() throws Exception {
    customer = new Shop(store).customers(1, "e2e-dashboards-" + UUID.randomUUID()).get(0);
    String isbn = TestData.book(http, store, CATALOG_TOKEN, "Dashboards", 1200, 40);
    // a zone and a courier of the test's own, whatever other runs left the seed couriers carrying
    String zone =
        "DB"
            + (char) ('A' + ThreadLocalRandom.current().nextInt(26))
            + (char) ('A' + ThreadLocalRandom.current().nextInt(26));
    CourierSimulator.addCouriers(store, Set.of(zone), 1, "dash", DISPATCH_TOKEN);
    Bookstore.Address covered = new Bookstore.Address("2 Metrics Row", "Graphtown", zone + " 1AA");
    List<String> orders = new ArrayList<>();
    Set<String> delivered = new java.util.HashSet<>();
    try (CourierSimulator couriers =
        new CourierSimulator(stack.kafkaBootstrap(), store, watcher, 7)) {
      for (int i = 0; i < 4; i++) {
        orders.add(place(customer, isbn, "tok_visa", null));
      }
      orders.add(place(customer, isbn, "tok_declined", null));
      for (int i = 0; i < 2; i++) {
        String id = place(customer, isbn, "tok_visa", covered);
        couriers.expect(id, Kind.DELIVERED);
        orders.add(id);
        delivered.add(id);
      }
      orders.add(
          place(
              customer,
              isbn,
              "tok_visa",
              new Bookstore.Address("1 Far Away Lane", "Nowhere", "QQQX 1ZZ")));
      notACloudEvent();
      // one registration delivered twice, as a Broker redelivers: the second is a duplicate
      Map<String, String> register =
          Map.of(
              "id", "dashboards-" + UUID.randomUUID(),
              "source", "/tests/dashboards",
              "type", "com.bookstore.user.register.v1");
      Map<String, String> data =
          Map.of(
              "email",
              "dashboards-" + UUID.randomUUID() + "@example.com",
              "password",
              "Correct-Horse-42");
      for (int i = 0; i < 2; i++) {
        assertEquals(
            200,
            http.postCloudEvent(store.url(Functions.REGISTER_USER, "/"), register, data).status());
      }
      assertTrue(
          watcher.awaitFinal(orders, WITHIN),
          () ->
              "not final: "
                  + orders.stream()
                      .filter(o -> watcher.trace(o).finalEvent().isEmpty())
                      .map(o -> o + " " + watcher.trace(o))
                      .toList());
      assertTrue(couriers.problems().isEmpty(), couriers.problems().toString());
    }
    orders.forEach(o -> ORDERS.put(o, delivered.contains(o)));
  }

  private static String place(
      Shop.Customer customer, String isbn, String token, Bookstore.Address address) {
    List<Bookstore.Line> lines = List.of(new Bookstore.Line(isbn, 1));
    // 503 says "try again shortly" (the catalog's price look-up missed its deadline on a loaded
    // machine): a client tries again, as this one does, a few times
    Http.Response r = null;
    for (int attempt = 0; attempt < 10; attempt++) {
      r =
          (address == null
                  ? store.placeOrder(customer.token(), lines, token)
                  : store.placeOrder(customer.token(), lines, token, address))
              .join();
      if (r.status() != 503) {
        break;
      }
      ConsumerGroups.pause(Duration.ofMillis(500));
    }
    return r.expect(202, "POST /orders").text("orderId");
  }

  private static void notACloudEvent() throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                "kcat",
                "-P",
                "-b",
                stack.kafkaBootstrap(),
                "-t",
                "bookstore.user.register.v1",
                "-k",
                "junk-" + UUID.randomUUID())
            .redirectErrorStream(true)
            .start();
    p.getOutputStream().write("{\"hello\":\"dashboards\"}".getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "kcat finished");
    assertEquals(0, p.exitValue());
  }

  /** Every panel's expressions, by "dashboard / panel / refId", as Grafana would send them. */
  private static Map<String, String> queries() throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    Path dir = stack.repoRoot().resolve("infra/grafana/dashboards");
    List<Path> files;
    try (var list = Files.list(dir)) {
      files = list.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    }
    assertEquals(3, files.size(), "workflows, functions and scaling dashboards in " + dir);
    for (Path f : files) {
      JsonNode d = EventJson.mapper().readTree(f.toFile());
      for (JsonNode panel : d.path("panels")) {
        assertFalse(panel.path("targets").isEmpty(), f + ": " + panel.path("title") + " has none");
        for (JsonNode t : panel.path("targets")) {
          String expr =
              t.path("expr").asText().replace("$__rate_interval", "1m").replace("$function", ".+");
          out.put(
              f.getFileName()
                  + " / "
                  + panel.path("title").asText()
                  + " / "
                  + t.path("refId").asText(),
              expr);
        }
      }
    }
    return out;
  }

  private static Set<String> knativeMetrics() throws IOException {
    return Files.readAllLines(stack.repoRoot().resolve("infra/grafana/knative-metrics.txt"))
        .stream()
        .map(String::strip)
        .filter(l -> !l.isEmpty() && !l.startsWith("#"))
        .map(l -> l.split("\\s+")[0])
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static JsonNode query(String expr) {
    Http.Response r =
        http.get(
            prometheus.resolve(
                "/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8)));
    try {
      return r.json() != null ? r.json() : EventJson.mapper().readTree(r.body());
    } catch (IOException e) {
      throw new IllegalStateException("Prometheus answered " + r.status() + ": " + r.body(), e);
    }
  }
}
