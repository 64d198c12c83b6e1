package com.bookstore.e2e;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The faults of a chaos run and when they happened: what was done (a function SIGKILLed, a server
 * stopped, a replica started or stopped), when it began, when the system was back (the process or
 * server answering again), and when orders flowed again after it. Also the local stack's servers
 * stopped and started through {@code infra/local/stack.sh} (by PID, never by name). Thread-safe for
 * reading while the run adds faults.
 */
public final class Chaos {
  private static final DateTimeFormatter CLOCK =
      DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

  /** What kind of fault: decides whether it may explain a step's time-out. */
  public enum Kind {
    /** SIGKILL of a function's process, then a restart. */
    FUNCTION_KILL,
    /** A replica started or stopped: the consumer group rebalances. */
    REBALANCE,
    /** SIGKILL of the Kafka broker, then started again. */
    KAFKA,
    /** PostgreSQL stopped (immediate shutdown) and started again. */
    POSTGRES,
    /** Redis stopped and started again (no persistence: the ledger and sessions are lost). */
    REDIS
  }

  /**
   * One fault.
   *
   * @param at when it was injected (epoch ms)
   * @param back when the target answered again (epoch ms), 0 while it does not
   * @param flowing when orders placed after {@code back} were final again (epoch ms), 0 if never
   * @param detail what was in flight when it was injected, PIDs, and anything worth saying
   */
  public record Fault(
      int number, Kind kind, String target, long at, long back, long flowing, String detail) {

    /** How long the target was away. */
    public Duration outage() {
      return back == 0 ? Duration.ZERO : Duration.ofMillis(back - at);
    }
  }

  private final List<Fault> faults = new ArrayList<>();
  private final Stack stack;
  private final Path log;

  public Chaos(Stack stack) {
    this.stack = stack;
    this.log = stack.stackDir().resolve("chaos-stack.log");
  }

  /** Records a fault injected now; returns its number, for {@link #back} and {@link #flowing}. */
  public synchronized int injected(Kind kind, String target, String detail) {
    int n = faults.size() + 1;
    faults.add(new Fault(n, kind, target, System.currentTimeMillis(), 0, 0, detail));
    System.out.printf(
        "%s fault #%d %s %s: %s%n", clock(System.currentTimeMillis()), n, kind, target, detail);
    return n;
  }

  public synchronized void back(int number) {
    Fault f = faults.get(number - 1);
    faults.set(
        number - 1,
        new Fault(
            f.number(), f.kind(), f.target(), f.at(), System.currentTimeMillis(), 0, f.detail()));
  }

  public synchronized void flowing(int number, long at) {
    Fault f = faults.get(number - 1);
    System.out.printf(
        "%s fault #%d: back after %.1f s, orders flowing after %.1f s%n",
        clock(at), number, (f.back() - f.at()) / 1000.0, (at - f.at()) / 1000.0);
    faults.set(
        number - 1, new Fault(f.number(), f.kind(), f.target(), f.at(), f.back(), at, f.detail()));
  }

  public synchronized void note(int number, String more) {
    Fault f = faults.get(number - 1);
    faults.set(
        number - 1,
        new Fault(
            f.number(),
            f.kind(),
            f.target(),
            f.at(),
            f.back(),
            f.flowing(),
            f.detail().isEmpty() ? more : f.detail() + "; " + more));
  }

  public synchronized List<Fault> faults() {
    return List.copyOf(faults);
  }

  /**
   * The fault active at {@code epochMillis} (injected, not yet back), else the most recent one
   * injected before it.
   */
  public synchronized Optional<Fault> at(long epochMillis) {
    Fault latest = null;
    for (Fault f : faults) {
      if (f.at() > epochMillis) {
        continue;
      }
      if (f.back() == 0 || f.back() >= epochMillis) {
        return Optional.of(f);
      }
      latest = f;
    }
    return Optional.ofNullable(latest);
  }

  /**
   * Runs {@code infra/local/stack.sh ARGS...} (its output appended to {@code <stack
   * dir>/chaos-stack.log}) and fails naming the end of that log if it exits non-zero.
   */
  public void stack(String... args) {
    List<String> command = new ArrayList<>();
    command.add("bash");
    command.add(stack.repoRoot().resolve("infra/local/stack.sh").toString());
    command.addAll(List.of(args));
    try {
      Files.writeString(
          log,
          "=== " + Instant.now() + " " + String.join(" ", command) + "\n",
          StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
      Process p =
          new ProcessBuilder(command)
              .directory(stack.repoRoot().toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      if (!p.waitFor(180, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("stack.sh " + String.join(" ", args) + ": no end in 180 s");
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            "stack.sh "
                + String.join(" ", args)
                + " exited with "
                + p.exitValue()
                + "; end of "
                + log
                + ":\n"
                + Apps.tail(log, 20));
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run stack.sh: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  public Path stackLog() {
    return log;
  }

  /** The faults as a table, times relative to {@code startedAt} and as clock times. */
  public void print(PrintStream out, long startedAt) {
    out.println();
    out.println("-- faults injected");
    out.printf(
        "%-3s %-14s %-22s %-12s %8s %8s %9s  %s%n",
        "#", "kind", "target", "at", "t+ (s)", "away (s)", "flow (s)", "detail");
    for (Fault f : faults()) {
      out.printf(
          "%-3d %-14s %-22s %-12s %8.1f %8s %9s  %s%n",
          f.number(),
          f.kind(),
          f.target(),
          CLOCK.format(Instant.ofEpochMilli(f.at())),
          (f.at() - startedAt) / 1000.0,
          f.back() == 0 ? "-" : String.format("%.1f", (f.back() - f.at()) / 1000.0),
          f.flowing() == 0 ? "-" : String.format("%.1f", (f.flowing() - f.at()) / 1000.0),
          f.detail());
    }
  }

  public static String clock(long epochMillis) {
    return CLOCK.format(Instant.ofEpochMilli(epochMillis));
  }

  /** How much of [from, to] the intervals cover (overlaps counted once). */
  public static long covered(List<long[]> intervals, long from, long to) {
    List<long[]> clipped =
        intervals.stream()
            .map(i -> new long[] {Math.max(i[0], from), Math.min(i[1], to)})
            .filter(i -> i[1] > i[0])
            .sorted(Comparator.comparingLong(i -> i[0]))
            .toList();
    long total = 0;
    long end = from;
    for (long[] i : clipped) {
      long start = Math.max(i[0], end);
      if (i[1] > start) {
        total += i[1] - start;
        end = i[1];
      }
    }
    return total;
  }
}
