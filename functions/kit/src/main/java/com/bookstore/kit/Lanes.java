package com.bookstore.kit;

import io.smallrye.mutiny.Uni;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Runs work concurrently across lanes and in submission order within one: work for one key (one
 * order, one saga) never overlaps or overtakes earlier work for that key, while other keys proceed.
 *
 * <p>Two bounds. At most {@code concurrency} pieces run at once; only started work counts, so work
 * queued behind one slow key never takes a slot from another key. At most {@code maxQueued} pieces
 * wait (behind their lane, or for a slot): {@link #submit} completes once there is room in that
 * queue, which is the back-pressure for whoever submits.
 */
public final class Lanes {
  /** Queued work before {@link #submit} makes its caller wait, when none is given. */
  public static final int DEFAULT_MAX_QUEUED = 1024;

  private final int concurrency;
  private final int maxQueued;

  // Guarded by this: the counts and queues change together, and none of it is on a hot path long
  // enough for a lock to matter next to the work itself (a database or Redis round trip).
  /** The newest work of each lane not yet finished: the next work of that lane waits for it. */
  private final Map<String, CompletableFuture<Void>> tails = new HashMap<>();

  /** Work whose lane is free, waiting for a slot, oldest first. */
  private final ArrayDeque<Runnable> ready = new ArrayDeque<>();

  private int running;
  private int queued;
  private CompletableFuture<Void> roomFreed = new CompletableFuture<>();

  public Lanes(int concurrency) {
    this(concurrency, DEFAULT_MAX_QUEUED);
  }

  public Lanes(int concurrency, int maxQueued) {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1, got " + concurrency);
    }
    if (maxQueued < 1) {
      throw new IllegalArgumentException("maxQueued must be at least 1, got " + maxQueued);
    }
    this.concurrency = concurrency;
    this.maxQueued = maxQueued;
  }

  /**
   * Queues {@code work} behind the lane's earlier work; it starts once that is done and a slot is
   * free. The work's own outcome (success or failure) only frees its place; reporting it is the
   * work's business.
   */
  public Uni<Void> submit(String lane, Supplier<Uni<Void>> work) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    CompletableFuture<Void> previous;
    synchronized (this) {
      previous = tails.put(lane, done);
      queued++;
    }
    Runnable piece = () -> run(lane, work, done);
    if (previous == null) {
      ready(piece);
    } else {
      previous.whenComplete((x, f) -> ready(piece));
    }
    return waitForRoom();
  }

  /** Work started and not yet finished. */
  public synchronized int inFlight() {
    return running;
  }

  /** Work submitted and not yet started. */
  public synchronized int queued() {
    return queued;
  }

  /** The lane is free: start the work if a slot is, or else queue it for the next free slot. */
  private void ready(Runnable piece) {
    CompletableFuture<Void> freed;
    synchronized (this) {
      if (running >= concurrency) {
        ready.add(piece);
        return;
      }
      running++;
      freed = dequeued();
    }
    freed.complete(null);
    piece.run();
  }

  private void run(String lane, Supplier<Uni<Void>> work, CompletableFuture<Void> done) {
    Uni<Void> running;
    try {
      running = work.get();
    } catch (RuntimeException e) {
      running = Uni.createFrom().failure(e);
    }
    running.subscribe().with(x -> finish(lane, done), f -> finish(lane, done));
  }

  private void finish(String lane, CompletableFuture<Void> done) {
    Runnable next;
    CompletableFuture<Void> freed = null;
    synchronized (this) {
      tails.remove(lane, done);
      next = ready.poll();
      if (next == null) {
        running--;
      } else {
        // The slot passes straight to the oldest ready work.
        freed = dequeued();
      }
    }
    if (freed != null) {
      freed.complete(null);
    }
    // May make the lane's next work ready; it gets a slot if one is free, or queues for one.
    done.complete(null);
    if (next != null) {
      next.run();
    }
  }

  /** One queued piece started; wakes submitters waiting for room. Call holding the lock. */
  private CompletableFuture<Void> dequeued() {
    queued--;
    CompletableFuture<Void> freed = roomFreed;
    roomFreed = new CompletableFuture<>();
    return freed;
  }

  private Uni<Void> waitForRoom() {
    CompletableFuture<Void> freed;
    synchronized (this) {
      if (queued < maxQueued) {
        return Uni.createFrom().voidItem();
      }
      freed = roomFreed;
    }
    return Uni.createFrom().completionStage(freed).flatMap(x -> waitForRoom());
  }
}
