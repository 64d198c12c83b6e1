package com.bookstore.kit;

import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The real Redis of the local stack (database 10, the kit's own), a Vert.x instance and a kit
 * configuration, for tests that run kit beans without a Quarkus application around them.
 */
final class TestServers implements AutoCloseable {
  static final String REDIS_URL =
      System.getenv().getOrDefault("BOOKSTORE_REDIS_URL", "redis://127.0.0.1:16379") + "/10";
  static final String KAFKA =
      System.getenv().getOrDefault("BOOKSTORE_KAFKA_BOOTSTRAP", "127.0.0.1:19092");
  static final Duration WAIT = Duration.ofSeconds(20);

  final io.vertx.core.Vertx core = io.vertx.core.Vertx.vertx();
  final io.vertx.mutiny.core.Vertx vertx = io.vertx.mutiny.core.Vertx.newInstance(core);
  private final Redis client = Redis.createClient(vertx, REDIS_URL);
  final RedisAPI redis = RedisAPI.api(client);

  record IdempotencySettings(Duration ttl, Duration claimTtl, Duration concurrentWait)
      implements KitConfig.Idempotency {}

  record IngressSettings(long maxBodySize) implements KitConfig.Ingress {}

  /** The settings the ledger, pipeline and ingress read; Kafka-direct is not under test here. */
  record Config(String functionName, IdempotencySettings idempotency) implements KitConfig {
    @Override
    public String environment() {
      return "test";
    }

    @Override
    public KitConfig.Health health() {
      return new KitConfig.Health() {
        public Duration timeout() {
          return Duration.ofSeconds(2);
        }

        public Duration cacheFor() {
          return Duration.ofSeconds(1);
        }
      };
    }

    @Override
    public KitConfig.Log log() {
      return () -> false;
    }

    @Override
    public java.util.Optional<String> operatorToken() {
      return java.util.Optional.empty();
    }

    @Override
    public KitConfig.Ingress ingress() {
      return new IngressSettings(262144);
    }

    @Override
    public KitConfig.Kafka kafka() {
      // Only the publisher reads this: answers go to their types' topics, as in Kafka-direct mode.
      return new KitConfig.Kafka() {
        public boolean direct() {
          return true;
        }

        public java.time.Duration retryBudget() {
          return java.time.Duration.ofSeconds(5);
        }

        public java.time.Duration initialBackoff() {
          return java.time.Duration.ofMillis(100);
        }

        public java.time.Duration maxBackoff() {
          return java.time.Duration.ofSeconds(1);
        }

        public int concurrency() {
          return 64;
        }

        public int maxQueued() {
          return 1024;
        }
      };
    }
  }

  static Config config(String function, Duration claimTtl, Duration concurrentWait) {
    return new Config(
        function, new IdempotencySettings(Duration.ofMinutes(5), claimTtl, concurrentWait));
  }

  IdempotencyLedger ledger(KitConfig config) {
    return new IdempotencyLedger(redis, vertx, config, metrics(config));
  }

  /** The kit's meters on a registry of their own. */
  static KitMetrics metrics(KitConfig config) {
    return new KitMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), config);
  }

  /** Tracing without an SDK: spans are no-ops, as in a function without an OTLP endpoint. */
  static Tracing tracing(KitConfig config) {
    return new Tracing(io.opentelemetry.api.OpenTelemetry.noop(), config);
  }

  /** The raw value under a key, or null. */
  String get(String key) {
    var r = redis.get(key).await().atMost(WAIT);
    return r == null ? null : r.toString();
  }

  void setPx(String key, String value, long millis) {
    redis.set(List.of(key, value, "PX", Long.toString(millis))).await().atMost(WAIT);
  }

  static Map<String, Object> kafkaConfig(String bootstrap) {
    return Map.of("bootstrap.servers", bootstrap);
  }

  @Override
  public void close() {
    client.close();
    core.close().toCompletionStage().toCompletableFuture().join();
  }
}
