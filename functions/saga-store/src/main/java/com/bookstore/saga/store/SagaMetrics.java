package com.bookstore.saga.store;

import com.bookstore.kit.saga.SagaDefinition;
import com.bookstore.kit.saga.SagaState;
import com.bookstore.kit.saga.SagaStatus;
import com.bookstore.kit.saga.StepState;
import com.bookstore.kit.saga.StepStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sagas' meters, counted where a transition is stored (so a lost optimistic race or a replay
 * counts nothing):
 *
 * <ul>
 *   <li>{@code bookstore_saga_transitions_total{function,definition,status}}: sagas that entered a
 *       status: {@code started} (inserted), {@code failed} (a step failed: compensation begins),
 *       {@code compensated}, {@code completed}, {@code stuck}, and {@code running} again after an
 *       operator's resume.
 *   <li>{@code bookstore_saga_step_seconds{function,definition,step,outcome}}: how long a step's
 *       reply took (outcome {@code succeeded}, {@code failed} or {@code timed_out}), from the
 *       step's last command to the transition, both on the database's clock: the step's start is
 *       its deadline less its time limit.
 * </ul>
 *
 * <ul>
 *   <li>{@code bookstore_saga_duration_seconds{function,definition,status}}: from the saga's start
 *       (its insert) to its end, {@code completed} or {@code compensated}: placed -> final.
 * </ul>
 *
 * How many sagas are in each status right now is {@code bookstore_sagas} ({@link SagaGauges}).
 */
final class SagaMetrics {
  static final String TRANSITIONS = "bookstore.saga.transitions";
  static final String STEP = "bookstore.saga.step";
  static final String DURATION = "bookstore.saga.duration";

  private final MeterRegistry registry;
  private final String function;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();

  SagaMetrics(MeterRegistry registry, String function) {
    this.registry = registry;
    this.function = function;
  }

  void started(String definition) {
    count(definition, "started");
  }

  /** A stored transition from {@code before} to {@code after} under {@code definition}. */
  void moved(
      SagaDefinition definition,
      SagaState before,
      SagaState after,
      Instant createdAt,
      Instant now) {
    if (before.status() != after.status()) {
      String status = after.status().name().toLowerCase(Locale.ROOT);
      count(definition.name(), status);
      if ((after.status() == SagaStatus.COMPLETED || after.status() == SagaStatus.COMPENSATED)
          && createdAt != null) {
        timer(
                DURATION,
                "Time from a saga's start to its end",
                Duration.ofHours(4),
                "definition",
                definition.name(),
                "status",
                status)
            .record(Duration.between(createdAt, now));
      }
    }
    int index = before.current();
    if (before.status() != SagaStatus.RUNNING
        || index < 0
        || index >= before.steps().size()
        || before.deadline() == null) {
      return;
    }
    StepState was = before.steps().get(index);
    StepState is = after.steps().get(index);
    if (was.status() != StepStatus.STARTED || is.status() == StepStatus.STARTED) {
      return;
    }
    String step = definition.step(index).name();
    Instant startedAt = before.deadline().minus(definition.step(index).timeLimit());
    Duration took = Duration.between(startedAt, now);
    if (took.isNegative()) {
      return;
    }
    String outcome = is.status().name().toLowerCase(Locale.ROOT);
    timer(
            STEP,
            "Time from a saga step's command to its outcome",
            Duration.ofMinutes(5),
            "definition",
            definition.name(),
            "step",
            step,
            "outcome",
            outcome)
        .record(took);
  }

  private Timer timer(String name, String description, Duration max, String... tags) {
    return timers.computeIfAbsent(
        name + '\n' + String.join("\n", tags),
        k ->
            Timer.builder(name)
                .description(description)
                .tags("function", function)
                .tags(tags)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(max)
                .register(registry));
  }

  private void count(String definition, String status) {
    counters
        .computeIfAbsent(
            definition + '\n' + status,
            k ->
                Counter.builder(TRANSITIONS)
                    .description("Sagas that entered a status")
                    .tags("function", function, "definition", definition, "status", status)
                    .register(registry))
        .increment();
  }
}
