package com.bookstore.kit.saga;

/**
 * Where a saga stands. Stored as text next to {@code deadline}, so both the timeout sweep ({@code
 * status in (RUNNING, FAILED, COMPENSATING) and deadline <= now}) and the operator's question
 * "which sagas are stuck?" ({@code status = STUCK}) are one query each.
 */
public enum SagaStatus {
  /** Forward steps are being run, one at a time. */
  RUNNING,
  /**
   * A step failed or timed out; compensation has not begun yet. It is a separate status because
   * {@code saga-step} only announces the failure ({@code saga.failed}) and {@code compensate} takes
   * it from there; the deadline catches a hand-off that got lost.
   */
  FAILED,
  /** Compensating commands are being sent, newest step first, one at a time. */
  COMPENSATING,
  /** Every step succeeded. Terminal. */
  COMPLETED,
  /** Every completed step was undone. Terminal: the order is cancelled with the failure reason. */
  COMPENSATED,
  /**
   * A command that must eventually succeed (a step after the pivot, or a compensation) used up its
   * attempts. Nothing is retried automatically any more; an operator looks at it. Not terminal: a
   * late answer still moves the saga on, and {@link SagaEngine#resume} grants another attempt.
   */
  STUCK;

  public boolean isFinished() {
    return this == COMPLETED || this == COMPENSATED;
  }
}
