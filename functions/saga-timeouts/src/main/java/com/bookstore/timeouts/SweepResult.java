package com.bookstore.timeouts;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What one sweep did: how many {@code saga.deadline-passed}, {@code stock.expire} and {@code
 * delivery.pickup-overdue} it wrote, or that it skipped because another sweep (another replica)
 * held the lock. The body of {@code POST /sweep}'s answer (written by Jackson, hence registered for
 * native images).
 */
@RegisterForReflection
public record SweepResult(int sagasOverdue, int holdsExpired, int pickupsOverdue, boolean skipped) {

  public static final SweepResult SKIPPED = new SweepResult(0, 0, 0, true);

  public boolean foundSomething() {
    return sagasOverdue > 0 || holdsExpired > 0 || pickupsOverdue > 0;
  }
}
