package com.bookstore.kit;

import java.util.List;

/**
 * The one technical failure type. Business outcomes are events, never exceptions; this is for what
 * went wrong around them. The kind decides between retry and dead letter.
 */
public final class FunctionException extends RuntimeException {

  public enum Kind {
    /**
     * The event itself is wrong: answered 4xx over HTTP, dead-lettered from Kafka, never retried.
     */
    BAD_EVENT(false),
    /** A dependency hiccup (Redis, PostgreSQL, Kafka, a concurrent delivery): try again later. */
    RETRYABLE(true),
    /** A failure retrying will not fix. */
    FATAL(false);

    private final boolean retryable;

    Kind(boolean retryable) {
      this.retryable = retryable;
    }

    public boolean retryable() {
      return retryable;
    }
  }

  private final Kind kind;
  private final Problem problem;

  private FunctionException(Kind kind, Problem problem, Throwable cause) {
    super(problem.summary(), cause);
    this.kind = kind;
    this.problem = problem;
  }

  public static FunctionException badEvent(Problem problem) {
    return new FunctionException(Kind.BAD_EVENT, problem, null);
  }

  public static FunctionException badEvent(
      Problem.Kind kind, String detail, Problem.FieldError... errors) {
    return badEvent(Problem.of(kind, detail, List.of(errors)));
  }

  public static FunctionException retryable(String detail, Throwable cause) {
    return new FunctionException(
        Kind.RETRYABLE, Problem.of(Problem.Kind.UNAVAILABLE, detail), cause);
  }

  public static FunctionException inProgress(String detail) {
    return new FunctionException(
        Kind.RETRYABLE, Problem.of(Problem.Kind.IN_PROGRESS, detail), null);
  }

  /**
   * A CloudEvent's {@code source} and {@code id} name one event, yet this delivery's content (type
   * or data) differs from the first one's. Not a duplicate to answer from the ledger, and no retry
   * makes it one: the sender reused an id.
   */
  public static FunctionException idReused(String source, String id) {
    return badEvent(
        Problem.of(
            Problem.Kind.ID_REUSED,
            "event "
                + id
                + " from "
                + source
                + " was delivered before with other content: its type or data differ from the"
                + " first delivery's, and source + id must name one event",
            List.of(new Problem.FieldError("attribute", "id", "already used for other content"))));
  }

  public static FunctionException fatal(String detail, Throwable cause) {
    return new FunctionException(Kind.FATAL, Problem.of(Problem.Kind.INTERNAL, detail), cause);
  }

  /** Classifies any failure: ours keep their kind; anything else is retryable once wrapped. */
  public static FunctionException classify(Throwable failure) {
    if (failure instanceof FunctionException fe) {
      return fe;
    }
    return retryable(
        failure.getClass().getSimpleName() + ": " + String.valueOf(failure.getMessage()), failure);
  }

  public Kind kind() {
    return kind;
  }

  public Problem problem() {
    return problem;
  }

  public boolean isRetryable() {
    return kind.retryable();
  }
}
