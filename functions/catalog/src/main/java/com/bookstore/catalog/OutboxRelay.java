package com.bookstore.catalog;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Publishes outbox events whose request could not (Kafka down, a crash between commit and publish).
 * Runs every {@code catalog.outbox.interval} and at start; takes only events older than {@code
 * catalog.outbox.grace}, so it does not race the request still publishing them. Should two replicas
 * both send one, the copies have the same id, which consumers deduplicate.
 */
@ApplicationScoped
public class OutboxRelay {
  private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
  private static final int BATCH = 200;

  private final BookStore store;
  private final CatalogService service;
  private final CatalogConfig.Outbox config;
  private final Vertx vertx;
  private final AtomicBoolean running = new AtomicBoolean();
  private long timer = -1;

  OutboxRelay(BookStore store, CatalogService service, CatalogConfig config, Vertx vertx) {
    this.store = store;
    this.service = service;
    this.config = config.outbox();
    this.vertx = vertx;
  }

  void start(@Observes StartupEvent start) {
    timer = vertx.setPeriodic(1, config.interval().toMillis(), id -> drain());
  }

  void stop(@Observes ShutdownEvent stop) {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /** One pass: every event older than the grace, in batches; at most one pass at a time. */
  void drain() {
    if (!running.compareAndSet(false, true)) {
      return;
    }
    drainFrom(Instant.now().minus(config.grace()))
        .subscribe()
        .with(
            sent -> {
              running.set(false);
              if (sent > 0) {
                LOG.infof("relayed %d catalog event(s) from the outbox", sent);
              }
            },
            failure -> {
              running.set(false);
              LOG.warnf("outbox relay pass failed: %s", failure.toString());
            });
  }

  private Uni<Integer> drainFrom(Instant before) {
    return store
        .pending(before, BATCH)
        .flatMap(
            events -> {
              if (events.isEmpty()) {
                return Uni.createFrom().item(0);
              }
              return service
                  .publish(events)
                  .flatMap(
                      ok -> {
                        if (!ok) {
                          return Uni.createFrom().item(0);
                        }
                        if (events.size() < BATCH) {
                          return Uni.createFrom().item(events.size());
                        }
                        return drainFrom(before).map(more -> events.size() + more);
                      });
            });
  }
}
