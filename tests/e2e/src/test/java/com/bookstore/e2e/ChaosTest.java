package com.bookstore.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.bookstore.e2e.Chaos.Fault;
import com.bookstore.e2e.Chaos.Kind;
import com.bookstore.events.EventCatalogue;
import com.bookstore.events.EventType;
import com.bookstore.events.EventTypes;
import com.bookstore.events.Routing.Functions;
import com.bookstore.events.Topics;
import com.bookstore.events.Topology;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chaos suite: the nine functions as separate processes (Kafka-direct), a steady paced stream
 * of orders (some declined, slow, out of stock, two never answered) and of registrations over
 * Kafka, and while they are in flight: every function SIGKILLed in turn and restarted, the Kafka
 * broker SIGKILLed and started again, PostgreSQL and Redis restarted, a second replica of saga-step
 * and of reserve-stock started mid-run and later stopped (rebalances). Then, once the run has
 * settled, the invariants: every order final, captures, stock, notifications, dead letters,
 * time-outs and which fault each follows. Prints a table of the faults and OK/FAIL checks; fails if
 * any check failed.
 *
 * <p>Run alone: {@code mvn -B -ntp -o verify -pl tests/e2e -Dtest=ChaosTest
 * -Dsurefire.failIfNoSpecifiedTests=false} (needs the packaged apps and the local stack; it stops
 * and starts the stack's Kafka, PostgreSQL and Redis).
 */
class ChaosTest {
  static {
    // Kafka's clients log through slf4j-simple: warnings and errors only (as Cli does).
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
  }

  private static final PrintStream OUT = System.out;
  private static final Map<String, String> ENV = System.getenv();
  private static final String RUN = Long.toString(System.currentTimeMillis(), 36);
  private static final String ADMIN_TOKEN = "chaos-admin-" + UUID.randomUUID();

  /** Orders per second, offered open loop. */
  private static final double RATE = Double.parseDouble(prop("chaos.rate", "4"));

  /** Registrations over Kafka (user.register commands) per second. */
  private static final double REGISTER_RATE = 0.5;

  /**
   * Every saga step's time limit for the run: longer than a function's restart (its consumer's
   * session time-out included) and than a broker restart, so faults of a few seconds do not time
   * orders out; the never-answered payments are cancelled after it.
   */
  private static final Duration STEP_LIMIT = Duration.parse(prop("chaos.step-limit", "PT30S"));

  /** The kit's longest back-off between two attempts of a record (bookstore.kafka retry). */
  private static final Duration RETRY_BACKOFF_MAX = Duration.ofSeconds(5);

  /**
   * A step whose dependencies left it less than this of its time limit free timed out because of
   * them: two of the longest back-offs, the time a record needs to be retried and answered.
   */
  private static final Duration STEP_SLACK = Duration.ofSeconds(10);

  private static final Duration FINAL_WITHIN = Duration.ofSeconds(150);
  private static final Duration FLOW_WITHIN = Duration.ofSeconds(90);
  private static final int CUSTOMERS = 12;
  private static final int PLENTY_BOOKS = 12;
  private static final int PLENTY_COPIES = 100_000;
  private static final int SCARCE_BOOKS = 3;
  private static final int SCARCE_COPIES = 8;
  private static final int REPLICA_PORT_OFFSET = 100;

  private static final List<String> CONSUMERS =
      List.of(
          Functions.REGISTER_USER,
          Functions.RESERVE_STOCK,
          Functions.PAYMENT,
          Functions.PLACE_ORDER,
          Functions.SAGA_STEP,
          Functions.COMPENSATE,
          Functions.NOTIFY);

  private static Stack stack;
  private static Apps apps;
  private static TopicWatcher watcher;
  private static DeadLetters deadLetters;
  private static Http http;
  private static Bookstore store;
  private static Mailbox mailbox;
  private static Chaos chaos;
  private static ScheduledExecutorService scheduler;
  private static KafkaProducer<String, byte[]> producer;

  @BeforeAll
  static void startTheBookstore() {
    stack = Stack.fromEnvironment();
    http = new Http(Duration.ofSeconds(10));
    mailbox =
        Mailbox.fromEnvironment(ENV, http)
            .orElseThrow(() -> new IllegalStateException("no BOOKSTORE_MAIL_API_URL: stack env?"));
    chaos = new Chaos(stack);
    apps = Apps.create(stack, "chaos");
    String limit = STEP_LIMIT.toString();
    List<App> all = new ArrayList<>();
    for (App app : App.BOOKSTORE) {
      App configured =
          switch (app.function()) {
            case Functions.CATALOG -> app.withEnv("CATALOG_ADMIN_TOKEN", ADMIN_TOKEN);
            case Functions.SAGA_STEP, Functions.COMPENSATE ->
                app.withProperty("saga.order.time-limit.reserve-stock", limit)
                    .withProperty("saga.order.time-limit.authorize-payment", limit)
                    .withProperty("saga.order.time-limit.commit-stock", limit)
                    .withProperty("saga.order.time-limit.capture-payment", limit);
            default -> app;
          };
      all.add(configured);
    }
    watcher = TopicWatcher.start(stack.kafkaBootstrap());
    deadLetters = new DeadLetters(stack.kafkaBootstrap());
    long t = System.nanoTime();
    apps.start(all);
    OUT.printf("apps: %d started and consuming (%.1f s)%n", all.size(), secs(t));
    store = Bookstore.of(http, apps);
    scheduler = Executors.newScheduledThreadPool(3);
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "180000");
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "120000");
    producer = new KafkaProducer<>(p);
  }

  @AfterAll
  static void stopTheBookstore() {
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
    }
    if (watcher != null) {
      watcher.close();
    }
    if (deadLetters != null) {
      deadLetters.close();
    }
    if (apps != null) {
      apps.close();
    }
    // Whatever happened, leave the stack running for the next test.
    if (chaos != null) {
      try {
        chaos.stack("up");
      } catch (RuntimeException e) {
        OUT.println("stack.sh up after the run failed: " + e.getMessage());
      }
    }
  }

  // --- the run -----------------------------------------------------------------------------------

  @Test
  void ordersSurviveCrashesRestartsAndRebalances() throws Exception {
    long runStart = System.currentTimeMillis();
    Shop shop = new Shop(store);
    long t = System.nanoTime();
    List<Shop.Customer> customers = shop.customers(CUSTOMERS, "chaos-" + RUN);
    Map<String, Integer> copies = new LinkedHashMap<>();
    List<String> plenty = new ArrayList<>();
    List<String> scarce = new ArrayList<>();
    List<Map<String, Object>> books = new ArrayList<>();
    for (int i = 0; i < PLENTY_BOOKS + SCARCE_BOOKS; i++) {
      String isbn = isbn13();
      boolean isScarce = i >= PLENTY_BOOKS;
      (isScarce ? scarce : plenty).add(isbn);
      copies.put(isbn, isScarce ? SCARCE_COPIES : PLENTY_COPIES);
      Map<String, Object> book = new HashMap<>();
      book.put("isbn", isbn);
      book.put("title", "Chaos, Volume " + isbn.substring(9));
      book.put("authors", List.of("Test Author"));
      book.put("description", "A book made by the chaos run " + RUN);
      book.put("publishedYear", 2026);
      book.put("price", Map.of("cents", 500 + 100 * i, "currency", "EUR"));
      book.put("stock", copies.get(isbn));
      books.add(book);
    }
    http.postJson(
            store.url(Functions.CATALOG, "/admin/books"),
            books,
            "Authorization",
            "Bearer " + ADMIN_TOKEN)
        .expect(200, "catalog upsert");
    copies.forEach((isbn, n) -> store.restock(isbn, n).join().expect(200, "restock " + isbn));
    Map<String, Shop.Level> levelsBefore = shop.levels(copies.keySet());
    OUT.printf(
        "shop: %d customers, %d books (%d with %d copies each) (%.1f s)%n",
        customers.size(), copies.size(), SCARCE_BOOKS, SCARCE_COPIES, secs(t));

    Orders orders =
        new Orders(
            customers, plenty, scarce, apps.url(Functions.PLACE_ORDER), new Random(RUN.hashCode()));
    Registrations registrations = new Registrations();
    Thread orderThread = orders.start();
    Thread registerThread = registrations.start();
    long flowStart = System.currentTimeMillis();

    // Warm-up: orders flowing before the first fault.
    awaitFlow(flowStart, orders, 10);
    List<String> badKeys = sendBadRecords();

    // Two replicas in one group each, while orders are in flight: a rebalance each.
    String sagaReplica = replica(Functions.SAGA_STEP, orders);
    String stockReplica = replica(Functions.RESERVE_STOCK, orders);

    // Each function SIGKILLed in turn while it has work in flight, then restarted.
    for (String function :
        List.of(
            Functions.REGISTER_USER,
            Functions.RESERVE_STOCK,
            Functions.PAYMENT,
            Functions.PLACE_ORDER,
            Functions.SAGA_STEP,
            Functions.COMPENSATE,
            Functions.NOTIFY,
            Functions.SAGA_TIMEOUTS,
            Functions.CATALOG)) {
      killAndRestart(function, orders, registrations);
    }

    serverFault(Kind.KAFKA, "kafka (SIGKILL)", orders, () -> chaos.stack("kill", "kafka"));
    serverFault(
        Kind.POSTGRES,
        "postgres (immediate)",
        orders,
        () -> chaos.stack("stop", "postgres", "immediate"));
    serverFault(Kind.REDIS, "redis (stop)", orders, () -> chaos.stack("stop", "redis"));

    // The replicas go again, one by one, with records in flight: rebalances back to one member.
    stopReplica(sagaReplica, orders);
    stopReplica(stockReplica, orders);

    // --- settle
    // -----------------------------------------------------------------------------------
    orders.stop();
    registrations.stop();
    orderThread.join();
    registerThread.join();
    long placingEnd = System.currentTimeMillis();
    orders.awaitPlacements(Duration.ofSeconds(60));
    List<Placement> accepted = orders.accepted();
    List<String> ids = accepted.stream().map(Placement::orderId).toList();
    t = System.nanoTime();
    boolean allFinal = watcher.awaitFinal(ids, FINAL_WITHIN);
    double finalAfter = secs(t);
    // notify answers the final facts: wait for one notification.sent per final order.
    watcher.await(
        () ->
            ids.stream()
                .allMatch(
                    id ->
                        watcher.trace(id).finalEvent().isEmpty()
                            || watcher.trace(id).records(EventTypes.NOTIFICATION_SENT) > 0),
        Duration.ofSeconds(60));
    watcher.await(
        () -> registrations.sent().stream().allMatch(ChaosTest::answered), Duration.ofSeconds(30));
    watcher.await(() -> deadLetters.keys().containsAll(badKeys), Duration.ofSeconds(30));
    // Holds and sales land in reserve-stock's tables when its answers are written: wait until
    // nothing is reserved any more for our books (bounded; the check below says if it is not so).
    watcher.await(() -> reservedNow(copies.keySet()) == 0, Duration.ofSeconds(30));

    // --- report
    // -----------------------------------------------------------------------------------
    chaos.print(OUT, runStart);
    OUT.printf(
        "%norders: %d planned, %d accepted, placed over %.1f s at %.1f/s (%d attempts refused and"
            + " retried); final: %d of %d, %.1f s after the last%s%n",
        orders.planned(),
        accepted.size(),
        (placingEnd - flowStart) / 1000.0,
        RATE,
        orders.retries.get(),
        ids.size() - watcher.pending(ids),
        ids.size(),
        finalAfter,
        allFinal ? "" : " (gave up waiting)");
    OUT.println("mix: " + orders.mix());
    OUT.println("refusals while placing (status or error: count): " + orders.refusals());
    OUT.printf(
        "registrations over Kafka: %d sent, %d answered%n",
        registrations.sent().size(),
        registrations.sent().stream().filter(ChaosTest::answered).count());

    Checks checks = new Checks(OUT);
    OUT.println();
    OUT.println("-- checks");
    check(checks, orders, accepted, customers, levelsBefore, copies, badKeys, registrations.sent());
    registrationsCheck(checks, registrations);
    OUT.printf(
        "%d checks: %d OK, %d FAIL; run %.1f s%n",
        checks.passed() + checks.failed(),
        checks.passed(),
        checks.failed(),
        (System.currentTimeMillis() - runStart) / 1000.0);
    assertEquals(0, checks.failed(), "chaos checks failed: see the FAIL lines above");
  }

  // --- faults ------------------------------------------------------------------------------------

  /** What a function has in flight: a command (or fact) it takes, seen without its answer yet. */
  private record Pending(String takes, List<String> answers) {}

  private static final Map<String, List<Pending>> IN_FLIGHT =
      Map.of(
          Functions.RESERVE_STOCK,
          List.of(
              new Pending(
                  EventTypes.STOCK_RESERVE,
                  List.of(EventTypes.STOCK_RESERVED, EventTypes.STOCK_REJECTED)),
              new Pending(EventTypes.STOCK_COMMIT, List.of(EventTypes.STOCK_COMMITTED)),
              new Pending(EventTypes.STOCK_RELEASE, List.of(EventTypes.STOCK_RELEASED))),
          Functions.PAYMENT,
          List.of(
              new Pending(
                  EventTypes.PAYMENT_AUTHORIZE,
                  List.of(EventTypes.PAYMENT_AUTHORIZED, EventTypes.PAYMENT_DECLINED)),
              new Pending(EventTypes.PAYMENT_CAPTURE, List.of(EventTypes.PAYMENT_CAPTURED))),
          Functions.SAGA_STEP,
          List.of(
              new Pending(EventTypes.ORDER_PLACED, List.of(EventTypes.STOCK_RESERVE)),
              new Pending(
                  EventTypes.STOCK_RESERVED,
                  List.of(EventTypes.PAYMENT_AUTHORIZE, EventTypes.SAGA_FAILED)),
              new Pending(EventTypes.PAYMENT_AUTHORIZED, List.of(EventTypes.STOCK_COMMIT)),
              new Pending(EventTypes.PAYMENT_CAPTURED, List.of(EventTypes.ORDER_CONFIRMED))),
          Functions.COMPENSATE,
          List.of(
              new Pending(
                  EventTypes.SAGA_FAILED,
                  List.of(EventTypes.ORDER_CANCELLED, EventTypes.STOCK_RELEASE))),
          Functions.NOTIFY,
          List.of(
              new Pending(EventTypes.ORDER_CONFIRMED, List.of(EventTypes.NOTIFICATION_SENT)),
              new Pending(EventTypes.ORDER_CANCELLED, List.of(EventTypes.NOTIFICATION_SENT))),
          Functions.PLACE_ORDER,
          List.of(new Pending(EventTypes.STOCK_RESERVED, List.of(EventTypes.ORDER_CONFIRMED))));

  /**
   * Waits (8 s at most) until the function has something in flight, then SIGKILLs it and restarts
   * it; payment is killed while a tok_slow authorization is being answered (it holds the claim for
   * the provider's two seconds).
   */
  private static void killAndRestart(String function, Orders orders, Registrations registrations) {
    String detail;
    if (function.equals(Functions.PAYMENT)) {
      detail = awaitSlowInFlight(orders);
    } else if (function.equals(Functions.REGISTER_USER)) {
      registrations.burst(8); // hashing a password takes a while: some are in flight at once
      detail =
          awaitInFlight(
              registrations.recent(),
              function,
              List.of(
                  new Pending(
                      EventTypes.USER_REGISTER,
                      List.of(EventTypes.USER_REGISTERED, EventTypes.USER_REGISTRATION_REJECTED))));
    } else if (IN_FLIGHT.containsKey(function)) {
      detail = awaitInFlight(orders.recentIds(), function, IN_FLIGHT.get(function));
    } else {
      detail = notFinal(orders.recentIds()) + " orders not final";
    }
    long pid = apps.pid(function);
    int n = chaos.injected(Kind.FUNCTION_KILL, function, "pid " + pid + ", " + detail);
    apps.kill(function);
    try {
      apps.restart(function);
    } catch (RuntimeException e) {
      // Not back (exited at start, not ready, or its group never settled): a finding; say so and
      // try once more, so the run goes on with the function.
      chaos.note(n, "NOT BACK: " + firstLine(e.getMessage()));
      NOT_BACK.add(n);
      try {
        apps.restart(function);
        chaos.note(n, "back at the second restart");
      } catch (RuntimeException again) {
        chaos.note(n, "second restart failed too: " + firstLine(again.getMessage()));
        return;
      }
    }
    chaos.back(n);
    chaos.note(n, String.format("ready in %.1f s", apps.readyAfter(function).toMillis() / 1000.0));
    flowing(n, orders);
  }

  /** Faults whose target did not come back. */
  private static final List<Integer> NOT_BACK = new CopyOnWriteArrayList<>();

  private static String awaitSlowInFlight(Orders orders) {
    long deadline = System.nanoTime() + Duration.ofSeconds(25).toNanos();
    while (System.nanoTime() < deadline) {
      for (Placement p : orders.recent()) {
        if (p.kind() == OrderKind.SLOW && p.orderId() != null) {
          OrderTrace tr = watcher.trace(p.orderId());
          if (tr.distinct(EventTypes.PAYMENT_AUTHORIZE) > 0
              && tr.distinct(EventTypes.PAYMENT_AUTHORIZED) == 0) {
            return "a tok_slow authorization in flight (" + p.orderId() + ")";
          }
        }
      }
      ConsumerGroups.pause(Duration.ofMillis(20));
    }
    return awaitInFlight(orders.recentIds(), Functions.PAYMENT, IN_FLIGHT.get(Functions.PAYMENT));
  }

  private static String awaitInFlight(List<String> keys, String function, List<Pending> pending) {
    long deadline = System.nanoTime() + Duration.ofSeconds(8).toNanos();
    int n = 0;
    while (System.nanoTime() < deadline) {
      n = 0;
      for (String key : keys) {
        OrderTrace tr = watcher.trace(key);
        for (Pending p : pending) {
          if (tr.distinct(p.takes()) > 0
              && p.answers().stream().allMatch(a -> tr.distinct(a) == 0)) {
            n++;
            break;
          }
        }
      }
      if (n > 0) {
        return n + " records in flight for it";
      }
      ConsumerGroups.pause(Duration.ofMillis(5));
    }
    return "nothing seen in flight for it in 8 s";
  }

  private static long notFinal(List<String> ids) {
    return ids.stream().filter(id -> watcher.trace(id).finalEvent().isEmpty()).count();
  }

  /** A server fault: injected by {@code inject}, then {@code stack.sh up}; waits for the groups. */
  private static void serverFault(Kind kind, String target, Orders orders, Runnable inject) {
    int n = chaos.injected(kind, target, notFinal(orders.recentIds()) + " orders not final");
    try {
      inject.run();
      chaos.stack("up");
    } catch (RuntimeException e) {
      chaos.note(n, "NOT BACK: " + firstLine(e.getMessage()));
      NOT_BACK.add(n);
      return;
    }
    chaos.note(
        n,
        "server back after "
            + (System.currentTimeMillis() - chaos.faults().get(n - 1).at())
            + " ms");
    groupsBack(n);
    flowing(n, orders);
  }

  /** The fault is over when every consuming function's group has settled again. */
  private static void groupsBack(int n) {
    String problem = awaitGroups();
    if (problem != null) {
      chaos.note(n, "NOT BACK: " + problem);
      NOT_BACK.add(n);
    }
    chaos.back(n);
  }

  private static String replica(String function, Orders orders) {
    int port = App.named(function).port() + REPLICA_PORT_OFFSET;
    int n =
        chaos.injected(
            Kind.REBALANCE,
            function + " +replica",
            "port " + port + ", " + notFinal(orders.recentIds()) + " orders not final");
    String name;
    try {
      name = apps.startReplica(function, port);
    } catch (RuntimeException e) {
      chaos.note(n, "NOT BACK: " + firstLine(e.getMessage()));
      NOT_BACK.add(n);
      return null;
    }
    chaos.back(n);
    chaos.note(n, name + " pid " + apps.pid(name));
    flowing(n, orders);
    return name;
  }

  private static void stopReplica(String name, Orders orders) {
    if (name == null) {
      return;
    }
    String function = name.substring(0, name.indexOf('#'));
    if (!apps.isAlive(function)) {
      OUT.println("not stopping " + name + ": the only " + function + " process left");
      return;
    }
    int n =
        chaos.injected(
            Kind.REBALANCE,
            name + " stopped",
            "SIGTERM pid "
                + apps.pid(name)
                + ", "
                + notFinal(orders.recentIds())
                + " orders not final");
    apps.stop(name);
    groupsBack(n);
    flowing(n, orders);
  }

  /**
   * Every consuming function's group Stable, every partition assigned, one member per live process;
   * null when so, else what is not (after 120 s).
   */
  private static String awaitGroups() {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    for (String function : CONSUMERS) {
      App app = App.named(function);
      long live =
          apps.names().stream()
              .filter(n -> n.equals(function) || n.startsWith(function + "#"))
              .filter(apps::isAlive)
              .count();
      List<TopicPartition> partitions = null;
      while (true) {
        try {
          if (partitions == null) {
            partitions = apps.groups().partitions(app.topics());
          }
          ConsumerGroups.GroupView v =
              apps.groups().describe(app.consumerGroup(apps.environment()));
          if (v.consumesAll(partitions) && v.memberIds().size() == live) {
            break;
          }
        } catch (RuntimeException notYet) {
          // the broker is still coming back
        }
        if (System.nanoTime() > deadline) {
          String view;
          try {
            view = apps.groups().describe(app.consumerGroup(apps.environment())).toString();
          } catch (RuntimeException e) {
            view = e.toString();
          }
          return function + "'s group did not settle in 120 s: " + view;
        }
        ConsumerGroups.pause(Duration.ofMillis(250));
      }
    }
    return null;
  }

  /** Records when 3 orders accepted after the fault's end are final (at most FLOW_WITHIN). */
  private static void flowing(int fault, Orders orders) {
    long back = chaos.faults().get(fault - 1).back();
    long at = awaitFlow(back, orders, 3);
    if (at > 0) {
      chaos.flowing(fault, at);
    } else {
      chaos.note(fault, "orders not flowing again within " + FLOW_WITHIN.toSeconds() + " s");
    }
  }

  /** When {@code count} orders accepted after {@code since} are final; 0 if not in time. */
  private static long awaitFlow(long since, Orders orders, int count) {
    boolean ok =
        watcher.await(
            () ->
                orders.acceptedAfter(since).stream()
                        .filter(id -> watcher.trace(id).finalEvent().isPresent())
                        .count()
                    >= count,
            FLOW_WITHIN);
    return ok ? System.currentTimeMillis() : 0;
  }

  /**
   * Two records that must be dead-lettered with their reason: one that is not a CloudEvent at all,
   * one an order.placed whose data breaks its schema. Both on order.placed's topic (saga-step is
   * its keeper). Returns their keys.
   */
  private static List<String> sendBadRecords() throws Exception {
    String topic = Topology.topicOf(EventTypes.ORDER_PLACED);
    String notAnEvent = "chaos-bad-" + RUN + "-not-a-cloudevent";
    String badData = "chaos-bad-" + RUN + "-schema";
    producer
        .send(
            new ProducerRecord<>(
                topic, notAnEvent, "this is not a CloudEvent".getBytes(StandardCharsets.UTF_8)))
        .get(30, TimeUnit.SECONDS);
    ProducerRecord<String, byte[]> r =
        new ProducerRecord<>(
            topic,
            badData,
            ("{\"orderId\":\"" + badData + "\",\"items\":\"none\"}")
                .getBytes(StandardCharsets.UTF_8));
    ceHeaders(r, EventTypes.ORDER_PLACED, "chaos-bad-" + UUID.randomUUID(), badData);
    producer.send(r).get(30, TimeUnit.SECONDS);
    return List.of(notAnEvent, badData);
  }

  private static void ceHeaders(
      ProducerRecord<String, byte[]> r, String type, String id, String key) {
    r.headers().add("ce_specversion", bytes("1.0"));
    r.headers().add("ce_id", bytes(id));
    r.headers().add("ce_source", bytes("/chaos/" + RUN));
    r.headers().add("ce_type", bytes(type));
    r.headers().add("ce_partitionkey", bytes(key));
    r.headers().add("content-type", bytes("application/json"));
  }

  // --- the order stream --------------------------------------------------------------------------

  enum OrderKind {
    VISA("tok_visa"),
    SLOW("tok_slow"),
    DECLINED("tok_declined"),
    INSUFFICIENT_FUNDS("tok_insufficient_funds"),
    NO_ANSWER("tok_no_answer"),
    SCARCE("tok_visa");

    final String token;

    OrderKind(String token) {
      this.token = token;
    }
  }

  /** One order of the stream, as placed (retried with its Idempotency-Key until accepted). */
  static final class Placement {
    final int index;
    final OrderKind kind;
    final List<Bookstore.Line> lines;
    final int customer;
    final String key = "chaos-" + RUN + "-" + UUID.randomUUID();
    final long firstSent = System.currentTimeMillis();
    volatile int attempts;
    volatile String orderId;
    volatile long acceptedAt;
    volatile String lastError;
    volatile boolean gaveUp;

    Placement(int index, OrderKind kind, List<Bookstore.Line> lines, int customer) {
      this.index = index;
      this.kind = kind;
      this.lines = lines;
      this.customer = customer;
    }

    OrderKind kind() {
      return kind;
    }

    String orderId() {
      return orderId;
    }

    boolean done() {
      return orderId != null || gaveUp;
    }
  }

  /** The paced order stream: open loop at RATE, each order retried until accepted (3 min). */
  static final class Orders {
    private final List<Shop.Customer> customers;
    private final Map<Integer, String> tokens = new ConcurrentHashMap<>();
    private final List<String> plenty;
    private final List<String> scarce;
    private final java.net.URI ordersUrl;
    private final Random random;
    private final List<Placement> all = new CopyOnWriteArrayList<>();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final Map<String, AtomicInteger> refusals = new ConcurrentHashMap<>();
    final AtomicInteger retries = new AtomicInteger();

    Orders(
        List<Shop.Customer> customers,
        List<String> plenty,
        List<String> scarce,
        java.net.URI placeOrder,
        Random random) {
      this.customers = customers;
      for (int i = 0; i < customers.size(); i++) {
        tokens.put(i, customers.get(i).token());
      }
      this.plenty = plenty;
      this.scarce = scarce;
      this.ordersUrl = placeOrder.resolve("/orders");
      this.random = random;
    }

    Thread start() {
      Thread t =
          new Thread(
              () ->
                  new Pacer(RATE)
                      .run(
                          -1,
                          Duration.ofHours(1),
                          i -> {
                            if (stopping.get()) {
                              return false;
                            }
                            Placement p = plan(i);
                            all.add(p);
                            attempt(p);
                            return true;
                          }),
              "chaos-orders");
      t.setDaemon(true);
      t.start();
      return t;
    }

    void stop() {
      stopping.set(true);
    }

    private Placement plan(int i) {
      OrderKind kind;
      if (i < 2) {
        kind = OrderKind.NO_ANSWER;
      } else {
        double r = random.nextDouble();
        kind =
            r < 0.05
                ? OrderKind.DECLINED
                : r < 0.09
                    ? OrderKind.INSUFFICIENT_FUNDS
                    : r < 0.13 ? OrderKind.SLOW : r < 0.20 ? OrderKind.SCARCE : OrderKind.VISA;
      }
      List<Bookstore.Line> lines = new ArrayList<>(OrderPlan.lines(plenty, random));
      if (kind == OrderKind.SCARCE) {
        lines.set(
            0,
            new Bookstore.Line(scarce.get(random.nextInt(scarce.size())), 1 + random.nextInt(2)));
      }
      return new Placement(i, kind, List.copyOf(lines), i % customers.size());
    }

    private void attempt(Placement p) {
      p.attempts++;
      String token = tokens.get(p.customer);
      http.postJsonAsync(
              ordersUrl,
              Map.of("items", p.lines, "paymentMethod", p.kind.token),
              "Authorization",
              "Bearer " + token,
              "Idempotency-Key",
              p.key)
          .handle(
              (r, e) -> {
                if (e == null && r.status() == 202 && r.text("orderId") != null) {
                  p.orderId = r.text("orderId");
                  p.acceptedAt = System.currentTimeMillis();
                  return null;
                }
                String why = e != null ? rootName(e) : "HTTP " + r.status();
                p.lastError =
                    e != null ? e.toString() : r.status() + " " + Http.abbreviate(r.body());
                refusals.computeIfAbsent(why, w -> new AtomicInteger()).incrementAndGet();
                if (System.currentTimeMillis() - p.firstSent > 180_000
                    || (e == null
                        && r.status() >= 400
                        && r.status() < 500
                        && r.status() != 401
                        && r.status() != 408
                        && r.status() != 429)) {
                  p.gaveUp = true;
                  return null;
                }
                retries.incrementAndGet();
                boolean relogin = e == null && r.status() == 401;
                // Exponential backoff (0.5 s doubling to 16 s): a client retrying every second
                // turns a restart into a retry storm that keeps the restarted app overloaded.
                long backoff = Math.min(16_000, 500L << Math.min(5, p.attempts - 1));
                scheduler.schedule(
                    () -> {
                      if (relogin) {
                        relogin(p.customer, token);
                      }
                      attempt(p);
                    },
                    backoff,
                    TimeUnit.MILLISECONDS);
                return null;
              });
    }

    /** Sessions live in Redis: after its restart the customers log in again. */
    private void relogin(int customer, String stale) {
      synchronized (tokens) {
        if (!stale.equals(tokens.get(customer))) {
          return; // someone logged in again already
        }
        try {
          tokens.put(customer, store.login(customers.get(customer).email(), Shop.PASSWORD));
        } catch (RuntimeException notYet) {
          // register-user or Redis not back yet: the next attempt tries again
        }
      }
    }

    int planned() {
      return all.size();
    }

    List<Placement> accepted() {
      return all.stream().filter(p -> p.orderId != null).toList();
    }

    List<Placement> recent() {
      List<Placement> copy = List.copyOf(all);
      return copy.subList(Math.max(0, copy.size() - 400), copy.size());
    }

    List<String> recentIds() {
      return recent().stream().map(Placement::orderId).filter(java.util.Objects::nonNull).toList();
    }

    List<String> acceptedAfter(long since) {
      return recent().stream()
          .filter(p -> p.orderId != null && p.firstSent >= since)
          .map(Placement::orderId)
          .toList();
    }

    void awaitPlacements(Duration timeout) {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!all.stream().allMatch(Placement::done) && System.nanoTime() < deadline) {
        ConsumerGroups.pause(Duration.ofMillis(100));
      }
    }

    List<Placement> all() {
      return all;
    }

    String mix() {
      return all.stream()
          .collect(Collectors.groupingBy(p -> p.kind, TreeMap::new, Collectors.counting()))
          .toString();
    }

    Map<String, Integer> refusals() {
      Map<String, Integer> out = new TreeMap<>();
      refusals.forEach((k, v) -> out.put(k, v.get()));
      return out;
    }

    String email(Placement p) {
      return customers.get(p.customer).email();
    }
  }

  /** The first line of a message (an app's start failure carries the end of its log). */
  private static String firstLine(String message) {
    String m = message == null ? "" : message;
    int nl = m.indexOf('\n');
    String first = nl < 0 ? m : m.substring(0, nl);
    // the cause, where the log tail names one
    int caused = m.lastIndexOf("Caused by: ");
    if (caused >= 0) {
      int end = m.indexOf('\n', caused);
      first += " [" + m.substring(caused, end < 0 ? m.length() : end) + "]";
    }
    return Http.abbreviate(first);
  }

  private static String rootName(Throwable e) {
    Throwable c = e;
    while (c.getCause() != null) {
      c = c.getCause();
    }
    return c.getClass().getSimpleName();
  }

  /** user.register commands over Kafka (another system registering its customers). */
  static final class Registrations {
    private final List<String> sent = new CopyOnWriteArrayList<>();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicInteger failedSends = new AtomicInteger();

    Thread start() {
      Thread t =
          new Thread(
              () ->
                  new Pacer(REGISTER_RATE)
                      .run(
                          -1,
                          Duration.ofHours(1),
                          i -> {
                            if (stopping.get()) {
                              return false;
                            }
                            send(i);
                            return true;
                          }),
              "chaos-registrations");
      t.setDaemon(true);
      t.start();
      return t;
    }

    private void send(int i) {
      String key = "chaos-reg-" + RUN + "-" + i;
      String data =
          "{\"email\":\"reg-%s-%d@example.com\",\"password\":\"%s\",\"displayName\":\"Kafka %d\"}"
              .formatted(RUN, i, Shop.PASSWORD, i);
      ProducerRecord<String, byte[]> r =
          new ProducerRecord<>(
              Topology.topicOf(EventTypes.USER_REGISTER),
              key,
              data.getBytes(StandardCharsets.UTF_8));
      ceHeaders(r, EventTypes.USER_REGISTER, "chaos-reg-" + UUID.randomUUID(), key);
      producer.send(
          r,
          (meta, e) -> {
            if (e == null) {
              sent.add(key);
            } else {
              failedSends.incrementAndGet();
            }
          });
    }

    void stop() {
      stopping.set(true);
      producer.flush();
    }

    /** {@code n} more at once, beside the paced ones. */
    void burst(int n) {
      for (int i = 0; i < n; i++) {
        send(1_000_000 + bursts.getAndIncrement());
      }
      producer.flush();
    }

    private final AtomicInteger bursts = new AtomicInteger();

    List<String> sent() {
      return sent;
    }

    List<String> recent() {
      List<String> copy = List.copyOf(sent);
      return copy.subList(Math.max(0, copy.size() - 20), copy.size());
    }
  }

  private static boolean answered(String key) {
    OrderTrace tr = watcher.trace(key);
    return tr.distinct(EventTypes.USER_REGISTERED)
            + tr.distinct(EventTypes.USER_REGISTRATION_REJECTED)
        > 0;
  }

  // --- the dead-letter topic ---------------------------------------------------------------------

  /** Everything written to the dead-letter topic since the run started: key and headers. */
  static final class DeadLetters implements AutoCloseable {
    record Letter(String key, Map<String, String> headers, long timestamp) {}

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<Letter> letters = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    DeadLetters(String bootstrap) {
      Properties p = new Properties();
      p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      p.put(ConsumerConfig.CLIENT_ID_CONFIG, "bookstore-chaos-dead-letters");
      p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
      p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
      p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
      consumer = new KafkaConsumer<>(p);
      List<TopicPartition> parts =
          consumer.partitionsFor(Topics.DEAD_LETTER, Duration.ofSeconds(15)).stream()
              .map(i -> new TopicPartition(Topics.DEAD_LETTER, i.partition()))
              .toList();
      consumer.assign(parts);
      consumer.seekToEnd(parts);
      for (TopicPartition tp : parts) {
        consumer.position(tp, Duration.ofSeconds(15));
      }
      thread =
          new Thread(
              () -> {
                try {
                  while (running) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                      Map<String, String> h = new LinkedHashMap<>();
                      for (Header header : r.headers()) {
                        h.put(
                            header.key(),
                            header.value() == null
                                ? null
                                : new String(header.value(), StandardCharsets.UTF_8));
                      }
                      letters.add(new Letter(r.key(), h, r.timestamp()));
                    }
                  }
                } catch (WakeupException closing) {
                  // close()
                } finally {
                  consumer.close(Duration.ofSeconds(2));
                }
              },
              "chaos-dead-letters");
      thread.setDaemon(true);
      thread.start();
    }

    List<Letter> letters() {
      return List.copyOf(letters);
    }

    Set<String> keys() {
      return letters.stream()
          .map(Letter::key)
          .filter(java.util.Objects::nonNull)
          .collect(Collectors.toSet());
    }

    @Override
    public void close() {
      running = false;
      consumer.wakeup();
      try {
        thread.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  // --- checks ------------------------------------------------------------------------------------

  private static int check(
      Checks checks,
      Orders orders,
      List<Placement> accepted,
      List<Shop.Customer> customers,
      Map<String, Shop.Level> levelsBefore,
      Map<String, Integer> copies,
      List<String> badKeys,
      List<String> registrationKeys)
      throws SQLException {
    List<String> refused = Checks.list();
    for (Placement p : orders.all()) {
      if (p.orderId == null) {
        refused.add(
            "order "
                + p.index
                + " ("
                + p.kind
                + "): "
                + p.attempts
                + " attempts, last: "
                + Http.abbreviate(p.lastError));
      }
    }
    checks.none(
        "every order of the stream accepted (202), retried with its Idempotency-Key", refused);

    List<String> ids = accepted.stream().map(Placement::orderId).toList();
    Map<String, String> orderStatus = column("select id, status from orders.customer_order", ids);
    Map<String, String> orderTotal =
        column("select id, total_cents::text from orders.customer_order", ids);
    Map<String, String> sagaStatus = column("select id, status from saga.saga", ids);
    Map<String, String> payStatus =
        column("select order_id, status from payment.payment", "order_id", ids);
    Map<String, String> payAmount =
        column("select order_id, amount_cents::text from payment.payment", "order_id", ids);
    Map<String, String> notifications =
        column(
            "select order_id, count(*)::text || ' ' || string_agg(status, ',') from"
                + " notify.notification",
            "order_id",
            ids,
            " group by order_id");
    Map<String, String> holds =
        column("select order_id, status from stock.reservation", "order_id", ids);

    List<String> pending = Checks.list();
    List<String> twoFinals = Checks.list();
    List<String> unexpected = Checks.list();
    List<String> doubleCapture = Checks.list();
    List<String> resentCaptures = Checks.list();
    List<String> capturedCancelled = Checks.list();
    List<String> notCaptured = Checks.list();
    List<String> notified = Checks.list();
    List<String> tables = Checks.list();
    List<TimedOut> timedOut = new ArrayList<>();
    Map<String, Integer> sold = new HashMap<>();
    Map<String, Integer> finalsPerEmail = new HashMap<>();
    for (Placement p : accepted) {
      String id = p.orderId;
      OrderTrace tr = watcher.trace(id);
      Optional<OrderTrace.Final> f = tr.finalEvent();
      if (f.isEmpty()) {
        pending.add(id + " (" + p.kind + ") saw " + seen(tr) + "; saga " + sagaStatus.get(id));
        continue;
      }
      finalsPerEmail.merge(orders.email(p), 1, Integer::sum);
      if (tr.distinctFinals() != 1) {
        twoFinals.add(id + ": " + tr.distinctFinals() + " distinct final events");
      }
      String reason = f.get().reason() == null ? "" : f.get().reason();
      if (reason.endsWith("timed out")) {
        timedOut.add(timedOut(p, tr, f.get()));
      }
      String wrong = unexpected(p.kind, f.get());
      if (wrong != null && !(reason.endsWith("timed out"))) {
        unexpected.add(id + " (" + p.kind + "): " + wrong);
      }
      // A capture the sweep sent again (its step timed out) is answered again, with a new id, by
      // payment's idempotent capture (one payment row per order): not a second charge. Two
      // answers to fewer commands, or a second answer without a re-sent capture, would be.
      if (tr.distinct(EventTypes.PAYMENT_CAPTURED) > 1) {
        resentCaptures.add(id);
      }
      if (tr.distinct(EventTypes.PAYMENT_CAPTURED)
          > Math.max(1, tr.distinct(EventTypes.PAYMENT_CAPTURE))) {
        doubleCapture.add(
            id
                + ": "
                + tr.distinct(EventTypes.PAYMENT_CAPTURED)
                + " payment.captured ids, "
                + tr.distinct(EventTypes.PAYMENT_CAPTURE)
                + " payment.capture commands");
      }
      if (f.get().confirmed()) {
        p.lines.forEach(l -> sold.merge(l.isbn(), l.quantity(), Integer::sum));
        if (!"CAPTURED".equals(payStatus.get(id))
            || !java.util.Objects.equals(payAmount.get(id), orderTotal.get(id))
            || tr.distinct(EventTypes.PAYMENT_CAPTURED) < 1) {
          notCaptured.add(
              id
                  + ": payment "
                  + payStatus.get(id)
                  + " "
                  + payAmount.get(id)
                  + " of "
                  + orderTotal.get(id)
                  + ", "
                  + tr.distinct(EventTypes.PAYMENT_CAPTURED)
                  + " payment.captured");
        }
        if (!"CONFIRMED".equals(orderStatus.get(id)) || !"COMPLETED".equals(sagaStatus.get(id))) {
          tables.add(
              id + ": confirmed, order " + orderStatus.get(id) + ", saga " + sagaStatus.get(id));
        }
      } else {
        if ("CAPTURED".equals(payStatus.get(id)) || tr.distinct(EventTypes.PAYMENT_CAPTURED) > 0) {
          capturedCancelled.add(id + " (" + reason + "): payment " + payStatus.get(id));
        }
        if (!"CANCELLED".equals(orderStatus.get(id)) || !"COMPENSATED".equals(sagaStatus.get(id))) {
          tables.add(
              id + ": cancelled, order " + orderStatus.get(id) + ", saga " + sagaStatus.get(id));
        }
      }
      String rows = notifications.get(id);
      if (tr.distinct(EventTypes.NOTIFICATION_SENT) != 1
          || rows == null
          || !rows.equals("1 SENT")) {
        notified.add(
            id
                + ": "
                + tr.distinct(EventTypes.NOTIFICATION_SENT)
                + " notification.sent, rows "
                + rows);
      }
    }
    checks.none("every order final (0 pending) within " + FINAL_WITHIN.toSeconds() + " s", pending);
    checks.none("each order has exactly one final event", twoFinals);
    checks.none(
        "outcomes as the token and the stock say (visa/slow confirmed, declined payment-declined,"
            + " scarce confirmed or out-of-stock, no-answer timed out); time-outs judged below",
        unexpected);
    if (!resentCaptures.isEmpty()) {
      OUT.println(
          "captures sent again after their step timed out (answered again, one payment row): "
              + resentCaptures.size()
              + " orders, e.g. "
              + resentCaptures.subList(0, Math.min(3, resentCaptures.size())));
    }
    checks.none(
        "no payment captured twice (payment.captured ids <= payment.capture commands, one row)",
        doubleCapture);
    checks.none("no capture for a cancelled order (topic and payment table)", capturedCancelled);
    checks.none(
        "every confirmed order captured (payment CAPTURED for the order's total, payment.captured)",
        notCaptured);
    checks.none("order and saga tables agree with the final event", tables);

    // Stock: copies sold = copies of the confirmed orders, nothing held.
    Map<String, Shop.Level> after = new Shop(store).levels(copies.keySet());
    List<String> stock = Checks.list();
    for (String isbn : copies.keySet()) {
      Shop.Level b = levelsBefore.get(isbn);
      Shop.Level a = after.get(isbn);
      int expected = b.onHand() - sold.getOrDefault(isbn, 0);
      if (a.onHand() != expected || a.reserved() != 0) {
        stock.add(
            isbn
                + ": on hand "
                + a.onHand()
                + " (expected "
                + b.onHand()
                + " - "
                + sold.getOrDefault(isbn, 0)
                + " = "
                + expected
                + "), reserved "
                + a.reserved());
      }
    }
    List<String> held = Checks.list();
    holds.forEach(
        (order, status) -> {
          if ("RESERVED".equals(status)) {
            held.add(order + ": reservation still RESERVED");
          }
        });
    checks.none(
        "stock conserved: on hand = before - copies of the confirmed orders, 0 reserved ("
            + copies.size()
            + " books)",
        stock);
    checks.none("no hold left (stock.reservation RESERVED) for the run's orders", held);

    checks.none(
        "exactly one notification per final order (notification.sent, one SENT row)", notified);
    // Mail: one distinct mail (Message-ID) per final order. A copy under the same Message-ID is
    // the SMTP boundary's at-least-once (notify killed after the server accepted the mail, before
    // it recorded SENT): receivers drop it by its Message-ID, and the run reports how many.
    List<String> mails = Checks.list();
    int mailCopies = 0;
    for (Shop.Customer c : customers) {
      int want = finalsPerEmail.getOrDefault(c.email(), 0);
      List<String> messageIds = mailbox.messageIds(c.email());
      long distinct = messageIds.stream().distinct().count();
      mailCopies += messageIds.size() - (int) distinct;
      if (distinct != want) {
        mails.add(c.email() + ": " + distinct + " distinct mails for " + want + " final orders");
      }
    }
    checks.none("one mail (Message-ID) per final order, per customer (SMTP server)", mails);
    OUT.printf(
        "mail copies under an already delivered Message-ID (notify killed mid-send): %d%n",
        mailCopies);

    // Dead letters: ours, with their reason; nothing else.
    List<DeadLetters.Letter> letters = deadLetters.letters();
    List<String> missing = Checks.list();
    for (String key : badKeys) {
      Optional<DeadLetters.Letter> l =
          letters.stream().filter(x -> key.equals(x.key())).findFirst();
      if (l.isEmpty() || l.get().headers().get("dead-letter-reason") == null) {
        missing.add(key + (l.isEmpty() ? ": not dead-lettered" : ": no reason header"));
      } else {
        OUT.printf(
            "dead letter on purpose: %s by %s, cause %s: %s%n",
            key,
            l.get().headers().get("dead-letter-function"),
            l.get().headers().get("dead-letter-cause"),
            Http.abbreviate(l.get().headers().get("dead-letter-reason")));
      }
    }
    checks.none("the records sent bad on purpose are dead-lettered with their reason", missing);
    List<String> others = Checks.list();
    Set<String> ours = new java.util.HashSet<>(ids);
    ours.addAll(registrationKeys);
    int foreign = 0;
    for (DeadLetters.Letter l : letters) {
      if (l.key() != null && !ours.contains(l.key()) && !badKeys.contains(l.key())) {
        foreign++; // another run's or test's record on the shared stack
        continue;
      }
      if (!badKeys.contains(l.key())) {
        Optional<Fault> fault = chaos.at(l.timestamp());
        others.add(
            l.key()
                + " from "
                + l.headers().get("dead-letter-topic")
                + " by "
                + l.headers().get("dead-letter-function")
                + " at "
                + Chaos.clock(l.timestamp())
                + " ("
                + fault.map(ChaosTest::describe).orElse("no fault")
                + "), cause "
                + l.headers().get("dead-letter-cause")
                + ": "
                + Http.abbreviate(l.headers().get("dead-letter-reason")));
      }
    }
    checks.none(
        "no other dead letter since the run started (" + letters.size() + " in all)", others);

    // Time-outs: which fault each follows; a happy-path order's is a failure unless outages of its
    // step's dependencies left less than STEP_SLACK of its time limit free.
    OUT.println();
    OUT.println("-- orders cancelled for a time-out: " + timedOut.size());
    List<String> unexplained = Checks.list();
    for (TimedOut to : timedOut) {
      OUT.println("  " + to.line());
      if (!to.expected() && !to.explained()) {
        unexplained.add(to.orderId() + " (" + to.kind() + "): " + to.reason() + ", " + to.fault());
      }
    }
    checks.none(
        "no order that would have succeeded timed out, unless Kafka/PostgreSQL/Redis outages"
            + " (or kills of the function the step waits for) left less than "
            + STEP_SLACK.toSeconds()
            + " s of its "
            + STEP_LIMIT.toSeconds()
            + " s limit free",
        unexplained);
    if (!pending.isEmpty() || !unexplained.isEmpty()) {
      List<String> show = new ArrayList<>();
      accepted.stream()
          .filter(p -> watcher.trace(p.orderId).finalEvent().isEmpty())
          .limit(2)
          .forEach(p -> show.add(p.orderId));
      timedOut.stream()
          .filter(x -> !x.expected() && !x.explained())
          .limit(2)
          .forEach(x -> show.add(x.orderId()));
      for (String id : show) {
        OUT.println("log lines for " + id + ":");
        grepLogs(id).forEach(line -> OUT.println("  " + line));
      }
    }
    return checks.failed();
  }

  private static int registrationsCheck(Checks checks, Registrations registrations) {
    List<String> offenders = Checks.list();
    for (String key : registrations.sent()) {
      OrderTrace tr = watcher.trace(key);
      int answers =
          tr.distinct(EventTypes.USER_REGISTERED)
              + tr.distinct(EventTypes.USER_REGISTRATION_REJECTED);
      if (answers != 1 || tr.distinct(EventTypes.USER_REGISTERED) != 1) {
        offenders.add(
            key
                + ": "
                + tr.distinct(EventTypes.USER_REGISTERED)
                + " registered, "
                + tr.distinct(EventTypes.USER_REGISTRATION_REJECTED)
                + " rejected");
      }
    }
    checks.none(
        "each user.register sent over Kafka answered once, user.registered ("
            + registrations.sent().size()
            + " sent, "
            + registrations.failedSends.get()
            + " sends failed)",
        offenders);
    return 0;
  }

  private record TimedOut(
      String orderId,
      OrderKind kind,
      String reason,
      long deadlineAt,
      String fault,
      boolean expected,
      boolean explained) {
    String line() {
      return String.format(
          "%s %-18s %-32s step timed out at %s; %s -> %s",
          orderId,
          kind,
          reason,
          Chaos.clock(deadlineAt),
          fault,
          expected ? "expected (never answered)" : explained ? "explained by the outage" : "FAIL");
    }
  }

  private static TimedOut timedOut(Placement p, OrderTrace tr, OrderTrace.Final f) {
    long deadline = tr.firstAt(EventTypes.SAGA_DEADLINE_PASSED).orElse(f.timestamp());
    Optional<Fault> at = chaos.at(deadline);
    long windowStart = deadline - STEP_LIMIT.toMillis() - 2000;
    List<Fault> window =
        chaos.faults().stream()
            .filter(x -> x.at() <= deadline && (x.back() == 0 || x.back() >= windowStart))
            .toList();
    // Explained: the step's dependencies were away for most of its time limit. Kafka, PostgreSQL
    // and Redis (every function's ledger) count, and a kill of the function the step waits for
    // (reserve-stock, payment) or of saga-step itself; each outage is extended by the kit's
    // longest retry back-off (a record retried just before the target came back waits that long).
    // When those outages leave less than STEP_SLACK of the window free, the time-out is theirs.
    String reason = f.reason() == null ? "" : f.reason();
    String waitsFor =
        reason.startsWith("reserve-stock") || reason.startsWith("commit-stock")
            ? Functions.RESERVE_STOCK
            : Functions.PAYMENT;
    List<long[]> away =
        window.stream()
            .filter(
                x ->
                    x.kind() == Kind.KAFKA
                        || x.kind() == Kind.POSTGRES
                        || x.kind() == Kind.REDIS
                        || (x.kind() == Kind.FUNCTION_KILL
                            && (x.target().equals(waitsFor)
                                || x.target().equals(Functions.SAGA_STEP))))
            .map(
                x ->
                    new long[] {
                      x.at(), x.back() == 0 ? deadline : x.back() + RETRY_BACKOFF_MAX.toMillis()
                    })
            .toList();
    long covered = Chaos.covered(away, deadline - STEP_LIMIT.toMillis(), deadline);
    boolean explained = covered >= STEP_LIMIT.toMillis() - STEP_SLACK.toMillis();
    String fault =
        "follows "
            + at.map(ChaosTest::describe).orElse("no fault")
            + (window.isEmpty()
                ? ""
                : "; faults in the step's window: "
                    + window.stream().map(x -> "#" + x.number()).collect(Collectors.joining(",")));
    return new TimedOut(
        p.orderId, p.kind, f.reason(), deadline, fault, p.kind == OrderKind.NO_ANSWER, explained);
  }

  private static String describe(Fault f) {
    return String.format(
        "fault #%d %s %s at %s, away %.1f s",
        f.number(), f.kind(), f.target(), Chaos.clock(f.at()), f.outage().toMillis() / 1000.0);
  }

  private static String unexpected(OrderKind kind, OrderTrace.Final f) {
    String reason = f.reason() == null ? "" : f.reason();
    return switch (kind) {
      case VISA, SLOW -> f.confirmed() ? null : "cancelled: " + reason;
      case DECLINED, INSUFFICIENT_FUNDS ->
          !f.confirmed() && reason.equals("payment-declined") ? null : "got " + outcome(f);
      case NO_ANSWER ->
          !f.confirmed() && reason.equals("authorize-payment timed out")
              ? null
              : "got " + outcome(f);
      case SCARCE -> f.confirmed() || reason.equals("out-of-stock") ? null : "got " + outcome(f);
    };
  }

  private static String outcome(OrderTrace.Final f) {
    return f.confirmed() ? "confirmed" : "cancelled (" + f.reason() + ")";
  }

  /** The event types the topic showed for an order, with counts. */
  private static String seen(OrderTrace tr) {
    List<String> out = new ArrayList<>();
    for (EventType t : EventCatalogue.all()) {
      int n = tr.distinct(t.type());
      if (n > 0) {
        out.add(t.type().substring(EventTypes.PREFIX.length()).replace(".v1", "") + "=" + n);
      }
    }
    return out.toString();
  }

  private static List<String> grepLogs(String needle) {
    List<String> out = new ArrayList<>();
    try (var files = Files.list(apps.logDir())) {
      for (Path f : files.filter(x -> x.toString().endsWith(".log")).sorted().toList()) {
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
          if (line.contains(needle)) {
            out.add(f.getFileName() + ": " + Http.abbreviate(line));
          }
        }
      }
    } catch (IOException e) {
      out.add("(cannot read the logs: " + e + ")");
    }
    return out.subList(0, Math.min(out.size(), 20));
  }

  // --- PostgreSQL --------------------------------------------------------------------------------

  private static long reservedNow(Set<String> isbns) {
    try (Connection c = connect();
        PreparedStatement s =
            c.prepareStatement(
                "select coalesce(sum(reserved), 0) from stock.stock_level where isbn ="
                    + " any(?)")) {
      s.setArray(1, c.createArrayOf("varchar", isbns.toArray()));
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    } catch (SQLException e) {
      return -1;
    }
  }

  private static Map<String, String> column(String select, List<String> ids) throws SQLException {
    return column(select, "id", ids);
  }

  private static Map<String, String> column(String select, String idColumn, List<String> ids)
      throws SQLException {
    return column(select, idColumn, ids, "");
  }

  /** {@code select key, value from ... where idColumn = any(ids) [tail]} as a map. */
  private static Map<String, String> column(
      String select, String idColumn, List<String> ids, String tail) throws SQLException {
    Map<String, String> out = new HashMap<>();
    try (Connection c = connect();
        PreparedStatement s =
            c.prepareStatement(select + " where " + idColumn + " = any(?)" + tail)) {
      s.setArray(1, c.createArrayOf("varchar", ids.toArray()));
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          out.put(r.getString(1), r.getString(2));
        }
      }
    }
    return out;
  }

  private static Connection connect() throws SQLException {
    String url =
        "jdbc:postgresql://%s:%s/%s"
            .formatted(
                ENV.getOrDefault("BOOKSTORE_PG_HOST", "127.0.0.1"),
                ENV.getOrDefault("BOOKSTORE_PG_PORT", "15432"),
                ENV.getOrDefault("BOOKSTORE_PG_DB", "bookstore"));
    return DriverManager.getConnection(
        url,
        ENV.getOrDefault("BOOKSTORE_PG_USER", "bookstore"),
        ENV.getOrDefault("BOOKSTORE_PG_PASSWORD", "bookstore-local"));
  }

  // --- small things ------------------------------------------------------------------------------

  private static String isbn13() {
    StringBuilder digits = new StringBuilder("979");
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < 9; i++) {
      digits.append(random.nextInt(10));
    }
    int sum = 0;
    for (int i = 0; i < 12; i++) {
      sum += (digits.charAt(i) - '0') * (i % 2 == 0 ? 1 : 3);
    }
    return digits.append((10 - sum % 10) % 10).toString();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static double secs(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static String prop(String name, String otherwise) {
    return System.getProperty(name, otherwise);
  }
}
