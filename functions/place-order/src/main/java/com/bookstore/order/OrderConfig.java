package com.bookstore.order;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "place-order")
public interface OrderConfig {

  /**
   * How long a GetPrices call may take before the order is refused with 503. Short: a customer is
   * waiting, and a catalog that does not answer quickly is better reported than waited for.
   */
  @WithDefault("PT1S")
  Duration catalogDeadline();

  /** Largest {@code POST /orders} body, in bytes (100 lines fit in a few KiB). */
  @WithDefault("65536")
  int maxBodySize();

  Outbox outbox();

  interface Outbox {
    /** How often the relay looks for unpublished rows (a scheduler period such as {@code 1s}). */
    @WithDefault("1s")
    String relayEvery();

    /** How often published rows past their retention are deleted. */
    @WithDefault("60s")
    String purgeEvery();

    /**
     * How old an unpublished outbox row must be before the relay publishes it. The request that
     * wrote it publishes it itself within milliseconds; the grace keeps the relay from publishing
     * the same event a second time while that is under way (harmless, but wasted).
     */
    @WithDefault("PT5S")
    Duration grace();

    /** Rows the relay publishes per run. */
    @WithDefault("200")
    int batchSize();

    /** How long published rows are kept (for inspection) before the purge deletes them. */
    @WithDefault("PT1H")
    Duration retention();
  }
}
