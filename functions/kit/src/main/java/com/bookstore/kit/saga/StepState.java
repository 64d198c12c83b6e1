package com.bookstore.kit.saga;

import java.util.Objects;

/**
 * One step of one saga: a row of the {@code saga_step} table.
 *
 * @param attempts how many times the step's command was sent (0 while pending)
 * @param compensationAttempts how many times its compensating command was sent
 */
public record StepState(String name, StepStatus status, int attempts, int compensationAttempts) {

  public StepState {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(status, "status");
    if (attempts < 0 || compensationAttempts < 0) {
      throw new IllegalArgumentException("attempts cannot be negative");
    }
  }

  static StepState pending(String name) {
    return new StepState(name, StepStatus.PENDING, 0, 0);
  }

  StepState with(StepStatus newStatus) {
    return new StepState(name, newStatus, attempts, compensationAttempts);
  }

  StepState sent() {
    return new StepState(name, StepStatus.STARTED, attempts + 1, compensationAttempts);
  }

  StepState compensationSent() {
    return new StepState(name, StepStatus.COMPENSATING, attempts, compensationAttempts + 1);
  }
}
