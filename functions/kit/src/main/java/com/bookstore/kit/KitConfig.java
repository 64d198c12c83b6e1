package com.bookstore.kit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;

/** Settings every function shares, under {@code bookstore.*}. */
@ConfigMapping(prefix = "bookstore")
public interface KitConfig {

  /** This deployable's name, as in the routing table (e.g. {@code register-user}). */
  @WithName("function.name")
  String functionName();

  /**
   * Deployment environment; part of the Kafka consumer group ({@code <function>-<environment>}).
   */
  @WithDefault("local")
  String environment();

  Idempotency idempotency();

  Ingress ingress();

  Kafka kafka();

  interface Idempotency {
    /** How long an answer is remembered: at least as long as events can be redelivered. */
    @WithDefault("P7D")
    Duration ttl();

    /** How long a claim holds if its holder dies mid-way; then a redelivery may run again. */
    @WithDefault("30S")
    Duration claimTtl();

    /** How long a concurrent duplicate waits for the first delivery's answer before retrying. */
    @WithDefault("5S")
    Duration concurrentWait();
  }

  interface Ingress {
    /** Largest HTTP body accepted, in bytes; larger ones get 413 with a problem body. */
    @WithDefault("262144")
    long maxBodySize();
  }

  interface Kafka {
    /** Whether this process consumes its workflow topic directly (off on Knative). */
    @WithDefault("true")
    boolean direct();

    /**
     * How long a record whose handling fails for a technical reason (Redis, PostgreSQL or Kafka
     * down, a claim still held by a dead holder) is retried before it is dead-lettered as {@code
     * retries-spent}. Longer than a dependency's restart and the idempotency claim's TTL.
     */
    @WithDefault("PT5M")
    Duration retryBudget();

    @WithDefault("PT0.1S")
    Duration initialBackoff();

    @WithDefault("PT5S")
    Duration maxBackoff();

    /**
     * Records in flight at once (different keys; one key's records always run in order). Bounded so
     * that a burst cannot exhaust the database pool or the heap.
     */
    @WithDefault("64")
    int concurrency();
  }
}
