package com.bookstore.kit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The kit's meters, in Micrometer (served in Prometheus format on {@code /q/metrics}); every meter
 * has the tag {@code function}, the function's one name from the routing table.
 *
 * <ul>
 *   <li>{@code bookstore_events_total{function,type,outcome}}: events handled, by outcome: {@code
 *       processed} (the function ran and answered), {@code duplicate} (answered from the
 *       idempotency ledger without running), {@code refused} (the event's own fault: a 4xx over
 *       HTTP, a dead letter on Kafka), {@code failed} (a technical failure, retried).
 *   <li>{@code bookstore_event_handling_seconds{function,type}}: a histogram of the time from an
 *       event's validation to its answer (ledger, function, ledger again), for every outcome.
 *   <li>{@code bookstore_event_retries_total{function}}: retries of Kafka-direct records.
 *   <li>{@code bookstore_dead_letters_total{function,reason}}: records written to the dead-letter
 *       topic, by the problem kind that sent them there ({@code retries-spent} included).
 *   <li>{@code bookstore_records_read_total{function,taken}}: Kafka-direct records read, and
 *       whether they were of a type the function takes.
 *   <li>{@code bookstore_ledger_unguarded_total{function}}: events run without the ledger because
 *       Redis failed.
 * </ul>
 *
 * Meters are looked up once per tag set and kept, so counting costs a map read and an add.
 */
@ApplicationScoped
public class KitMetrics {
  public static final String EVENTS = "bookstore.events";
  public static final String HANDLING = "bookstore.event.handling";
  public static final String RETRIES = "bookstore.event.retries";
  public static final String DEAD_LETTERS = "bookstore.dead.letters";
  public static final String RECORDS_READ = "bookstore.records.read";
  public static final String UNGUARDED = "bookstore.ledger.unguarded";

  /** What became of an event. */
  public enum Outcome {
    PROCESSED,
    DUPLICATE,
    REFUSED,
    FAILED;

    final String tag = name().toLowerCase(java.util.Locale.ROOT);
  }

  private final MeterRegistry registry;
  private final String function;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();
  private final Counter retries;
  private final Counter unguarded;
  private final Counter taken;
  private final Counter notTaken;

  KitMetrics(MeterRegistry registry, KitConfig config) {
    this.registry = registry;
    this.function = config.functionName();
    this.retries = counter(RETRIES, "Retries of Kafka-direct records");
    this.unguarded =
        counter(UNGUARDED, "Events run without the idempotency ledger because Redis failed");
    this.taken =
        Counter.builder(RECORDS_READ)
            .description("Kafka-direct records read")
            .tags("function", function, "taken", "true")
            .register(registry);
    this.notTaken =
        Counter.builder(RECORDS_READ)
            .description("Kafka-direct records read")
            .tags("function", function, "taken", "false")
            .register(registry);
  }

  private Counter counter(String name, String description) {
    return Counter.builder(name)
        .description(description)
        .tags("function", function)
        .register(registry);
  }

  /**
   * Every meter of the function (the JVM's, HTTP's, Kafka clients' too) carries the {@code
   * function} tag, so that one label selects a function on every dashboard.
   */
  @jakarta.enterprise.inject.Produces
  @jakarta.inject.Singleton
  static io.micrometer.core.instrument.config.MeterFilter functionTag(KitConfig config) {
    return io.micrometer.core.instrument.config.MeterFilter.commonTags(
        io.micrometer.core.instrument.Tags.of("function", config.functionName()));
  }

  /** An event of {@code type} handled, with what became of it and how long it took. */
  public void handled(String type, Outcome outcome, long nanos) {
    count(type, outcome);
    timers
        .computeIfAbsent(
            type,
            k ->
                Timer.builder(HANDLING)
                    .description("Time from an event's validation to its answer")
                    .tags("function", function, "type", type)
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(1))
                    .maximumExpectedValue(Duration.ofSeconds(30))
                    .register(registry))
        .record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  /**
   * An event refused before it reached the ledger (not a CloudEvent, invalid, or not this
   * function's); a type outside the catalogue (or none) counts as {@code other}, so that a sender's
   * garbage cannot grow the metrics without bound.
   */
  public void refused(String type) {
    count(
        type != null && com.bookstore.events.EventCatalogue.find(type).isPresent() ? type : "other",
        Outcome.REFUSED);
  }

  private void count(String type, Outcome outcome) {
    counters
        .computeIfAbsent(
            type + '\n' + outcome.tag,
            k ->
                Counter.builder(EVENTS)
                    .description("Events handled, by type and outcome")
                    .tags("function", function, "type", type, "outcome", outcome.tag)
                    .register(registry))
        .increment();
  }

  public void deadLettered(String reason) {
    counters
        .computeIfAbsent(
            "dead\n" + reason,
            k ->
                Counter.builder(DEAD_LETTERS)
                    .description("Records written to the dead-letter topic, by reason")
                    .tags("function", function, "reason", reason)
                    .register(registry))
        .increment();
  }

  public void retried() {
    retries.increment();
  }

  public void unguarded() {
    unguarded.increment();
  }

  public void read(boolean isTaken) {
    (isTaken ? taken : notTaken).increment();
  }

  /** The sum of a counter over every tag set of this function (for {@code /kit/stats}). */
  long sum(String name, String tag, String value) {
    double total = 0;
    for (Counter c : registry.find(name).tag("function", function).counters()) {
      if (tag == null || value.equals(c.getId().getTag(tag))) {
        total += c.count();
      }
    }
    return (long) total;
  }
}
