package com.bookstore.kit.saga;

import java.util.Locale;
import java.util.Objects;

/**
 * A command the wrapping function must send. The data of the CloudEvent (what to reserve, how much
 * to charge) is the function's business: it knows the order; the engine only knows the table.
 *
 * @param attempt 1 for the first send, then +1 on every retry; participants may log it
 */
public record SagaCommand(String sagaId, String step, Kind kind, String type, int attempt) {

  public enum Kind {
    /** A step's own command, moving the saga forward. */
    ACTION,
    /** The command that undoes a step. */
    COMPENSATION
  }

  public SagaCommand {
    Objects.requireNonNull(sagaId, "sagaId");
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(type, "type");
  }

  /**
   * A CloudEvent id that is the same every time this very send is computed. If the function crashes
   * or loses the optimistic lock after sending and computes the transition again, the participant
   * sees the same id and its idempotency key absorbs the second copy; a retry is a new attempt and
   * so a new id.
   */
  public String eventId() {
    return sagaId + ":" + step + ":" + kind.name().toLowerCase(Locale.ROOT) + ":" + attempt;
  }
}
