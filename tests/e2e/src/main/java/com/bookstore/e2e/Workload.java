package com.bookstore.e2e;

import com.bookstore.e2e.OrderPlan.Kind;
import com.bookstore.e2e.OrderPlan.Planned;
import com.bookstore.e2e.Shop.Customer;
import com.bookstore.e2e.Shop.KitStats;
import com.bookstore.e2e.Shop.Level;
import com.bookstore.events.EventTypes;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * The main job's workload: registers customers, loads the catalog seed, puts copies on the shelves,
 * places a few hundred orders with a realistic mix at a steady rate, redelivers a sample of the
 * run's records on purpose, waits for every order's final event on the topic, and prints a summary
 * with OK/FAIL checks. Exits 1 when a check fails, 2 when the run could not be made.
 *
 * <pre>
 * java -cp "tests/e2e/target/e2e.jar:tests/e2e/target/lib/*" com.bookstore.e2e.Workload --help
 * </pre>
 *
 * With {@code --bench} it runs the {@link Benchmark} instead.
 */
public final class Workload {
  private static final List<String> FUNCTIONS = App.BOOKSTORE.stream().map(App::function).toList();

  private final Options options;
  private final Stack stack;
  private final PrintStream out = System.out;

  /** One order's placement: what was planned, when it was sent, what place-order answered. */
  record Placement(
      Planned plan, long sentAt, long answeredAt, int status, String orderId, String error) {
    boolean accepted() {
      return status == 202 && orderId != null;
    }
  }

  Workload(Options options, Stack stack) {
    this.options = options;
    this.stack = stack;
  }

  public static void main(String[] args) {
    Cli.quietLibraries();
    int code;
    try {
      Options options = Options.parse(args);
      Stack stack = Stack.fromEnvironment();
      code =
          options.bench()
              ? new Benchmark(options, stack).run()
              : new Workload(options, stack).run();
    } catch (Options.UsageRequested help) {
      System.out.print(help.getMessage());
      code = 0;
    } catch (RuntimeException e) {
      System.out.flush();
      System.err.println("workload: " + e.getMessage());
      if (System.getenv("WORKLOAD_DEBUG") != null) {
        e.printStackTrace();
      }
      code = 2;
    }
    System.exit(code);
  }

  int run() {
    try (Cli.Session session = Cli.Session.open(options, stack, out)) {
      return run(session);
    }
  }

  private int run(Cli.Session s) {
    String runId = Long.toString(System.currentTimeMillis(), 36);
    Shop shop = s.shop();
    Random random = new Random(options.randomSeed());
    out.printf(
        "== workload %s: %d orders at %s/s, %d customers, environment %s, random seed %d%n",
        runId,
        options.orders(),
        fmt(options.rate()),
        options.users(),
        options.environment(),
        options.randomSeed());

    // Raw copies of the records some function takes; this run's are sampled for redelivery.
    Set<String> ours = ConcurrentHashMap.newKeySet();
    try (TopicWatcher watcher =
            TopicWatcher.start(stack.kafkaBootstrap(), Redelivery::taken, 200_000);
        CourierSimulator couriers =
            new CourierSimulator(
                stack.kafkaBootstrap(), s.store(), watcher, options.randomSeed())) {

      long t = System.nanoTime();
      List<Customer> customers = shop.customers(options.users(), runId);
      out.printf("customers: %d registered and logged in (%d ms)%n", customers.size(), ms(t));

      SeedBooks seed =
          SeedBooks.read(options.seed().orElse(SeedBooks.defaultPath(stack.repoRoot())));
      t = System.nanoTime();
      int books = shop.loadCatalog(seed, s.adminToken());
      out.printf("catalog: %d seed books upserted (%d ms)%n", books, ms(t));

      OrderPlan plan = OrderPlan.mixed(options.orders(), customers.size(), seed, random);
      Map<String, Integer> demand = plan.demand();
      Map<String, Integer> target = new HashMap<>();
      for (SeedBooks.Book b : seed.books()) {
        // Scarce books get their (small) seed figure; the others at least what the plan asks for.
        target.put(
            b.isbn(),
            plan.scarceBooks().contains(b.isbn())
                ? b.stock()
                : Math.max(b.stock(), demand.getOrDefault(b.isbn(), 0)));
      }
      t = System.nanoTime();
      shop.topUp(target);
      long toppedUpIn = ms(t);
      if (options.warmUp() > 0) {
        warmUp(s, watcher, customers, plan, seed, random);
      }
      // After the warm-up: what the run is measured against starts here.
      Map<String, Level> levelsBefore = shop.topUp(target);
      Map<String, KitStats> statsBefore = shop.kitStats(FUNCTIONS);
      Optional<Map<String, Integer>> mailsBefore = mails(s, customers);
      out.printf(
          "stock: %d books topped up to their seed figures (%d ms); nearly sold out: %s%n",
          target.size(),
          toppedUpIn,
          plan.scarceBooks().stream()
              .map(i -> i + "=" + levelsBefore.get(i).available())
              .collect(Collectors.joining(", ")));
      out.println("mix: " + mix(plan));
      out.println(couriersLine(s, plan, runId));

      // --- place the orders at the offered rate; redeliver a sample half-way ---------------------
      Placement[] placed = new Placement[plan.orders().size()];
      List<CompletableFuture<Void>> answers = new ArrayList<>();
      AtomicReference<CompletableFuture<Integer>> redelivery = new AtomicReference<>();
      Pacer pacer = new Pacer(options.rate());
      int half = plan.orders().size() / 2;
      Map<String, Long> cpuBefore = CpuUsage.snapshot(s.apps());
      long placingStart = System.currentTimeMillis();
      pacer.run(
          plan.orders().size(),
          null,
          i -> {
            Planned p = plan.orders().get(i);
            long sentAt = System.currentTimeMillis();
            String token = customers.get(p.user()).token();
            answers.add(
                (p.address() == null
                        ? s.store().placeOrder(token, p.lines(), p.paymentMethod())
                        : s.store().placeOrder(token, p.lines(), p.paymentMethod(), p.address()))
                    .handle(
                        (r, e) -> {
                          long at = System.currentTimeMillis();
                          if (e != null) {
                            placed[i] = new Placement(p, sentAt, at, 0, null, e.toString());
                          } else {
                            String id = r.status() == 202 ? r.text("orderId") : null;
                            if (id != null) {
                              ours.add(id);
                              if (p.kind().delivery()) {
                                couriers.expect(id, p.kind());
                              }
                            }
                            placed[i] =
                                new Placement(
                                    p, sentAt, at, r.status(), id, id == null ? r.body() : null);
                          }
                          return null;
                        }));
            if (i == half) {
              redelivery.set(
                  CompletableFuture.supplyAsync(
                      () -> redeliver(watcher, ours, half, options.redeliver())));
            }
            return true;
          });
      CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).join();
      long placingEnd = System.currentTimeMillis();
      List<Placement> all = List.of(placed);
      List<Placement> accepted = all.stream().filter(Placement::accepted).toList();
      out.printf(
          "placed: %d of %d accepted in %.1f s (client at most %d ms late)%n",
          accepted.size(),
          all.size(),
          (placingEnd - placingStart) / 1000.0,
          pacer.lateness().toMillis());
      int redelivered = redelivery.get() == null ? 0 : redelivery.get().join();

      // --- wait for every order's final event -----------------------------------------------
      List<String> ids = accepted.stream().map(Placement::orderId).toList();
      t = System.nanoTime();
      boolean allFinal = watcher.awaitFinal(ids, options.finalTimeout());
      out.printf(
          "final events: %d of %d after %.1f s more%s%n",
          ids.size() - watcher.pending(ids),
          ids.size(),
          ms(t) / 1000.0,
          allFinal ? "" : " (gave up waiting: " + options.finalTimeout().toSeconds() + " s)");
      if (!allFinal) {
        out.println("consumer-group lag now: " + s.lags());
      }
      // notify answers the final facts; give it a moment to catch up before counting.
      watcher.await(
          () ->
              ids.stream()
                  .allMatch(
                      id ->
                          watcher.trace(id).distinct(EventTypes.NOTIFICATION_SENT)
                                  >= notificationsDue(watcher.trace(id))
                              || watcher.trace(id).finalEvent().isEmpty()),
          Duration.ofSeconds(15));
      // The ledgers must have answered every copy; wait until the counters show it.
      watcher.await(
          () -> duplicates(shop.kitStats(FUNCTIONS), statsBefore) >= redelivered,
          Duration.ofSeconds(15));
      Map<String, KitStats> statsAfter = shop.kitStats(FUNCTIONS);
      Map<String, Long> cpu = CpuUsage.used(cpuBefore, CpuUsage.snapshot(s.apps()));
      long cpuWindow = System.currentTimeMillis() - placingStart;
      // Every customer of this run has a fresh address: its mailbox holds this run's mails only.
      // Each customer's mails since the warm-up's were counted.
      Optional<Map<String, Integer>> mails =
          mails(s, customers)
              .map(
                  after -> {
                    Map<String, Integer> by = new TreeMap<>(after);
                    mailsBefore.ifPresent(b -> b.forEach((e, n) -> by.merge(e, -n, Integer::sum)));
                    return by;
                  });

      Report report =
          new Report(
              all, watcher, placingStart, placingEnd, statsBefore, statsAfter, redelivered, mails);
      report.print(out);
      Map<String, Http.Response> deliveries = deliveries(s, accepted);
      printDeliveries(out, accepted, watcher, couriers, deliveries);
      printCpu(out, cpu, cpuWindow, accepted.size());
      int failed = check(s, report, plan, levelsBefore, customers, couriers, deliveries);
      handoff(accepted, watcher, customers, plan);
      return failed == 0 ? 0 : 1;
    }
  }

  /**
   * Orders that are not counted, so the measured ones meet warm JVMs (JIT-compiled code, open
   * connections) rather than apps that started a minute ago: tok_visa, one copy of one plentiful
   * book each, at half the rate (at most 10/s); waits until they are final.
   */
  private void warmUp(
      Cli.Session s,
      TopicWatcher watcher,
      List<Customer> customers,
      OrderPlan plan,
      SeedBooks seed,
      Random random) {
    List<String> books =
        seed.byStock().stream()
            .map(SeedBooks.Book::isbn)
            .filter(i -> !plan.scarceBooks().contains(i))
            .toList();
    double rate = Math.min(10, options.rate() / 2);
    List<CompletableFuture<Http.Response>> answers = new ArrayList<>();
    long start = System.nanoTime();
    new Pacer(rate)
        .run(
            options.warmUp(),
            null,
            i -> {
              String isbn = books.get(random.nextInt(books.size()));
              answers.add(
                  s.store()
                      .placeOrder(
                          customers.get(i % customers.size()).token(),
                          List.of(new Bookstore.Line(isbn, 1)),
                          "tok_visa"));
              return true;
            });
    List<String> ids =
        answers.stream()
            .map(CompletableFuture::join)
            .filter(r -> r.status() == 202)
            .map(r -> r.text("orderId"))
            .toList();
    boolean done = watcher.awaitFinal(ids, Duration.ofSeconds(60));
    // Their mails too, so that the run's mail count starts after them.
    watcher.await(
        () ->
            ids.stream()
                .allMatch(id -> watcher.trace(id).records(EventTypes.NOTIFICATION_SENT) > 0),
        Duration.ofSeconds(15));
    out.printf(
        "warm-up: %d orders at %s/s, %s after %.1f s (not counted below)%n",
        ids.size(),
        fmt(rate),
        done ? "all final" : watcher.pending(ids) + " still pending",
        ms(start) / 1000.0);
  }

  /** Mails received so far per customer (fresh addresses: this run's only). */
  private static Optional<Map<String, Integer>> mails(Cli.Session s, List<Customer> customers) {
    return s.mailbox()
        .map(
            m -> {
              Map<String, Integer> by = new TreeMap<>();
              customers.forEach(c -> by.put(c.email(), m.count(c.email())));
              return by;
            });
  }

  /** Re-produces a sample of this run's records; returns the function-deliveries to suppress. */
  private int redeliver(TopicWatcher watcher, Set<String> ours, int orders, double fraction) {
    // Copies go to the originals' partitions, after them: every consumer handles the original first
    // (one key's records run in order), so each copy must be answered from a ledger, however soon.
    // Wait until the first orders' sagas have produced a fair share of their events (about eight
    // records each) so that the sample spreads over every step.
    List<TopicWatcher.RawRecord> mine = List.of();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      mine =
          watcher.retained().stream()
              .filter(r -> r.key() != null && ours.contains(r.key()))
              .toList();
      if (mine.size() >= 4 * orders) {
        break;
      }
      ConsumerGroups.pause(Duration.ofMillis(200));
    }
    List<TopicWatcher.RawRecord> sample = Redelivery.sample(mine, fraction);
    Redelivery.produce(stack.kafkaBootstrap(), sample);
    Map<String, Long> byType =
        sample.stream()
            .collect(
                Collectors.groupingBy(
                    r -> shortType(r.type()), TreeMap::new, Collectors.counting()));
    out.printf(
        "redelivered: %d copies of %d records of this run so far %s%n",
        sample.size(), mine.size(), byType);
    return sample.stream().mapToInt(r -> Redelivery.takers(r.type())).sum();
  }

  private static long duplicates(Map<String, KitStats> after, Map<String, KitStats> before) {
    long n = 0;
    for (Map.Entry<String, KitStats> e : after.entrySet()) {
      n += e.getValue().minus(before.get(e.getKey())).duplicates();
    }
    return n;
  }

  /**
   * The notifications an order's facts call for: one for its final event, and one per delivery
   * milestone (courier assigned, each reassignment, picked up, delivered, failed).
   */
  static int notificationsDue(OrderTrace tr) {
    return 1
        + tr.distinct(EventTypes.DELIVERY_ASSIGNED)
        + tr.distinct(EventTypes.DELIVERY_REASSIGNED)
        + tr.distinct(EventTypes.DELIVERY_PICKED_UP)
        + tr.distinct(EventTypes.DELIVERY_DELIVERED)
        + tr.distinct(EventTypes.DELIVERY_FAILED);
  }

  /** The couriers' side of the run: which zones, and couriers made available for it. */
  private String couriersLine(Cli.Session s, OrderPlan plan, String runId) {
    Set<String> zones = new java.util.TreeSet<>();
    long deliveries = 0;
    for (Planned p : plan.orders()) {
      if (p.kind().delivery()) {
        deliveries++;
        if (p.kind() != Kind.NO_COURIER) {
          zones.add(com.bookstore.events.delivery.Zones.of(p.address().postcode()));
        }
      }
    }
    String token = System.getenv("DISPATCH_ADMIN_TOKEN");
    String made =
        token == null || token.isBlank()
            ? "no DISPATCH_ADMIN_TOKEN: the seed couriers are used as they are"
            : "couriers made available again: "
                + CourierSimulator.makeAvailable(s.store(), zones, token)
                + "; this run's own, two a zone beside the seed's: "
                + CourierSimulator.addCouriers(s.store(), zones, 2, runId, token).size();
    return "deliveries: "
        + deliveries
        + " orders for delivery; the courier simulator plays the couriers of zones "
        + zones
        + " ("
        + made
        + ")";
  }

  /** GET /deliveries/{id} of every accepted delivery order, by order id. */
  private static Map<String, Http.Response> deliveries(Cli.Session s, List<Placement> accepted) {
    Map<String, Http.Response> out = new HashMap<>();
    for (Placement p : accepted) {
      if (p.plan().kind().delivery()) {
        out.put(p.orderId(), s.store().delivery(p.orderId()));
      }
    }
    return out;
  }

  /** The deliveries' part of the summary. */
  static void printDeliveries(
      PrintStream out,
      List<Placement> accepted,
      TopicWatcher watcher,
      CourierSimulator couriers,
      Map<String, Http.Response> deliveries) {
    Map<String, Integer> byStatus = new TreeMap<>();
    Map<Kind, Integer> byKind = new TreeMap<>();
    Latencies delivered = new Latencies();
    long reassignments = 0;
    long releases = 0;
    long refunds = 0;
    long cancels = 0;
    int failedDeliveries = 0;
    for (Placement p : accepted) {
      if (!p.plan().kind().delivery()) {
        continue;
      }
      byKind.merge(p.plan().kind(), 1, Integer::sum);
      Http.Response d = deliveries.get(p.orderId());
      byStatus.merge(d != null && d.ok() ? d.text("status") : "none", 1, Integer::sum);
      OrderTrace tr = watcher.trace(p.orderId());
      reassignments += tr.distinct(EventTypes.DELIVERY_REASSIGNED);
      tr.firstAt(EventTypes.DELIVERY_DELIVERED).ifPresent(at -> delivered.add(at - p.sentAt()));
      if (tr.distinct(EventTypes.DELIVERY_FAILED) > 0) {
        failedDeliveries++;
        releases += tr.distinct(EventTypes.STOCK_RELEASE);
        refunds += tr.distinct(EventTypes.PAYMENT_REFUND);
        cancels += tr.distinct(EventTypes.DELIVERY_CANCEL);
      }
    }
    out.println("deliveries:");
    out.printf(
        "  orders for delivery    %d  %s%n",
        byKind.values().stream().mapToInt(Integer::intValue).sum(),
        byKind.entrySet().stream()
            .map(e -> e.getKey().name().toLowerCase(Locale.ROOT) + " " + e.getValue())
            .collect(Collectors.joining(", ")));
    out.printf(
        "  by outcome             %s%n",
        byStatus.entrySet().stream()
            .map(e -> e.getKey().toLowerCase(Locale.ROOT) + " " + e.getValue())
            .collect(Collectors.joining(", ")));
    out.printf(
        "  reassignments          %d (pickups left to time out on purpose: %d)%n",
        reassignments, couriers.ignored());
    out.printf(
        "  compensations after    %d for %d failed deliveries (payment.refund %d, stock.release %d,"
            + " delivery.cancel %d)%n",
        refunds + releases + cancels, failedDeliveries, refunds, releases, cancels);
    out.printf("  latency placed->delivered %s%n", delivered.summary("ms"));
    out.printf(
        "  couriers' events sent  %s (binary %d, structured %d)%n",
        couriers.sent(), couriers.binary(), couriers.structured());
  }

  /** The cheap checks; prints OK/FAIL lines and returns how many failed. */
  private int check(
      Cli.Session s,
      Report report,
      OrderPlan plan,
      Map<String, Level> levelsBefore,
      List<Customer> customers,
      CourierSimulator couriers,
      Map<String, Http.Response> deliveries) {
    out.println();
    out.println("-- checks");
    Checks checks = new Checks(out);
    List<Placement> all = report.placements;
    TopicWatcher watcher = report.watcher;

    List<String> refused = Checks.list();
    for (Placement p : all) {
      if (!p.accepted()) {
        refused.add(
            "order "
                + p.plan().index()
                + ": HTTP "
                + p.status()
                + " "
                + Http.abbreviate(p.error()));
      }
    }
    checks.none("every order accepted by place-order (202)", refused);
    List<Placement> accepted = all.stream().filter(Placement::accepted).toList();

    List<String> pending = Checks.list();
    List<String> twoFinals = Checks.list();
    List<String> unexpected = Checks.list();
    for (Placement p : accepted) {
      OrderTrace tr = watcher.trace(p.orderId());
      Optional<OrderTrace.Final> f = tr.finalEvent();
      if (f.isEmpty()) {
        pending.add(p.orderId() + " (" + p.plan().kind() + ")");
        continue;
      }
      if (tr.distinctFinals() != 1) {
        twoFinals.add(p.orderId() + " has " + tr.distinctFinals() + " distinct final events");
      }
      String wrong = unexpectedOutcome(p.plan().kind(), f.get());
      if (wrong != null) {
        unexpected.add(p.orderId() + " (" + p.plan().kind() + "): " + wrong);
      }
    }
    checks.none("no order still pending", pending);
    checks.none("each order has exactly one final event (confirmed or cancelled)", twoFinals);
    checks.none(
        "outcomes as the payment token and the stock say (visa/slow confirmed, declined tokens"
            + " payment-declined, no answer timed out, nearly sold out: confirmed or out-of-stock)",
        unexpected);

    // Captures and notifications, from the topic and from payment's own records.
    List<String> captures = Checks.list();
    List<String> capturedCancelled = Checks.list();
    List<String> notifications = Checks.list();
    List<String> compensations = Checks.list();
    List<String> refundedAfterDelivery = Checks.list();
    Map<String, CompletableFuture<Http.Response>> payments = new HashMap<>();
    for (Placement p : accepted) {
      payments.put(p.orderId(), s.store().paymentStatus(p.orderId()));
    }
    for (Placement p : accepted) {
      OrderTrace tr = watcher.trace(p.orderId());
      Optional<OrderTrace.Final> f = tr.finalEvent();
      if (f.isEmpty()) {
        continue;
      }
      String status = paymentStatus(payments.get(p.orderId()));
      Kind kind = p.plan().kind();
      if (kind == Kind.DELIVERY_FAILED || kind == Kind.NEVER_PICKED_UP) {
        // charged before the delivery, refunded after it failed
        if (tr.distinct(EventTypes.PAYMENT_CAPTURED) != 1 || !"REFUNDED".equals(status)) {
          refundedAfterDelivery.add(
              p.orderId()
                  + ": "
                  + tr.distinct(EventTypes.PAYMENT_CAPTURED)
                  + " payment.captured, payment status "
                  + status);
        }
        String missing = missingCompensation(kind, f.get(), tr);
        if (missing != null) {
          compensations.add(p.orderId() + " (" + kind + "): " + missing);
        }
      } else if (f.get().confirmed()) {
        if (tr.distinct(EventTypes.PAYMENT_CAPTURED) != 1 || !"CAPTURED".equals(status)) {
          captures.add(
              p.orderId()
                  + ": "
                  + tr.distinct(EventTypes.PAYMENT_CAPTURED)
                  + " payment.captured, payment status "
                  + status);
        }
      } else {
        if (tr.distinct(EventTypes.PAYMENT_CAPTURED) != 0 || "CAPTURED".equals(status)) {
          capturedCancelled.add(p.orderId() + ": payment status " + status);
        }
        String missing = missingCompensation(p.plan().kind(), f.get(), tr);
        if (missing != null) {
          compensations.add(p.orderId() + " (" + p.plan().kind() + "): " + missing);
        }
      }
      int due = notificationsDue(tr);
      if (tr.distinct(EventTypes.NOTIFICATION_SENT) != due) {
        notifications.add(
            p.orderId()
                + ": "
                + tr.distinct(EventTypes.NOTIFICATION_SENT)
                + " notification.sent for "
                + due
                + " facts");
      }
    }
    checks.none(
        "each confirmed order has exactly one capture (payment.captured, payment status CAPTURED)",
        captures);
    checks.none("each order cancelled before its delivery has no capture", capturedCancelled);
    checks.none(
        "each order whose delivery failed was captured once and refunded (payment REFUNDED)",
        refundedAfterDelivery);
    checks.none(
        "each cancelled order had its compensations (hold released after a payment refusal;"
            + " payment refunded and hold released after a payment timeout or without a courier;"
            + " delivery cancelled, payment refunded, copies restocked after a failed delivery)",
        compensations);
    checks.none(
        "each final order has one notification.sent per fact (its final event, each delivery"
            + " milestone)",
        notifications);
    checkDeliveries(checks, accepted, watcher, couriers, deliveries);
    if (report.mails.isPresent()) {
      Map<String, Integer> notified = new TreeMap<>();
      for (Placement p : accepted) {
        notified.merge(
            customers.get(p.plan().user()).email(),
            watcher.trace(p.orderId()).distinct(EventTypes.NOTIFICATION_SENT),
            Integer::sum);
      }
      List<String> mailOffenders = Checks.list();
      report
          .mails
          .get()
          .forEach(
              (email, n) -> {
                int want = notified.getOrDefault(email, 0);
                if (n != want) {
                  mailOffenders.add(email + ": " + n + " mails for " + want + " notification.sent");
                }
              });
      checks.none(
          "mails received by the SMTP server = notifications sent, per customer ("
              + report.mailTotal()
              + ")",
          mailOffenders);
    } else {
      checks.unavailable(
          "mails received by the SMTP server = notifications sent", s.mailboxProblem());
    }

    // Stock: never negative, holds all given back, and what was sold is what was confirmed.
    Map<String, Integer> sold = new HashMap<>();
    for (Placement p : accepted) {
      Optional<OrderTrace.Final> f = watcher.trace(p.orderId()).finalEvent();
      if (f.isPresent() && f.get().confirmed()) {
        p.plan().lines().forEach(l -> sold.merge(l.isbn(), l.quantity(), Integer::sum));
      }
    }
    Set<String> ordered = plan.demand().keySet();
    Map<String, Level> levelsAfter = s.shop().levels(ordered);
    List<String> negative = Checks.list();
    List<String> holds = Checks.list();
    List<String> conservation = Checks.list();
    for (String isbn : ordered) {
      Level b = levelsBefore.get(isbn);
      Level a = levelsAfter.get(isbn);
      if (a.onHand() < 0 || a.reserved() < 0 || a.available() < 0) {
        negative.add(isbn + " " + a);
      }
      if (a.reserved() != b.reserved()) {
        holds.add(isbn + ": reserved " + b.reserved() + " before, " + a.reserved() + " after");
      }
      int expected = b.onHand() - sold.getOrDefault(isbn, 0);
      if (a.onHand() != expected) {
        conservation.add(
            isbn
                + ": on hand "
                + a.onHand()
                + ", expected "
                + b.onHand()
                + " - "
                + sold.getOrDefault(isbn, 0)
                + " sold = "
                + expected);
      }
    }
    checks.none("stock never negative (" + ordered.size() + " books ordered)", negative);
    checks.none(
        "reserved back to where it was before the run (0 unless an earlier run left holds)", holds);
    checks.none("copies on hand after = before - copies of the confirmed orders", conservation);

    // place-order's own view follows the facts: it must agree with the topic.
    Map<String, String> tokenOf = new HashMap<>();
    for (Placement p : accepted) {
      tokenOf.put(p.orderId(), customers.get(p.plan().user()).token());
    }
    checks.none(
        "GET /orders/{id} agrees with the final event (CONFIRMED/CANCELLED)",
        disagreements(s, accepted, watcher, tokenOf));

    checks.that(
        "no dead letters (" + report.deadLettered + ")",
        report.deadLettered == 0,
        report.deadLettered + " records dead-lettered; see the functions' logs");
    checks.that(
        "every redelivered copy suppressed by a ledger ("
            + report.duplicates
            + " duplicates >= "
            + report.redelivered
            + " expected)",
        report.statsMissing.isEmpty() && report.duplicates >= report.redelivered,
        report.statsMissing.isEmpty()
            ? report.duplicates + " duplicates suppressed for " + report.redelivered + " expected"
            : "no /kit/stats from " + report.statsMissing);
    out.printf(
        "%d checks: %d OK, %d FAIL%n",
        checks.passed() + checks.failed(), checks.passed(), checks.failed());
    return checks.failed();
  }

  /** The deliveries as dispatch-courier tells them, against what the couriers were made to do. */
  private static void checkDeliveries(
      Checks checks,
      List<Placement> accepted,
      TopicWatcher watcher,
      CourierSimulator couriers,
      Map<String, Http.Response> deliveries) {
    List<String> states = Checks.list();
    List<String> reassigned = Checks.list();
    List<String> locations = Checks.list();
    for (Placement p : accepted) {
      Kind kind = p.plan().kind();
      if (!kind.delivery() || watcher.trace(p.orderId()).finalEvent().isEmpty()) {
        continue;
      }
      Http.Response d = deliveries.get(p.orderId());
      if (d == null || !d.ok()) {
        states.add(
            p.orderId() + " (" + kind + "): GET /deliveries " + (d == null ? "-" : d.status()));
        continue;
      }
      String status = d.text("status");
      int attempts = d.json().path("attempts").asInt();
      String want =
          switch (kind) {
            case DELIVERED, REASSIGNED -> "DELIVERED";
            case NO_COURIER -> "REJECTED";
            default -> "FAILED";
          };
      if (!want.equals(status)) {
        states.add(p.orderId() + " (" + kind + "): " + status + ", expected " + want);
      }
      boolean attemptsRight =
          switch (kind) {
            case DELIVERED, DELIVERY_FAILED -> attempts == 1;
            case REASSIGNED, NEVER_PICKED_UP -> attempts >= 2;
            default -> true;
          };
      if (!attemptsRight) {
        reassigned.add(p.orderId() + " (" + kind + "): " + attempts + " attempt(s)");
      }
      couriers
          .lastPosition(p.orderId())
          .ifPresent(
              sent -> {
                JsonNode at = d.json().path("lastLocation");
                if (at.path("latitude").asDouble() != sent.latitude()
                    || at.path("longitude").asDouble() != sent.longitude()) {
                  locations.add(p.orderId() + ": kept " + at + ", last sent " + sent);
                }
              });
    }
    checks.none(
        "each delivery ended as its courier played it (GET /deliveries: delivered, failed, or"
            + " rejected without a courier)",
        states);
    checks.none(
        "a courier who never picked up was replaced (2+ attempts); a prompt one was not",
        reassigned);
    checks.none(
        "each delivery keeps the last position its courier reported (" + couriers.sent() + ")",
        locations);
    checks.none("the courier simulator sent every event it meant to", couriers.problems());
  }

  private static String unexpectedOutcome(Kind kind, OrderTrace.Final f) {
    String reason = f.reason() == null ? "" : f.reason();
    return switch (kind) {
      case VISA, SLOW -> f.confirmed() ? null : "cancelled: " + reason;
      case DECLINED, INSUFFICIENT_FUNDS ->
          !f.confirmed() && reason.equals("payment-declined") ? null : outcome(f);
      case NO_ANSWER -> !f.confirmed() && reason.contains("timed out") ? null : outcome(f);
      case SCARCE -> f.confirmed() || reason.equals("out-of-stock") ? null : outcome(f);
      case DELIVERED, REASSIGNED -> f.confirmed() ? null : outcome(f);
      case DELIVERY_FAILED, NEVER_PICKED_UP ->
          !f.confirmed() && reason.equals("delivery-failed") ? null : outcome(f);
      case NO_COURIER -> !f.confirmed() && reason.equals("no-courier") ? null : outcome(f);
    };
  }

  /** The compensations the saga table calls for, by why the order failed. */
  private static String missingCompensation(Kind kind, OrderTrace.Final f, OrderTrace tr) {
    int releases = tr.distinct(EventTypes.STOCK_RELEASE);
    int refunds = tr.distinct(EventTypes.PAYMENT_REFUND);
    return switch (kind) {
      // The authorize step failed: the hold is released; nothing was authorized to refund.
      case DECLINED, INSUFFICIENT_FUNDS ->
          releases >= 1 ? null : releases + " stock.release, " + refunds + " payment.refund";
      // The authorize step timed out: it may have acted, so both are undone. No courier: the
      // authorization is voided (a refund before capture) and the hold released.
      case NO_ANSWER, NO_COURIER ->
          releases >= 1 && refunds >= 1
              ? null
              : releases + " stock.release, " + refunds + " payment.refund";
      // The delivery failed after the capture: the delivery cancelled, the capture refunded, the
      // sold copies restocked (reserve-stock's release).
      case DELIVERY_FAILED, NEVER_PICKED_UP -> {
        int cancels = tr.distinct(EventTypes.DELIVERY_CANCEL);
        yield releases >= 1 && refunds >= 1 && cancels >= 1
            ? null
            : cancels
                + " delivery.cancel, "
                + refunds
                + " payment.refund, "
                + releases
                + " stock.release";
      }
      // Refused at the first step: nothing to undo.
      default -> null;
    };
  }

  private static String outcome(OrderTrace.Final f) {
    return f.confirmed() ? "confirmed" : "cancelled: " + f.reason();
  }

  private static String paymentStatus(CompletableFuture<Http.Response> f) {
    try {
      Http.Response r = f.join();
      return r.ok() ? r.text("status") : "HTTP " + r.status();
    } catch (RuntimeException e) {
      return "unreachable";
    }
  }

  private List<String> disagreements(
      Cli.Session s, List<Placement> accepted, TopicWatcher watcher, Map<String, String> tokenOf) {
    List<String> out = Checks.list();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    for (Placement p : accepted) {
      Optional<OrderTrace.Final> f = watcher.trace(p.orderId()).finalEvent();
      if (f.isEmpty()) {
        continue;
      }
      String want = f.get().confirmed() ? "CONFIRMED" : "CANCELLED";
      String got;
      while (true) {
        Http.Response r = s.store().order(p.orderId(), tokenOf.get(p.orderId()));
        got = r.ok() ? r.text("status") : "HTTP " + r.status();
        if (want.equals(got) || System.nanoTime() > deadline) {
          break;
        }
        ConsumerGroups.pause(Duration.ofMillis(200));
      }
      if (!want.equals(got)) {
        out.add(p.orderId() + ": " + got + ", topic says " + want);
      }
    }
    return out;
  }

  /** One confirmed order, for the script to show its history and to reuse its customer. */
  private void handoff(
      List<Placement> accepted, TopicWatcher watcher, List<Customer> customers, OrderPlan plan) {
    if (options.handoff().isEmpty()) {
      return;
    }
    Optional<Placement> confirmed =
        accepted.stream()
            .filter(p -> p.plan().kind() == Kind.VISA)
            .filter(
                p ->
                    watcher
                        .trace(p.orderId())
                        .finalEvent()
                        .map(OrderTrace.Final::confirmed)
                        .orElse(false))
            .findFirst();
    if (confirmed.isEmpty()) {
      return;
    }
    Placement p = confirmed.get();
    Customer c = customers.get(p.plan().user());
    String isbn =
        plan.orders().stream()
            .filter(o -> o.kind() == Kind.VISA)
            .flatMap(o -> o.lines().stream())
            .map(Bookstore.Line::isbn)
            .findFirst()
            .orElseThrow();
    String text =
        "ORDER_ID="
            + p.orderId()
            + "\nTOKEN="
            + c.token()
            + "\nEMAIL="
            + c.email()
            + "\nCUSTOMER_ID="
            + (c.userId() == null ? "" : c.userId())
            + "\nISBN="
            + isbn
            + "\n";
    try {
      Files.writeString(options.handoff().get(), text);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + options.handoff().get() + ": " + e, e);
    }
  }

  /** The figures of a run, computed once and printed as the summary. */
  static final class Report {
    final List<Placement> placements;
    final TopicWatcher watcher;
    final long redelivered;
    final long duplicates;
    final long deadLettered;
    final List<String> statsMissing = new ArrayList<>();
    final Map<String, Long> duplicatesBy = new TreeMap<>();
    final Optional<Map<String, Integer>> mails;
    final long notifications;
    final long placingStart;
    final long placingEnd;

    Report(
        List<Placement> placements,
        TopicWatcher watcher,
        long placingStart,
        long placingEnd,
        Map<String, KitStats> before,
        Map<String, KitStats> after,
        long redelivered,
        Optional<Map<String, Integer>> mails) {
      this.placements = placements;
      this.watcher = watcher;
      this.placingStart = placingStart;
      this.placingEnd = placingEnd;
      this.redelivered = redelivered;
      this.mails = mails;
      long dup = 0;
      long dead = 0;
      for (String f : FUNCTIONS) {
        KitStats a = after.get(f);
        if (a == null) {
          statsMissing.add(f);
          continue;
        }
        KitStats d = a.minus(before.get(f));
        dup += d.duplicates();
        dead += d.deadLettered();
        if (d.duplicates() > 0) {
          duplicatesBy.put(f, d.duplicates());
        }
      }
      this.duplicates = dup;
      this.deadLettered = dead;
      long n = 0;
      for (Placement p : placements) {
        if (p.accepted()) {
          n += watcher.trace(p.orderId()).distinct(EventTypes.NOTIFICATION_SENT);
        }
      }
      this.notifications = n;
    }

    long mailTotal() {
      return mails.map(m -> m.values().stream().mapToLong(Integer::longValue).sum()).orElse(0L);
    }

    void print(PrintStream out) {
      List<Placement> accepted = placements.stream().filter(Placement::accepted).toList();
      int confirmed = 0;
      int pending = 0;
      Map<String, Integer> cancelled = new TreeMap<>();
      Latencies overall = new Latencies();
      Latencies ofConfirmed = new Latencies();
      Latencies accept = new Latencies();
      long releases = 0;
      long refunds = 0;
      long lastFinal = 0;
      for (Placement p : accepted) {
        accept.add(p.answeredAt() - p.sentAt());
        OrderTrace tr = watcher.trace(p.orderId());
        releases += tr.distinct(EventTypes.STOCK_RELEASE);
        refunds += tr.distinct(EventTypes.PAYMENT_REFUND);
        Optional<OrderTrace.Final> f = tr.finalEvent();
        if (f.isEmpty()) {
          pending++;
          continue;
        }
        long latency = f.get().timestamp() - p.sentAt();
        boolean delivery = p.plan().kind().delivery();
        if (!delivery) { // a delivery's time is mostly its courier's (see deliveries below)
          overall.add(latency);
        }
        lastFinal = Math.max(lastFinal, f.get().timestamp());
        if (f.get().confirmed()) {
          confirmed++;
          if (!delivery) {
            ofConfirmed.add(latency);
          }
        } else {
          cancelled.merge(f.get().reason(), 1, Integer::sum);
        }
      }
      int totalCancelled = cancelled.values().stream().mapToInt(Integer::intValue).sum();
      // Placed: accepted orders over the time from the first POST to the last 202. Completed: final
      // events over the time from the first POST to the last final event.
      long lastAnswer =
          accepted.stream().mapToLong(Placement::answeredAt).max().orElse(placingStart);
      double placingSeconds = Math.max(1, lastAnswer - placingStart) / 1000.0;
      double completingSeconds = Math.max(1, lastFinal - placingStart) / 1000.0;
      out.println();
      out.println("== summary");
      out.printf(
          "orders placed            %d (%d refused by place-order)%n",
          accepted.size(), placements.size() - accepted.size());
      out.printf("confirmed                %d%n", confirmed);
      out.printf(
          "cancelled                %d%s%n",
          totalCancelled,
          cancelled.isEmpty()
              ? ""
              : "  "
                  + cancelled.entrySet().stream()
                      .map(e -> e.getKey() + ": " + e.getValue())
                      .collect(Collectors.joining(", ")));
      out.printf("still pending            %d%n", pending);
      out.printf(
          "compensations run        %d (stock.release %d, payment.refund %d)%n",
          releases + refunds, releases, refunds);
      out.printf(
          "duplicates suppressed    %d (redelivered copies to suppress: %d)%s%n",
          duplicates, redelivered, duplicatesBy.isEmpty() ? "" : "  " + duplicatesBy);
      out.printf("dead letters             %d%n", deadLettered);
      out.printf(
          "notifications sent       %d notification.sent; mails on the SMTP server: %s%n",
          notifications, mails.isPresent() ? Long.toString(mailTotal()) : "n/a");
      out.printf("latency placed->final    %s (collected at the shop)%n", overall.summary("ms"));
      out.printf("  confirmed only         %s%n", ofConfirmed.summary("ms"));
      out.printf("  POST /orders -> 202    %s%n", accept.summary("ms"));
      out.printf(
          Locale.ROOT,
          "orders per second        placed %.1f/s (%d accepted in %.1f s), completed %.1f/s (%d final"
              + " events in %.1f s)%n",
          accepted.size() / placingSeconds,
          accepted.size(),
          placingSeconds,
          (confirmed + totalCancelled) / completingSeconds,
          confirmed + totalCancelled,
          completingSeconds);
      out.println("where the time goes, hop by hop:");
      Map<String, Long> sent = new HashMap<>();
      accepted.forEach(p -> sent.put(p.orderId(), p.sentAt()));
      Hops.print(
          out,
          accepted.stream()
              .filter(p -> !p.plan().kind().delivery())
              .map(p -> watcher.trace(p.orderId()))
              .toList(),
          id -> sent.get(id));
    }
  }

  /** Where the machine's CPU went while the orders ran, by process, and per order. */
  static void printCpu(PrintStream out, Map<String, Long> cpu, long windowMs, int orders) {
    if (cpu.isEmpty()) {
      return;
    }
    long total = cpu.values().stream().mapToLong(Long::longValue).sum();
    int cores = Runtime.getRuntime().availableProcessors();
    out.printf(
        Locale.ROOT,
        "CPU while the orders ran: %.1f s of %.1f s available (%d cores x %.1f s); per order:%n  %s%n",
        total / 1000.0,
        cores * windowMs / 1000.0,
        cores,
        windowMs / 1000.0,
        cpu.entrySet().stream()
            .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
            .map(
                e ->
                    String.format(
                        Locale.ROOT,
                        "%s %.1f ms",
                        e.getKey(),
                        (double) e.getValue() / Math.max(1, orders)))
            .collect(Collectors.joining(", ")));
  }

  private static String mix(OrderPlan plan) {
    Map<Kind, Long> byKind =
        plan.orders().stream()
            .collect(Collectors.groupingBy(Planned::kind, TreeMap::new, Collectors.counting()));
    return byKind.entrySet().stream()
        .map(e -> e.getKey().name().toLowerCase(Locale.ROOT) + " " + e.getValue())
        .collect(Collectors.joining(", "));
  }

  static String shortType(String type) {
    if (type == null) {
      return "?";
    }
    String t =
        type.startsWith(EventTypes.PREFIX) ? type.substring(EventTypes.PREFIX.length()) : type;
    return t.endsWith(".v1") ? t.substring(0, t.length() - 3) : t;
  }

  private static long ms(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : String.format(Locale.ROOT, "%.1f", d);
  }

  static Collection<String> functions() {
    return FUNCTIONS;
  }
}
