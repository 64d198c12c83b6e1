package com.bookstore.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class LanesTest {

  /** Work that runs until the test completes its future, recording when it started. */
  private static Uni<Void> held(List<String> started, String name, CompletableFuture<Void> gate) {
    started.add(name);
    return Uni.createFrom().completionStage(gate);
  }

  @Test
  void workOfOneLaneRunsInOrderAndNeverOverlaps() {
    Lanes lanes = new Lanes(10);
    List<String> started = Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<Void> first = new CompletableFuture<>();
    CompletableFuture<Void> second = new CompletableFuture<>();
    lanes.submit("order-1", () -> held(started, "first", first)).await().indefinitely();
    lanes.submit("order-1", () -> held(started, "second", second)).await().indefinitely();
    lanes.submit("order-1", () -> held(started, "third", new CompletableFuture<>()));

    assertEquals(List.of("first"), started);
    first.complete(null);
    assertEquals(List.of("first", "second"), started);
    second.complete(null);
    assertEquals(List.of("first", "second", "third"), started);
  }

  @Test
  void otherLanesRunWhileOneIsBusy() {
    Lanes lanes = new Lanes(10);
    List<String> started = Collections.synchronizedList(new ArrayList<>());
    lanes.submit("order-1", () -> held(started, "slow", new CompletableFuture<>()));
    lanes.submit("order-2", () -> held(started, "other", new CompletableFuture<>()));
    lanes.submit("order-3", () -> held(started, "third", new CompletableFuture<>()));

    assertEquals(List.of("slow", "other", "third"), started);
    assertEquals(3, lanes.inFlight());
  }

  /**
   * The connector submits one record, waits for submit's Uni, then submits the next. Records queued
   * behind one blocked key must not hold back a record of another key.
   */
  @Test
  void recordsQueuedBehindOneBlockedKeyDoNotStallOtherKeys() {
    int concurrency = 2;
    Lanes lanes = new Lanes(concurrency);
    List<String> started = Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<Void> slow = new CompletableFuture<>();
    for (int i = 0; i < concurrency + 3; i++) {
      String name = "slow-" + i;
      lanes
          .submit("order-1", () -> held(started, name, slow))
          .await()
          .atMost(Duration.ofSeconds(5));
    }
    lanes
        .submit("order-2", () -> held(started, "other", new CompletableFuture<>()))
        .await()
        .atMost(Duration.ofSeconds(5));

    assertEquals(List.of("slow-0", "other"), started);
    assertEquals(2, lanes.inFlight(), "only started work counts toward concurrency");
  }

  @Test
  void atMostConcurrencyPiecesRunAtOnce() {
    Lanes lanes = new Lanes(2);
    List<String> started = Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<Void> a = new CompletableFuture<>();
    lanes.submit("a", () -> held(started, "a", a));
    lanes.submit("b", () -> held(started, "b", new CompletableFuture<>()));
    lanes.submit("c", () -> held(started, "c", new CompletableFuture<>()));

    assertEquals(List.of("a", "b"), started);
    a.complete(null);
    assertEquals(List.of("a", "b", "c"), started, "c takes the slot a freed");
    assertEquals(2, lanes.inFlight());
  }

  @Test
  void submitWaitsOnceTheQueuedBoundIsReached() {
    Lanes lanes = new Lanes(1, 2);
    CompletableFuture<Void> first = new CompletableFuture<>();
    lanes
        .submit("a", () -> Uni.createFrom().completionStage(first))
        .await()
        .atMost(Duration.ofSeconds(5));
    lanes.submit("a", Uni.createFrom()::voidItem).await().atMost(Duration.ofSeconds(5));
    CompletableFuture<Void> accepted = new CompletableFuture<>();
    lanes
        .submit("b", () -> Uni.createFrom().completionStage(new CompletableFuture<Void>()))
        .subscribe()
        .with(accepted::complete, accepted::completeExceptionally);

    assertEquals(2, lanes.queued());
    assertFalse(accepted.isDone(), "two queued with a bound of two: the caller waits");
    first.complete(null);
    assertTrue(accepted.isDone(), "queued work started, so there is room again");
  }

  @Test
  void aFailingPieceOfWorkFreesItsLaneForTheNext() {
    Lanes lanes = new Lanes(4);
    AtomicBoolean ranAfter = new AtomicBoolean();
    lanes.submit("order-1", () -> Uni.createFrom().failure(new IllegalStateException("boom")));
    lanes.submit(
        "order-1",
        () -> {
          throw new IllegalStateException("thrown, not returned");
        });
    lanes
        .submit(
            "order-1",
            () -> {
              ranAfter.set(true);
              return Uni.createFrom().voidItem();
            })
        .await()
        .atMost(Duration.ofSeconds(1));

    assertTrue(ranAfter.get());
    assertEquals(0, lanes.inFlight());
  }

  @Test
  void boundsMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> new Lanes(0));
    assertThrows(IllegalArgumentException.class, () -> new Lanes(1, 0));
  }
}
