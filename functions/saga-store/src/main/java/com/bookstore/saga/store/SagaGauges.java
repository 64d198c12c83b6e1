package com.bookstore.saga.store;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * {@code bookstore_sagas{function,definition,status}}: how many sagas are unfinished right now, by
 * definition and status ({@code running}, {@code failed}, {@code compensating}, {@code stuck}): in
 * flight and stuck at a glance. Read from the saga table every {@code saga.gauges.every} (off
 * unless set: saga-step sets it, so one function reports them) and served from memory, so a scrape
 * never waits for the database.
 */
@ApplicationScoped
public class SagaGauges {
  static final String NAME = "bookstore.sagas";
  private static final Logger LOG = Logger.getLogger(SagaGauges.class);

  private final SagaStore store;
  private final MeterRegistry registry;
  private final Vertx vertx;
  private final String function;
  private final Optional<Duration> every;
  private final Map<List<String>, AtomicLong> values = new ConcurrentHashMap<>();

  SagaGauges(
      SagaStore store,
      MeterRegistry registry,
      Vertx vertx,
      @ConfigProperty(name = "bookstore.function.name") String function,
      @ConfigProperty(name = "saga.gauges.every") Optional<Duration> every) {
    this.store = store;
    this.registry = registry;
    this.vertx = vertx;
    this.function = function;
    this.every = every;
  }

  void start(@Observes StartupEvent start) {
    every.ifPresent(
        d -> {
          // every definition and status from the start, at 0 until the table says otherwise
          for (String definition : List.of(OrderSaga.NAME, OrderSaga.DELIVERED)) {
            for (String status : List.of("RUNNING", "FAILED", "COMPENSATING", "STUCK")) {
              gauge(List.of(definition, status));
            }
          }
          refresh();
          vertx.setPeriodic(d.toMillis(), id -> refresh());
        });
  }

  void refresh() {
    store
        .unfinished()
        .subscribe()
        .with(
            counts -> {
              values.forEach((k, v) -> v.set(counts.getOrDefault(k, 0L)));
              counts.forEach((k, n) -> gauge(k).set(n));
            },
            f -> LOG.debugf("saga gauges not refreshed: %s", f.toString()));
  }

  private AtomicLong gauge(List<String> key) {
    return values.computeIfAbsent(
        key,
        k -> {
          AtomicLong v = new AtomicLong();
          Gauge.builder(NAME, v, AtomicLong::get)
              .description("Unfinished sagas, by definition and status")
              .tags(
                  "function",
                  function,
                  "definition",
                  k.get(0),
                  "status",
                  k.get(1).toLowerCase(Locale.ROOT))
              .register(registry);
          return v;
        });
  }
}
