package com.bookstore.e2e;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntPredicate;

/**
 * Fires actions at a steady rate on the calling thread, open loop: action {@code i} is due at
 * {@code start + i / rate}, whatever became of the earlier ones, so a slow system meets the offered
 * load rather than a politely waiting client (no coordinated omission). An action that is late (the
 * client itself could not keep up) runs at once, and {@link #lateness} says by how much.
 */
public final class Pacer {
  private final double rate;
  private long maxLateNanos;

  /**
   * @param rate actions per second
   */
  public Pacer(double rate) {
    if (!(rate > 0)) {
      throw new IllegalArgumentException("rate must be positive: " + rate);
    }
    this.rate = rate;
  }

  /**
   * Runs {@code action(0)}, {@code action(1)}, ... on schedule while it answers true, at most
   * {@code count} times (or until {@code duration} has passed, when {@code count} is negative).
   * Returns how many ran.
   */
  public int run(int count, Duration duration, IntPredicate action) {
    long start = System.nanoTime();
    long end = count < 0 ? start + duration.toNanos() : Long.MAX_VALUE;
    double interval = 1e9 / rate;
    int i = 0;
    while (count < 0 || i < count) {
      long due = start + (long) (i * interval);
      if (due >= end) {
        break;
      }
      long wait = due - System.nanoTime();
      if (wait < 0) {
        maxLateNanos = Math.max(maxLateNanos, -wait);
      }
      while (wait > 0) { // parkNanos may return early
        LockSupport.parkNanos(wait);
        wait = due - System.nanoTime();
      }
      if (!action.test(i)) {
        return i + 1;
      }
      i++;
    }
    return i;
  }

  /** The most an action started after its due time. */
  public Duration lateness() {
    return Duration.ofNanos(maxLateNanos);
  }
}
