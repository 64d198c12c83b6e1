package com.bookstore.kit.saga;

import java.util.Objects;

/** What a reply to a step's command does to the saga. */
public sealed interface ReplyAction {

  /** The step succeeded: the saga moves on to the next step, or completes after the last one. */
  record Advance() implements ReplyAction {}

  /**
   * The step was refused: the saga fails with this reason (it ends up in {@code order.cancelled})
   * and the completed steps are compensated.
   */
  record Fail(String reason) implements ReplyAction {
    public Fail {
      Objects.requireNonNull(reason, "reason");
      if (reason.isBlank()) {
        throw new IllegalArgumentException("a failure needs a reason");
      }
    }
  }
}
