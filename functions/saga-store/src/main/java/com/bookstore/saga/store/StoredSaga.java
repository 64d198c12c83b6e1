package com.bookstore.saga.store;

import com.bookstore.events.order.OrderPlaced;
import com.bookstore.kit.saga.SagaState;
import java.time.Instant;
import java.util.Objects;

/**
 * A saga as stored: the engine's state, the order its commands are built from, and the bookkeeping
 * around them.
 *
 * @param lastInput {@code source#id} of the event that made the latest transition (null for an
 *     operator's input): a redelivery of that event replays the transition's output
 * @param updatedAt when the latest transition was stored; for a finished saga, when it finished
 */
public record StoredSaga(
    SagaState state, OrderPlaced order, String lastInput, Instant createdAt, Instant updatedAt) {

  public StoredSaga {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(order, "order");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  public String id() {
    return state.sagaId();
  }
}
