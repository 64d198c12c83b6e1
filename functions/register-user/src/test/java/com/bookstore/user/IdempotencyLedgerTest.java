package com.bookstore.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.bookstore.kit.Answer;
import com.bookstore.kit.CloudEvent;
import com.bookstore.kit.IdempotencyLedger;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The kit's idempotency ledger against the real Redis. */
@QuarkusTest
class IdempotencyLedgerTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Inject IdempotencyLedger ledger;

  static CloudEvent incoming() {
    return new CloudEvent(
        UUID.randomUUID().toString(),
        "/tests/ledger",
        "t.v1",
        null,
        null,
        null,
        null,
        Map.of(),
        null);
  }

  static Answer answer(String id) {
    return Answer.of(
        new CloudEvent(
            id,
            "/tests",
            "answer.v1",
            null,
            null,
            "application/json",
            null,
            Map.of(),
            "{\"n\":1}".getBytes()));
  }

  /** Runs {@code result} under the ledger, counting how often the action actually ran. */
  Uni<Answer> once(CloudEvent event, AtomicInteger runs, Uni<Answer> result) {
    return ledger.once(
        "ledger-test",
        event,
        () -> {
          runs.incrementAndGet();
          return result;
        });
  }

  Answer onceAndWait(CloudEvent event, AtomicInteger runs, String answerId) {
    return once(event, runs, Uni.createFrom().item(answer(answerId))).await().atMost(WAIT);
  }

  @Test
  void redeliveryGetsTheStoredAnswerWithoutRunningAgain() {
    CloudEvent event = incoming();
    AtomicInteger runs = new AtomicInteger();
    Answer first = onceAndWait(event, runs, "a-1");
    Answer second = onceAndWait(event, runs, "a-2");
    assertEquals(1, runs.get());
    assertEquals(first, second);
  }

  @Test
  void failedDeliveryReleasesTheClaimSoARetryRuns() {
    CloudEvent event = incoming();
    AtomicInteger runs = new AtomicInteger();
    Uni<Answer> failure = Uni.createFrom().failure(new IllegalStateException("database down"));
    assertThrows(
        IllegalStateException.class, () -> once(event, runs, failure).await().atMost(WAIT));
    Answer retried = onceAndWait(event, runs, "after-retry");
    assertEquals(2, runs.get());
    assertEquals("after-retry", retried.events().get(0).id());
  }

  @Test
  void concurrentDuplicateWaitsForTheFirstAnswerAndRunsNothing() {
    CloudEvent event = incoming();
    AtomicInteger runs = new AtomicInteger();
    Uni<Answer> slowAnswer =
        Uni.createFrom().item(answer("slow")).onItem().delayIt().by(Duration.ofMillis(300));
    var first = once(event, runs, slowAnswer).subscribeAsCompletionStage();
    // The first delivery holds the claim once its action runs; only then is the second concurrent.
    Awaitility.await().atMost(WAIT).until(() -> runs.get() == 1);
    Answer duplicate = onceAndWait(event, runs, "duplicate");
    assertEquals("slow", duplicate.events().get(0).id());
    assertEquals("slow", first.toCompletableFuture().join().events().get(0).id());
    assertEquals(1, runs.get());
  }

  @Test
  void sameIdFromAnotherSourceIsAnotherEvent() {
    CloudEvent event = incoming();
    CloudEvent other =
        new CloudEvent(
            event.id(), "/tests/other-source", "t.v1", null, null, null, null, Map.of(), null);
    AtomicInteger runs = new AtomicInteger();
    onceAndWait(event, runs, "x");
    onceAndWait(other, runs, "y");
    assertEquals(2, runs.get());
  }
}
