package com.bookstore.timeouts;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Local runs: a sweep every {@code saga-timeouts.every} (1 s). Off on Knative ({@code off}), where
 * a PingSource posts to {@code /sweep}. A run still going when the next is due is not doubled.
 */
@ApplicationScoped
public class SweepSchedule {
  private static final Logger LOG = Logger.getLogger(SweepSchedule.class);

  private final Sweeper sweeper;

  SweepSchedule(Sweeper sweeper) {
    this.sweeper = sweeper;
  }

  @Scheduled(
      identity = "saga-timeouts-sweep",
      every = "${saga-timeouts.every}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> sweep() {
    return sweeper
        .sweep()
        .onFailure()
        .invoke(f -> LOG.warnf("sweep failed; the next one tries again: %s", f.toString()))
        .onFailure()
        .recoverWithNull()
        .replaceWithVoid();
  }
}
