package com.bookstore.kit.saga;

import java.util.Objects;

/**
 * Why an input changed nothing. At-least-once delivery makes these normal, so they are answers, not
 * exceptions: the function acknowledges the event and logs the reason.
 */
public record Ignored(Reason reason, String detail) {

  public enum Reason {
    /** This reply was applied before (redelivery). */
    DUPLICATE,
    /** The saga is completed or compensated; nothing can change it. */
    SAGA_FINISHED,
    /**
     * The step's outcome was already decided: it succeeded, failed, timed out, or its compensation
     * was already acknowledged. Typical: a participant answering after the deadline, or answering a
     * retry as well as the first attempt.
     */
    LATE_REPLY,
    /**
     * The reply answers something that was never asked (a step not started, a compensation not
     * sent).
     */
    UNEXPECTED_REPLY,
    /**
     * The type is not in this saga's table: a routing mistake, not an at-least-once effect. The
     * function should dead-letter the event rather than acknowledge it.
     */
    UNKNOWN_REPLY_TYPE,
    /** A timeout check before the deadline (the sweep is early, or a reply moved the deadline). */
    NOT_DUE,
    /** The saga is stuck: only a late reply or {@link SagaEngine#resume} moves it. */
    SAGA_STUCK,
    /** Compensation was asked for a saga that is not waiting for it (not in {@code FAILED}). */
    NOT_FAILED,
    /** An operator's resume for a saga that is not stuck. */
    NOT_STUCK
  }

  public Ignored {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(detail, "detail");
  }
}
