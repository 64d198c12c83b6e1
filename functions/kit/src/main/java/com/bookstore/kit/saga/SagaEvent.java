package com.bookstore.kit.saga;

/**
 * A fact about the saga as a whole, for the wrapping function to publish: {@code order.confirmed},
 * {@code saga.failed}, {@code order.cancelled}, or an alert for an operator.
 */
public sealed interface SagaEvent {

  String sagaId();

  /** Every step succeeded. */
  record Completed(String sagaId) implements SagaEvent {}

  /** A step failed or timed out; compensation is owed. Published as {@code saga.failed}. */
  record Failed(String sagaId, String step, String reason) implements SagaEvent {}

  /** Every completed step was undone; the order is cancelled for this reason. */
  record Compensated(String sagaId, String reason) implements SagaEvent {}

  /**
   * A command that must succeed went unanswered (or was refused) through its whole attempt budget.
   * Nothing is retried on its own any more; this is the alert.
   */
  record Stuck(String sagaId, String step, SagaCommand.Kind kind, int attempts)
      implements SagaEvent {}
}
