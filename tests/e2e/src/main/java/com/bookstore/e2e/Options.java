package com.bookstore.e2e;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The workload's command line. Every option has a default, so {@code Workload} alone runs the main
 * job's mix against apps already running on their usual ports.
 */
public record Options(
    int orders,
    double rate,
    int users,
    String environment,
    boolean startApps,
    int portOffset,
    int warmUp,
    Duration finalTimeout,
    double redeliver,
    Optional<Path> seed,
    Optional<String> adminToken,
    long randomSeed,
    Optional<Path> handoff,
    boolean bench,
    List<Double> benchRates,
    Duration benchStep,
    Duration benchHalf) {

  static final String USAGE =
      """
      Workload [options]            the main job's mix of orders, a summary and OK/FAIL checks
      Workload --bench [options]    the highest sustained order rate, then latency at half of it

        --orders N            orders to place (300)
        --rate R              orders per second offered (6: below the 8-9/s this 2-core machine
                              sustains with all nine functions on it, see the benchmark)
        --users N             customers to register and log in (20)
        --environment E       environment of the running apps: consumer groups <function>-E (demo)
        --start-apps          start the nine packaged functions first (and stop them at the end)
        --port-offset N       the apps' ports moved by N (8081+N.., gRPC 9084+N) (0)
        --warm-up N           orders placed first and not counted, so the measured ones meet warm
                              JVMs (100, at half the rate, at most 10/s; 0 for none)
        --final-timeout S     seconds to wait for the last orders' final events (60)
        --redeliver F         fraction of the run's records produced again, as duplicates (0.05)
        --seed FILE           catalog seed (functions/catalog/src/main/resources/seed/books.json)
        --admin-token T       catalog admin token (CATALOG_ADMIN_TOKEN)
        --random-seed N       makes the order mix repeatable (default: the clock)
        --handoff FILE        write ORDER_ID, TOKEN, ISBN, EMAIL of one confirmed order there
        --bench-rates A,B,..  offered rates to step through, the first also warms up
                              (10,25,50,100,200,300,500,750,1000,1500)
        --bench-step S        seconds per step (15)
        --bench-half S        seconds of the run at half the highest sustained rate (20)
      """;

  public static Options parse(String... args) {
    int orders = 300;
    double rate = 6;
    int users = 20;
    String environment = "demo";
    boolean startApps = false;
    int portOffset = 0;
    int warmUp = 100;
    Duration finalTimeout = Duration.ofSeconds(60);
    double redeliver = 0.05;
    Path seed = null;
    String adminToken = System.getenv("CATALOG_ADMIN_TOKEN");
    long randomSeed = System.currentTimeMillis();
    Path handoff = null;
    boolean bench = false;
    List<Double> benchRates = List.of(10d, 25d, 50d, 100d, 200d, 300d, 500d, 750d, 1000d, 1500d);
    Duration benchStep = Duration.ofSeconds(15);
    Duration benchHalf = Duration.ofSeconds(20);
    List<String> a = new ArrayList<>(Arrays.asList(args));
    while (!a.isEmpty()) {
      String opt = a.remove(0);
      switch (opt) {
        case "--orders" -> orders = positiveInt(opt, value(opt, a));
        case "--rate" -> rate = positive(opt, value(opt, a));
        case "--users" -> users = positiveInt(opt, value(opt, a));
        case "--environment" -> environment = value(opt, a);
        case "--start-apps" -> startApps = true;
        case "--port-offset" -> portOffset = Integer.parseInt(value(opt, a));
        case "--warm-up" -> warmUp = Integer.parseInt(value(opt, a));
        case "--final-timeout" -> finalTimeout = seconds(opt, value(opt, a));
        case "--redeliver" -> {
          redeliver = Double.parseDouble(value(opt, a));
          if (redeliver < 0 || redeliver > 1) {
            throw new IllegalArgumentException("--redeliver must be from 0 to 1");
          }
        }
        case "--seed" -> seed = Path.of(value(opt, a));
        case "--admin-token" -> adminToken = value(opt, a);
        case "--random-seed" -> randomSeed = Long.parseLong(value(opt, a));
        case "--handoff" -> handoff = Path.of(value(opt, a));
        case "--bench" -> bench = true;
        case "--bench-rates" -> {
          List<Double> r = new ArrayList<>();
          for (String s : value(opt, a).split(",")) {
            r.add(positive(opt, s.trim()));
          }
          benchRates = List.copyOf(r);
        }
        case "--bench-step" -> benchStep = seconds(opt, value(opt, a));
        case "--bench-half" -> benchHalf = seconds(opt, value(opt, a));
        case "-h", "--help" -> throw new UsageRequested();
        default -> throw new IllegalArgumentException("unknown option " + opt + "\n" + USAGE);
      }
    }
    return new Options(
        orders,
        rate,
        users,
        environment,
        startApps,
        portOffset,
        warmUp,
        finalTimeout,
        redeliver,
        Optional.ofNullable(seed),
        Optional.ofNullable(adminToken).filter(t -> !t.isBlank()),
        randomSeed,
        Optional.ofNullable(handoff),
        bench,
        benchRates,
        benchStep,
        benchHalf);
  }

  /** Thrown for {@code --help}: print {@link #USAGE} and exit 0. */
  static final class UsageRequested extends RuntimeException {
    UsageRequested() {
      super(USAGE, null, false, false);
    }
  }

  private static String value(String opt, List<String> rest) {
    if (rest.isEmpty()) {
      throw new IllegalArgumentException(opt + " needs a value\n" + USAGE);
    }
    return rest.remove(0);
  }

  private static double positive(String opt, String v) {
    double d;
    try {
      d = Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(opt + ": not a number: " + v);
    }
    if (!(d > 0)) {
      throw new IllegalArgumentException(opt + " must be positive: " + v);
    }
    return d;
  }

  private static int positiveInt(String opt, String v) {
    try {
      int i = Integer.parseInt(v);
      if (i < 1) {
        throw new IllegalArgumentException(opt + " must be at least 1: " + v);
      }
      return i;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(opt + ": not a whole number: " + v);
    }
  }

  private static Duration seconds(String opt, String v) {
    return Duration.ofMillis(Math.round(positive(opt, v) * 1000));
  }
}
