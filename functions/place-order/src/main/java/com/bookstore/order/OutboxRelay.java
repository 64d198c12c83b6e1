package com.bookstore.order;

import com.bookstore.kit.Answer;
import com.bookstore.kit.EventPublisher;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Publishes order.placed events that a request stored but did not get to publish (the process died
 * between its commit and its publish, or Kafka refused). Rows younger than the grace period are
 * left to the request that wrote them. Also purges rows published long ago.
 */
@ApplicationScoped
public class OutboxRelay {
  private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
  private static final int PURGE_LIMIT = 5000;

  private final OrderStore store;
  private final EventPublisher publisher;
  private final OrderConfig.Outbox config;

  OutboxRelay(OrderStore store, EventPublisher publisher, OrderConfig config) {
    this.store = store;
    this.publisher = publisher;
    this.config = config.outbox();
  }

  @Scheduled(
      identity = "outbox-relay",
      every = "${place-order.outbox.relay-every}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> relay() {
    return relayOnce()
        .onFailure()
        .recoverWithItem(
            failure -> {
              LOG.warnf("outbox relay run failed, next run retries: %s", failure.toString());
              return 0;
            })
        .replaceWithVoid();
  }

  /** One run: publishes what is due and answers how many events it published. */
  public Uni<Integer> relayOnce() {
    return store
        .relay(
            Instant.now().minus(config.grace()),
            config.batchSize(),
            events -> publisher.publish(new Answer(events)))
        .invoke(
            published -> {
              if (published > 0) {
                LOG.infof("outbox relay published %d order.placed left unpublished", published);
              }
            });
  }

  @Scheduled(
      identity = "outbox-purge",
      every = "${place-order.outbox.purge-every}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> purge() {
    return store
        .purge(Instant.now().minus(config.retention()), PURGE_LIMIT)
        .onFailure()
        .recoverWithItem(
            failure -> {
              LOG.warnf("outbox purge failed, next run retries: %s", failure.toString());
              return 0;
            })
        .replaceWithVoid();
  }
}
