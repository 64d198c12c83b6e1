package com.bookstore.e2e;

import com.bookstore.e2e.Shop.KitStats;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * The order saga's capacity on this machine: steps the offered order rate up (each step a fixed
 * time, open loop) until a step is not sustained, then runs at half the highest sustained rate and
 * reports placed-to-confirmed latency; beside it, Kafka's own one-hop latency measured in the same
 * run ({@link KafkaFloor}), times ten as the floor of a ten-hop saga. Happy-path orders only
 * (tok_visa, books with plenty of copies), so every order must end confirmed.
 *
 * <p>A step is sustained when: the client offered the whole rate (no order refused or dropped);
 * place-order accepted at least 95% of the offered rate; at least 90% of the offered rate was
 * confirmed within the step; at the step's end fewer than one second's worth of orders were still
 * in flight; the median latency of the step's last third is at most twice (+25 ms) that of its
 * first third (a backlog that grows shows here first); and every order was confirmed within 30 s of
 * the step's end.
 */
final class Benchmark {
  private static final int BENCH_STOCK = 1_000_000;
  private static final int MAX_IN_FLIGHT = 5_000;
  private static final Duration DRAIN = Duration.ofSeconds(30);
  private static final double TARGET_RATE = 500;
  private static final double TARGET_P99_MS = 100;
  private static final int HOPS = 10;

  private final Options options;
  private final Stack stack;
  private final PrintStream out = System.out;

  Benchmark(Options options, Stack stack) {
    this.options = options;
    this.stack = stack;
  }

  /** What one step measured. */
  record Step(
      double offered,
      Duration length,
      int accepted,
      int refused,
      int dropped,
      int completedInStep,
      int cancelled,
      int backlogAtEnd,
      boolean drained,
      Latencies latency,
      double p50FirstThird,
      double p50LastThird,
      Map<String, Long> lagsAtEnd,
      Map<String, Long> processed,
      long clientLateMs,
      Map<String, Long> sentAt,
      List<OrderTrace> traces,
      Map<String, Long> cpu,
      long cpuWindowMs,
      Map<String, String> readShare) {

    /** Where the time went, hop by hop, for this step's confirmed orders. */
    void printHops(PrintStream out) {
      Hops.print(out, traces, sentAt::get);
      Workload.printCpu(out, cpu, cpuWindowMs, accepted);
    }

    double seconds() {
      return length.toMillis() / 1000.0;
    }

    double placedRate() {
      return accepted / seconds();
    }

    double completedRate() {
      return completedInStep / seconds();
    }

    /** Null when sustained; else the first reason it was not. */
    String notSustained() {
      if (refused > 0 || dropped > 0) {
        return refused + " orders refused, " + dropped + " not offered (client at its limit)";
      }
      if (cancelled > 0) {
        return cancelled + " orders cancelled (happy-path orders must all be confirmed)";
      }
      if (placedRate() < 0.95 * offered) {
        return String.format(
            Locale.ROOT, "accepted %.0f/s of %.0f/s offered", placedRate(), offered);
      }
      if (completedRate() < 0.90 * offered) {
        return String.format(
            Locale.ROOT,
            "confirmed %.0f/s within the step of %.0f/s offered",
            completedRate(),
            offered);
      }
      if (backlogAtEnd > Math.max(20, offered)) {
        return backlogAtEnd + " orders in flight at the step's end (more than 1 s worth)";
      }
      if (p50LastThird > 2 * p50FirstThird + 25) {
        return String.format(
            Locale.ROOT,
            "latency grew within the step: p50 %.0f ms in the first third, %.0f ms in the last",
            p50FirstThird,
            p50LastThird);
      }
      if (!drained) {
        return "not every order confirmed within " + DRAIN.toSeconds() + " s after the step";
      }
      return null;
    }
  }

  int run() {
    try (Cli.Session s = Cli.Session.open(options, stack, out);
        TopicWatcher watcher = TopicWatcher.start(stack.kafkaBootstrap())) {
      return run(s, watcher);
    }
  }

  private int run(Cli.Session s, TopicWatcher watcher) {
    String runId = Long.toString(System.currentTimeMillis(), 36);
    Random random = new Random(options.randomSeed());
    out.printf(
        "== benchmark %s: rates %s, %d s per step, environment %s%n",
        runId,
        options.benchRates().stream().map(Workload::fmt).collect(Collectors.joining(",")),
        options.benchStep().toSeconds(),
        options.environment());
    List<Shop.Customer> customers = s.shop().customers(options.users(), runId);
    SeedBooks seed = SeedBooks.read(options.seed().orElse(SeedBooks.defaultPath(stack.repoRoot())));
    s.shop().loadCatalog(seed, s.adminToken());
    // The nearly sold-out books stay out of it (the workload needs them scarce); the rest get
    // plenty.
    List<SeedBooks.Book> byStock = seed.byStock();
    List<String> books =
        byStock.subList(Math.min(byStock.size(), 10), byStock.size()).stream()
            .map(SeedBooks.Book::isbn)
            .toList();
    Map<String, Integer> target = new HashMap<>();
    books.forEach(i -> target.put(i, BENCH_STOCK));
    s.shop().topUp(target);
    out.printf(
        "setup: %d customers, %d books with %d copies each%n",
        customers.size(), books.size(), BENCH_STOCK);

    Latencies floor = KafkaFloor.measure(stack.kafkaBootstrap(), s.groups(), 3000, 500, 6);
    out.printf(
        Locale.ROOT,
        "kafka one hop (produce->consume, acks=all, scratch topic): %s, avg %.2f ms%n",
        floor.summary("ms"),
        floor.mean());

    // Warm-up, not counted: the apps' JIT compilers and connection pools.
    step(s, watcher, customers, books, random, options.benchRates().get(0), Duration.ofSeconds(20));
    quiesce(s);
    out.println();
    out.printf(
        "%8s %9s %12s %8s %9s %9s %9s  %s%n",
        "offered",
        "placed/s",
        "confirmed/s",
        "backlog",
        "p50 ms",
        "p99 ms",
        "max ms",
        "sustained?");
    double best = 0;
    Step failed = null;
    double failedRate = 0;
    for (double rate : options.benchRates()) {
      Step st = step(s, watcher, customers, books, random, rate, options.benchStep());
      String why = printStep(st);
      if (why != null) {
        failed = st;
        failedRate = rate;
        break;
      }
      best = rate;
      quiesce(s);
    }
    // Between the last sustained rate and the first that was not, the coarse steps leave a wide
    // gap: two halvings narrow it to a quarter.
    for (int i = 0; i < 2 && best > 0 && failed != null && failedRate - best >= 4; i++) {
      quiesce(s);
      double rate = Math.round((best + failedRate) / 2);
      Step st = step(s, watcher, customers, books, random, rate, options.benchStep());
      if (printStep(st) == null) {
        best = rate;
      } else {
        failed = st;
        failedRate = rate;
      }
    }
    if (failed != null) {
      out.printf(
          "the lowest rate not sustained, %s/s: events processed in the step, by function:%n  %s%n",
          Workload.fmt(failed.offered()), failed.processed());
      out.println("where the time went in that step, hop by hop:");
      failed.printHops(out);
    }

    // The run at half starts on an idle system, not on the backlog of the step that failed.
    quiesce(s);
    double half = best > 0 ? best / 2 : options.benchRates().get(0) / 2;
    Step h = step(s, watcher, customers, books, random, half, options.benchHalf());
    // Leave nothing in flight: stopped mid-saga, orders would be the next run's sweep.
    quiesce(s);
    out.println();
    out.println("at half the highest sustained rate, where the time goes, hop by hop:");
    h.printHops(out);
    out.println(
        "records each consumer group read that are of types it takes (target: at least 90%):");
    h.readShare().forEach((f, share) -> out.printf(Locale.ROOT, "  %-14s %s%n", f, share));
    out.println();
    out.println("== benchmark results");
    out.printf(
        Locale.ROOT,
        "highest sustained order rate      %s orders/s   (target: %.0f orders/s sustained)%n",
        best > 0 ? Workload.fmt(best) : "none of the steps",
        TARGET_RATE);
    out.printf(
        Locale.ROOT,
        "at half of it (%s/s for %d s)      placed->confirmed %s%n",
        Workload.fmt(half),
        options.benchHalf().toSeconds(),
        h.latency().summary("ms"));
    out.printf(
        Locale.ROOT,
        "                                  p99 %s ms   (target: p99 under %.0f ms at half of %.0f/s)%s%n",
        Latencies.fmt(h.latency().percentile(99)),
        TARGET_P99_MS,
        TARGET_RATE,
        h.notSustained() == null ? "" : "; not sustained: " + h.notSustained());
    out.printf(
        Locale.ROOT,
        "kafka produce->consume, one hop  p50 %.2f ms  p99 %.2f ms  avg %.2f ms%n",
        floor.percentile(50),
        floor.percentile(99),
        floor.mean());
    out.printf(
        Locale.ROOT,
        "floor for a %d-hop saga          %.1f ms (%d x p50), %.1f ms (%d x avg); measured saga p50 %s ms,"
            + " %.1fx the floor%n",
        HOPS,
        HOPS * floor.percentile(50),
        HOPS,
        HOPS * floor.mean(),
        HOPS,
        Latencies.fmt(h.latency().percentile(50)),
        h.latency().percentile(50) / (HOPS * floor.percentile(50)));
    return 0;
  }

  /** One line of the steps table, and the consumer lag at the step's end; null when sustained. */
  private String printStep(Step st) {
    String why = st.notSustained();
    out.printf(
        Locale.ROOT,
        "%8.0f %9.1f %12.1f %8d %9s %9s %9s  %s%n",
        st.offered(),
        st.placedRate(),
        st.completedRate(),
        st.backlogAtEnd(),
        Latencies.fmt(st.latency().percentile(50)),
        Latencies.fmt(st.latency().percentile(99)),
        Latencies.fmt(st.latency().max()),
        why == null ? "yes" : "no: " + why);
    out.println("         consumer lag at the step's end: " + st.lagsAtEnd());
    return why;
  }

  /**
   * Waits (up to two minutes) until every function's consumer group has caught up with the topic,
   * so a step measures its own load, not the previous one's backlog. The kit commits offsets
   * throttled, so "caught up" allows a few records per group.
   */
  private void quiesce(Cli.Session s) {
    long start = System.nanoTime();
    long deadline = start + Duration.ofMinutes(2).toNanos();
    Map<String, Long> lags = s.lags();
    while (lags.values().stream().anyMatch(l -> l > 20)) {
      if (System.nanoTime() > deadline) {
        out.println("         (not idle after 2 minutes; consumer lag " + lags + ")");
        return;
      }
      ConsumerGroups.pause(Duration.ofSeconds(1));
      lags = s.lags();
    }
    long waited = (System.nanoTime() - start) / 1_000_000_000;
    if (waited > 2) {
      out.println("         (waited " + waited + " s for every consumer group to catch up)");
    }
  }

  private Step step(
      Cli.Session s,
      TopicWatcher watcher,
      List<Shop.Customer> customers,
      List<String> books,
      Random random,
      double rate,
      Duration length) {
    record Sent(long sentAt, String orderId, int status) {}
    List<Sent> sent = Collections.synchronizedList(new ArrayList<>());
    Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    AtomicInteger dropped = new AtomicInteger();
    List<CompletableFuture<?>> answers = new ArrayList<>();
    Map<String, KitStats> statsBefore = s.shop().kitStats(Workload.functions());
    Map<String, Long> cpuBefore = CpuUsage.snapshot(s.apps());
    Pacer pacer = new Pacer(rate);
    long start = System.currentTimeMillis();
    pacer.run(
        -1,
        length,
        i -> {
          if (!inFlight.tryAcquire()) {
            dropped.incrementAndGet();
            return true;
          }
          Shop.Customer c = customers.get(i % customers.size());
          long sentAt = System.currentTimeMillis();
          answers.add(
              s.store()
                  .placeOrder(c.token(), OrderPlan.lines(books, random), "tok_visa")
                  .handle(
                      (r, e) -> {
                        inFlight.release();
                        String id = e == null && r.status() == 202 ? r.text("orderId") : null;
                        sent.add(new Sent(sentAt, id, e == null ? r.status() : 0));
                        return null;
                      }));
          return true;
        });
    long end = System.currentTimeMillis();
    // The step's end: what is still in flight (unanswered POSTs and orders not yet final).
    List<Sent> answered;
    synchronized (sent) {
      answered = List.copyOf(sent);
    }
    List<String> soFar = answered.stream().map(Sent::orderId).filter(x -> x != null).toList();
    int backlog = MAX_IN_FLIGHT - inFlight.availablePermits() + watcher.pending(soFar);
    Map<String, Long> lags = s.lags();
    try {
      CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      // reported below as orders never accepted
    }
    List<Sent> all;
    synchronized (sent) {
      all = List.copyOf(sent);
    }
    List<Sent> accepted = all.stream().filter(x -> x.orderId() != null).toList();
    List<String> ids = accepted.stream().map(Sent::orderId).toList();
    boolean drained = watcher.awaitFinal(ids, DRAIN);
    Map<String, KitStats> statsAfter = s.shop().kitStats(Workload.functions());
    Map<String, Long> cpu = CpuUsage.used(cpuBefore, CpuUsage.snapshot(s.apps()));
    long cpuWindow = System.currentTimeMillis() - start;
    Map<String, Long> processed = new java.util.LinkedHashMap<>();
    statsAfter.forEach((f, a) -> processed.put(f, a.minus(statsBefore.get(f)).processed()));
    Map<String, String> readShare = new java.util.LinkedHashMap<>();
    statsAfter.forEach(
        (f, a) -> {
          KitStats d = a.minus(statsBefore.get(f));
          if (d.recordsRead() > 0) {
            readShare.put(
                f,
                String.format(
                    Locale.ROOT,
                    "%d/%d (%.0f%%)",
                    d.recordsTaken(),
                    d.recordsRead(),
                    100 * d.takenShare()));
          }
        });

    Latencies latency = new Latencies();
    Latencies first = new Latencies();
    Latencies last = new Latencies();
    int completedInStep = 0;
    int cancelled = 0;
    long third = Math.max(1, (end - start) / 3);
    for (Sent x : accepted) {
      Optional<OrderTrace.Final> f = watcher.trace(x.orderId()).finalEvent();
      if (f.isEmpty()) {
        continue;
      }
      if (!f.get().confirmed()) {
        cancelled++;
      }
      long ms = f.get().timestamp() - x.sentAt();
      latency.add(ms);
      if (f.get().timestamp() <= end) {
        completedInStep++;
      }
      if (x.sentAt() < start + third) {
        first.add(ms);
      } else if (x.sentAt() >= end - third) {
        last.add(ms);
      }
    }
    int refused = all.size() - accepted.size();
    return new Step(
        rate,
        Duration.ofMillis(end - start),
        accepted.size(),
        refused,
        dropped.get(),
        completedInStep,
        cancelled,
        backlog,
        drained,
        latency,
        first.percentile(50),
        last.percentile(50),
        lags,
        processed,
        pacer.lateness().toMillis(),
        accepted.stream().collect(Collectors.toMap(Sent::orderId, Sent::sentAt)),
        accepted.stream().map(x -> watcher.trace(x.orderId())).toList(),
        cpu,
        cpuWindow,
        readShare);
  }
}
