package com.bookstore.kit.saga;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one input did: the state to store, the commands to send and the facts to publish, or why it
 * changed nothing. An ignored transition carries the unchanged state (same version), so the
 * function writes nothing.
 */
public record Transition(
    SagaState state,
    List<SagaCommand> commands,
    List<SagaEvent> events,
    Optional<Ignored> ignored) {

  public Transition {
    Objects.requireNonNull(state, "state");
    commands = List.copyOf(commands);
    events = List.copyOf(events);
    Objects.requireNonNull(ignored, "ignored");
    if (ignored.isPresent() && (!commands.isEmpty() || !events.isEmpty())) {
      throw new IllegalArgumentException("an ignored input sends and publishes nothing");
    }
  }

  static Transition applied(SagaState state, List<SagaCommand> commands, List<SagaEvent> events) {
    return new Transition(state, commands, events, Optional.empty());
  }

  static Transition ignored(SagaState state, Ignored.Reason reason, String detail) {
    return new Transition(state, List.of(), List.of(), Optional.of(new Ignored(reason, detail)));
  }

  public boolean isApplied() {
    return ignored.isEmpty();
  }
}
