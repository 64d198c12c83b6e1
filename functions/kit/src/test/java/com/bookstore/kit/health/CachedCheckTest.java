package com.bookstore.kit.health;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

class CachedCheckTest {

  @Test
  void probesThatArriveWhileOneRunsShareItsCall() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    AtomicReference<UniEmitter<? super Map<String, Object>>> pending = new AtomicReference<>();
    CachedCheck check =
        new CachedCheck(
            "dep",
            Duration.ofSeconds(10),
            Duration.ofSeconds(10),
            () -> {
              calls.incrementAndGet();
              return Uni.createFrom().<Map<String, Object>>emitter(pending::set);
            });
    List<CompletableFuture<HealthCheckResponse>> probes = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      probes.add(check.call().subscribeAsCompletionStage());
    }
    assertEquals(1, calls.get());
    pending.get().complete(Map.of("ok", true));
    for (CompletableFuture<HealthCheckResponse> p : probes) {
      assertEquals(HealthCheckResponse.Status.UP, p.get(5, TimeUnit.SECONDS).getStatus());
    }
  }

  @Test
  void aHungDependencyIsDownOnceTheTimeoutPasses() throws Exception {
    CachedCheck check =
        new CachedCheck(
            "dep",
            Duration.ofMillis(200),
            Duration.ofSeconds(1),
            () -> Uni.createFrom().emitter(e -> {}));
    long start = System.nanoTime();
    HealthCheckResponse r = check.call().await().atMost(Duration.ofSeconds(5));
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertEquals(HealthCheckResponse.Status.DOWN, r.getStatus());
    assertTrue(r.getData().orElseThrow().get("error").toString().startsWith("timed out"));
    assertTrue(millis < 2_000, "took " + millis + " ms");
  }

  @Test
  void aResultIsReusedForCacheForThenAskedAgain() {
    AtomicInteger calls = new AtomicInteger();
    CachedCheck check =
        new CachedCheck(
            "dep",
            Duration.ofSeconds(1),
            Duration.ofMillis(300),
            () -> {
              calls.incrementAndGet();
              return Uni.createFrom().item(Map.of());
            });
    check.call().await().indefinitely();
    check.call().await().indefinitely();
    assertEquals(1, calls.get());
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              check.call().await().indefinitely();
              assertEquals(2, calls.get());
            });
  }

  @Test
  void aFailureIsDownWithItsMessage() {
    CachedCheck check =
        new CachedCheck(
            "dep",
            Duration.ofSeconds(1),
            Duration.ofSeconds(1),
            () ->
                Uni.createFrom().failure(new CachedCheck.DependencyDown("topic x has no leader")));
    HealthCheckResponse r = check.call().await().indefinitely();
    assertEquals(HealthCheckResponse.Status.DOWN, r.getStatus());
    assertEquals("topic x has no leader", r.getData().orElseThrow().get("error"));
  }
}
