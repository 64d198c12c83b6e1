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

  /**
   * The operators' bearer token ({@code BOOKSTORE_OPERATOR_TOKEN}) for a function's operator routes
   * (saga-step's {@code /sagas} and console). None: those routes are disabled, never open.
   */
  @WithName("operator.token")
  java.util.Optional<String> operatorToken();

  Idempotency idempotency();

  Ingress ingress();

  Kafka kafka();

  Health health();

  Log log();

  interface Log {
    /**
     * One JSON object a line on the console (on in the prod profile, and so on Knative); read by
     * the console filter ({@code com.bookstore.kit.logging.LogFilter}) when logging starts.
     */
    @WithDefault("false")
    boolean json();
  }

  interface Health {
    /**
     * How long a readiness check waits for its dependency (Redis, PostgreSQL, Kafka) before it
     * reports DOWN with "timed out": a hung dependency costs a probe this long at most, and one
     * call however many probes arrive meanwhile. A healthy answer takes milliseconds; the margin is
     * for a loaded node, so that readiness does not flap.
     */
    @WithDefault("PT2S")
    Duration timeout();

    /**
     * How long a check's result is reused: probes that arrive together (kubelet, queue-proxy,
     * operators) cost the dependency one call, and a probe never waits behind another.
     */
    @WithDefault("PT1S")
    Duration cacheFor();
  }

  interface Idempotency {
    /**
     * How long an answer is remembered: longer than any redelivery the ledger has to answer. Kafka
     * redelivers only records past the last committed offset, and commits trail processing by
     * seconds; the Broker's retries span minutes. A replay older than this (an offset reset, a
     * restored backup) runs again and is caught by the function's PostgreSQL unique keys and
     * deterministic answer ids. Bounded so the ledger's memory is bounded by a day's traffic.
     */
    @WithDefault("PT24H")
    Duration ttl();

    /**
     * The claim's lease: the holder renews it every third of this while the function runs, so it
     * bounds how long a holder that died mid-way (SIGKILL, OOM) keeps a redelivery waiting, not how
     * long a function may run.
     */
    @WithDefault("10S")
    Duration claimTtl();

    /**
     * How long a concurrent duplicate waits for the first delivery's answer before it fails
     * retryable (409 over HTTP), per attempt: each retry waits afresh. Kafka-direct makes {@code
     * bookstore.kafka.max-attempts} (5) attempts, 5 x 10 s outlasting the 10 s claim TTL, so a
     * redelivery whose first delivery died runs once the dead claim expires instead of being
     * dead-lettered.
     */
    @WithDefault("10S")
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

    /**
     * Records accepted but not yet started (waiting behind their key, or for one of the {@code
     * concurrency} slots) before the consumer stops taking more: the back-pressure. Queued records
     * hold no connection, only their bytes, so this can be much larger than {@code concurrency}.
     */
    @WithDefault("1024")
    int maxQueued();
  }
}
