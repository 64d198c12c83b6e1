package com.bookstore.kit.saga;

/** Where one step of a saga stands. */
public enum StepStatus {
  /** Not started (and, once the saga fails, never will be). */
  PENDING,
  /** Its command was sent; waiting for a reply. */
  STARTED,
  /** The participant answered with a reply that advances the saga. */
  SUCCEEDED,
  /**
   * The participant answered with a reply that fails the saga: a business refusal, which means it
   * did not act, so there is nothing to compensate for this step.
   */
  FAILED,
  /**
   * No reply before the deadline. The participant may or may not have acted (the classic timeout
   * ambiguity), so the step's compensation is sent like a succeeded step's; compensations succeed
   * even when the step never happened.
   */
  TIMED_OUT,
  /** Its compensating command was sent; waiting for the acknowledgement. */
  COMPENSATING,
  /** Its compensation was acknowledged. */
  COMPENSATED;

  /** Whether the participant may have acted, so a compensation (if the step has one) is owed. */
  boolean mayHaveActed() {
    return this == SUCCEEDED || this == TIMED_OUT;
  }
}
