package com.bookstore.user;

import static com.bookstore.kit.testing.HealthProbes.awaitNotReady;
import static com.bookstore.kit.testing.HealthProbes.awaitReady;
import static com.bookstore.kit.testing.HealthProbes.data;
import static com.bookstore.kit.testing.HealthProbes.status;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bookstore.kit.health.KafkaProducerReadiness;
import com.bookstore.kit.health.PostgresReadiness;
import com.bookstore.kit.health.RedisReadiness;
import com.bookstore.kit.testing.PrivateKafka;
import com.bookstore.kit.testing.TcpProxy;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Readiness against the real servers, each taken away and brought back: Redis and PostgreSQL
 * through a TCP forwarder of the test's own in front of the stack's servers (cut: the server is
 * gone; paused: it hangs), Kafka as a broker of the test's own that is stopped and started. The
 * stack's shared servers are never touched. Liveness makes no dependency call, so it stays UP.
 */
@QuarkusTest
@TestProfile(ReadinessTest.OwnDependencies.class)
class ReadinessTest {
  public static class OwnDependencies implements QuarkusTestProfile {
    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(new TestResourceEntry(Dependencies.class));
    }
  }

  /** Started before the application, which is pointed at them. */
  public static class Dependencies implements QuarkusTestResourceLifecycleManager {
    static TcpProxy redis;
    static TcpProxy postgres;
    static PrivateKafka kafka;

    @Override
    public Map<String, String> start() {
      URI redisUrl =
          URI.create(
              System.getenv().getOrDefault("BOOKSTORE_REDIS_URL", "redis://127.0.0.1:16379"));
      redis = new TcpProxy(redisUrl.getHost(), redisUrl.getPort());
      String pgHost = System.getenv().getOrDefault("BOOKSTORE_PG_HOST", "127.0.0.1");
      int pgPort = Integer.parseInt(System.getenv().getOrDefault("BOOKSTORE_PG_PORT", "15432"));
      String pgDb = System.getenv().getOrDefault("BOOKSTORE_PG_DB", "bookstore") + "_test";
      postgres = new TcpProxy(pgHost, pgPort);
      kafka =
          new PrivateKafka(
              Path.of("../.."), Path.of("target/private-kafka"), freePort(), freePort());
      kafka.start();
      kafka.createTopicsOf("register-user");
      return Map.of(
          "quarkus.redis.hosts",
          "redis://127.0.0.1:" + redis.port() + "/1",
          "quarkus.datasource.reactive.url",
          "postgresql://127.0.0.1:" + postgres.port() + "/" + pgDb,
          "kafka.bootstrap.servers",
          kafka.bootstrap());
    }

    @Override
    public void stop() {
      redis.close();
      postgres.close();
      kafka.close();
    }
  }

  @BeforeEach
  void everythingAnswers() {
    awaitReady();
  }

  @AfterEach
  void bringBack() {
    Dependencies.redis.restore();
    Dependencies.postgres.restore();
    Dependencies.kafka.start();
  }

  @Test
  void readyOnlyWithRedisAnsweringAndLiveThroughout() {
    Dependencies.redis.cut();
    JsonPath down = awaitNotReady(RedisReadiness.NAME);
    assertEquals("UP", status(down, PostgresReadiness.NAME));
    given().get("/q/health/live").then().statusCode(200);
    Dependencies.redis.restore();
    awaitReady();
  }

  @Test
  void aHungRedisReadsAsDownWithinTheTimeoutAndProbesDoNotPileUp() throws Exception {
    Dependencies.redis.pause();
    JsonPath down = awaitNotReady(RedisReadiness.NAME);
    assertTrue(data(down, RedisReadiness.NAME, "error").contains("timed out"), down.prettify());
    // Twenty probes at once against a hung server: each is answered within the check's timeout
    // (2 s) plus slack, because they share one running call instead of queueing twenty.
    ExecutorService pool = Executors.newFixedThreadPool(20);
    try {
      List<Future<Long>> probes = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        probes.add(
            pool.submit(
                () -> {
                  long start = System.nanoTime();
                  given().get("/q/health/ready").then().statusCode(503);
                  return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                }));
      }
      for (Future<Long> probe : probes) {
        long millis = probe.get(30, TimeUnit.SECONDS);
        assertTrue(millis < 4_000, "a readiness probe took " + millis + " ms");
      }
    } finally {
      pool.shutdownNow();
    }
    given().get("/q/health/live").then().statusCode(200);
    Dependencies.redis.restore();
    awaitReady();
  }

  @Test
  void readyOnlyWithPostgresqlAnswering() {
    Dependencies.postgres.cut();
    JsonPath down = awaitNotReady(PostgresReadiness.NAME);
    assertEquals("UP", status(down, RedisReadiness.NAME));
    given().get("/q/health/live").then().statusCode(200);
    Dependencies.postgres.restore();
    awaitReady();
  }

  @Test
  void readyOnlyWithKafkaWritable() {
    Dependencies.kafka.stop();
    JsonPath down = awaitNotReady(KafkaProducerReadiness.NAME);
    assertEquals("UP", status(down, RedisReadiness.NAME));
    given().get("/q/health/live").then().statusCode(200);
    Dependencies.kafka.start();
    awaitReady();
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
