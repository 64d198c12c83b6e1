package com.bookstore.saga.step;

import com.bookstore.events.order.OrderPlaced;
import com.bookstore.kit.saga.SagaState;
import com.bookstore.kit.saga.StepState;
import com.bookstore.saga.store.StoredSaga;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;

/** A saga as the operator API shows it: its state, its steps, and the order it runs for. */
@RegisterForReflection
public record SagaView(
    String sagaId,
    String saga,
    String status,
    String currentStep,
    String failureReason,
    Instant deadline,
    long version,
    List<Step> steps,
    List<String> appliedReplies,
    OrderPlaced order,
    Instant createdAt,
    Instant updatedAt) {

  @RegisterForReflection
  public record Step(String name, String status, int attempts, int compensationAttempts) {}

  static SagaView of(StoredSaga stored) {
    SagaState s = stored.state();
    return new SagaView(
        s.sagaId(),
        s.definitionName(),
        s.status().name(),
        s.currentStep().map(StepState::name).orElse(null),
        s.failureReason(),
        s.deadline(),
        s.version(),
        s.steps().stream()
            .map(
                step ->
                    new Step(
                        step.name(),
                        step.status().name(),
                        step.attempts(),
                        step.compensationAttempts()))
            .toList(),
        s.appliedReplies().stream().sorted().toList(),
        stored.order(),
        stored.createdAt(),
        stored.updatedAt());
  }
}
