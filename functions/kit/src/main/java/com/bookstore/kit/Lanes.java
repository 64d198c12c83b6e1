package com.bookstore.kit;

import io.smallrye.mutiny.Uni;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Runs work concurrently across lanes and in submission order within one: work for one key (one
 * order, one saga) never overlaps or overtakes earlier work for that key, while other keys proceed.
 * At most {@code concurrency} pieces are in flight; {@link #submit} completes once the work is
 * started and a slot is free, which is the back-pressure for whoever submits.
 */
public final class Lanes {
  private final int concurrency;

  /** The newest work of each lane still in flight: the next work of that lane waits for it. */
  private final Map<String, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();

  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicReference<CompletableFuture<Void>> slotFreed =
      new AtomicReference<>(new CompletableFuture<>());

  public Lanes(int concurrency) {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1, got " + concurrency);
    }
    this.concurrency = concurrency;
  }

  /**
   * Queues {@code work} behind the lane's earlier work. The work's own outcome (success or failure)
   * only frees its place; reporting it is the work's business.
   */
  public Uni<Void> submit(String lane, Supplier<Uni<Void>> work) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    CompletableFuture<Void> previous = tails.put(lane, done);
    inFlight.incrementAndGet();
    Runnable start =
        () -> {
          Uni<Void> running;
          try {
            running = work.get();
          } catch (RuntimeException e) {
            running = Uni.createFrom().failure(e);
          }
          running.subscribe().with(x -> finish(lane, done), f -> finish(lane, done));
        };
    if (previous == null) {
      start.run();
    } else {
      previous.whenComplete((x, f) -> start.run());
    }
    return waitForSlot();
  }

  public int inFlight() {
    return inFlight.get();
  }

  private Uni<Void> waitForSlot() {
    if (inFlight.get() < concurrency) {
      return Uni.createFrom().voidItem();
    }
    CompletableFuture<Void> freed = slotFreed.get();
    if (inFlight.get() < concurrency) {
      return Uni.createFrom().voidItem();
    }
    return Uni.createFrom().completionStage(freed).flatMap(x -> waitForSlot());
  }

  private void finish(String lane, CompletableFuture<Void> done) {
    tails.remove(lane, done);
    inFlight.decrementAndGet();
    slotFreed.getAndSet(new CompletableFuture<>()).complete(null);
    done.complete(null);
  }
}
