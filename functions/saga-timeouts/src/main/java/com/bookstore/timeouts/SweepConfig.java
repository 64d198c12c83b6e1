package com.bookstore.timeouts;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "saga-timeouts")
public interface SweepConfig {
  /**
   * How often the local schedule sweeps (a Quarkus {@code every} expression); {@code off} turns it
   * off, as on Knative, where a PingSource posts to {@code /sweep}.
   */
  String every();

  /** Rows read per table per sweep, oldest first: bounds one sweep's work and its Kafka batch. */
  @WithDefault("500")
  int batch();

  /** The PostgreSQL advisory lock key every replica's sweep takes: one sweep at a time. */
  long lockKey();
}
