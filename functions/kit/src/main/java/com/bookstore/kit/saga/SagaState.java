package com.bookstore.kit.saga;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One saga instance, exactly what the wrapping function stores (a {@code saga} row and its {@code
 * saga_step} rows). Immutable: the engine returns a new state, the function writes it with {@code
 * ... where id = :sagaId and version = :previousVersion}.
 *
 * <p>Only one thing is ever in flight (one forward command, or one compensation, or the hand-off to
 * {@code compensate}), so one deadline per saga is enough, and it is a column that the timeout
 * sweep can index.
 *
 * @param current index of the step in flight (the one sent, failed, being compensated or stuck); -1
 *     once the saga is finished
 * @param failureReason why the saga failed, from the table ({@code fail("out-of-stock")}) or a
 *     timeout; null while nothing failed
 * @param version optimistic-lock counter: 0 when started, +1 on every applied input, never on an
 *     ignored one
 * @param deadline when the thing in flight is overdue; null when nothing waits (finished or stuck)
 * @param appliedReplies keys of the replies already applied, so a redelivered reply is recognised
 *     even after Redis forgot its idempotency key
 */
public record SagaState(
    String sagaId,
    String definitionName,
    SagaStatus status,
    int current,
    String failureReason,
    long version,
    List<StepState> steps,
    Instant deadline,
    Set<String> appliedReplies) {

  public SagaState {
    Objects.requireNonNull(sagaId, "sagaId");
    Objects.requireNonNull(definitionName, "definitionName");
    Objects.requireNonNull(status, "status");
    steps = List.copyOf(steps);
    appliedReplies = Set.copyOf(appliedReplies);
    if (current < -1 || current >= steps.size()) {
      throw new IllegalArgumentException("current step " + current + " is out of range");
    }
  }

  public StepState step(String name) {
    return steps.stream()
        .filter(s -> s.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no step '" + name + "' in " + sagaId));
  }

  /** The step in flight, if any. */
  public Optional<StepState> currentStep() {
    return current < 0 ? Optional.empty() : Optional.of(steps.get(current));
  }

  /** Whether the timeout sweep should look at this saga at {@code now}. */
  public boolean isOverdue(Instant now) {
    return deadline != null && !now.isBefore(deadline);
  }

  SagaState next(SagaStatus newStatus, int newCurrent, Instant newDeadline) {
    return new SagaState(
        sagaId,
        definitionName,
        newStatus,
        newCurrent,
        failureReason,
        version + 1,
        steps,
        newDeadline,
        appliedReplies);
  }

  SagaState withStep(int index, StepState step) {
    List<StepState> changed = new ArrayList<>(steps);
    changed.set(index, step);
    return new SagaState(
        sagaId,
        definitionName,
        status,
        current,
        failureReason,
        version,
        changed,
        deadline,
        appliedReplies);
  }

  SagaState withFailureReason(String reason) {
    return new SagaState(
        sagaId, definitionName, status, current, reason, version, steps, deadline, appliedReplies);
  }

  SagaState withApplied(String replyKey) {
    Set<String> more = new HashSet<>(appliedReplies);
    more.add(replyKey);
    return new SagaState(
        sagaId, definitionName, status, current, failureReason, version, steps, deadline, more);
  }
}
