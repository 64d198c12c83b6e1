package com.bookstore.kit.saga;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Runs sagas declared by one {@link SagaDefinition}. A pure function of (table, state, input, now):
 * no clock, no I/O, no locks. The wrapping function loads the state, calls one method, stores the
 * new state with optimistic locking on {@link SagaState#version()}, and sends what the transition
 * says. Inputs that must not change anything (duplicates, late replies, early timeouts) come back
 * as {@link Transition#ignored()}, never as exceptions; exceptions here mean a programming error (a
 * state from another table).
 *
 * <p>Forward steps run one at a time. Compensations also run one at a time, newest step first: the
 * next compensation is sent only when the previous one is acknowledged, so "reverse order" is a
 * guarantee across participants rather than an emission order that consumers may overtake.
 */
public final class SagaEngine {

  private final SagaDefinition definition;

  public SagaEngine(SagaDefinition definition) {
    this.definition = Objects.requireNonNull(definition, "definition");
  }

  public SagaDefinition definition() {
    return definition;
  }

  /** A new saga: the first step's command goes out. The state's version is 0 (the insert). */
  public Transition start(String sagaId, Instant now) {
    List<StepState> steps = new ArrayList<>();
    for (StepDefinition step : definition.steps()) {
      steps.add(StepState.pending(step.name()));
    }
    StepState first = steps.get(0).sent();
    steps.set(0, first);
    SagaState state =
        new SagaState(
            sagaId,
            definition.name(),
            SagaStatus.RUNNING,
            0,
            null,
            0,
            steps,
            now.plus(definition.step(0).timeLimit()),
            Set.of());
    return Transition.applied(state, List.of(action(state, 0, first.attempts())), List.of());
  }

  /** A participant's answer to a step's command or to a compensation. */
  public Transition onReply(SagaState state, Reply reply, Instant now) {
    checkBelongs(state);
    if (state.status().isFinished()) {
      return Transition.ignored(
          state, Ignored.Reason.SAGA_FINISHED, "saga is " + state.status() + "; " + reply.type());
    }
    if (state.appliedReplies().contains(reply.key())) {
      return Transition.ignored(
          state, Ignored.Reason.DUPLICATE, reply.type() + " " + reply.key() + " was applied");
    }
    var found = definition.route(reply.type());
    if (found.isEmpty()) {
      return Transition.ignored(
          state,
          Ignored.Reason.UNKNOWN_REPLY_TYPE,
          reply.type() + " is not a reply in saga '" + definition.name() + "'");
    }
    SagaDefinition.Route route = found.get();
    int index = route.step();
    StepState step = state.steps().get(index);
    switch (route.role()) {
      case STEP_REPLY -> {
        if (step.status() != StepStatus.STARTED) {
          return stepNotAwaited(state, step, reply);
        }
        SagaState applied = state.withApplied(reply.key());
        if (route.action() instanceof ReplyAction.Fail failure) {
          return fail(applied, index, StepStatus.FAILED, failure.reason(), now);
        }
        return advance(applied, index, now);
      }
      case COMPENSATION_ACK -> {
        if (step.status() != StepStatus.COMPENSATING) {
          return compensationNotAwaited(state, step, reply);
        }
        SagaState applied =
            state.withApplied(reply.key()).withStep(index, step.with(StepStatus.COMPENSATED));
        return compensateFrom(applied, index - 1, now);
      }
      case COMPENSATION_RETRY -> {
        if (step.status() != StepStatus.COMPENSATING) {
          return compensationNotAwaited(state, step, reply);
        }
        if (state.status() == SagaStatus.STUCK) {
          // The budget is spent; another refusal is no news. Only resume() sends again.
          return Transition.ignored(
              state,
              Ignored.Reason.SAGA_STUCK,
              step.name() + " compensation refused again after " + step.compensationAttempts());
        }
        return sendAgain(state.withApplied(reply.key()), index, SagaCommand.Kind.COMPENSATION, now);
      }
      default -> throw new IllegalStateException("unhandled role " + route.role());
    }
  }

  /**
   * The sweep's input: if what is in flight is overdue, a forward step that can fail fails (its
   * compensation will be sent, since its participant may have acted), a retriable step or a
   * compensation is sent again within the attempt budget, and a lost hand-off to {@code compensate}
   * is taken over.
   */
  public Transition onTimeout(SagaState state, Instant now) {
    checkBelongs(state);
    if (state.status().isFinished()) {
      return Transition.ignored(state, Ignored.Reason.SAGA_FINISHED, "saga is " + state.status());
    }
    if (state.status() == SagaStatus.STUCK) {
      return Transition.ignored(
          state, Ignored.Reason.SAGA_STUCK, "step " + currentName(state) + " is stuck");
    }
    if (!state.isOverdue(now)) {
      return Transition.ignored(
          state, Ignored.Reason.NOT_DUE, "deadline " + state.deadline() + " is after " + now);
    }
    int index = state.current();
    return switch (state.status()) {
      case RUNNING ->
          definition.step(index).retriable()
              ? sendAgain(state, index, SagaCommand.Kind.ACTION, now)
              : fail(state, index, StepStatus.TIMED_OUT, timeoutReason(index), now);
      case FAILED -> compensateFrom(state, index, now);
      case COMPENSATING -> sendAgain(state, index, SagaCommand.Kind.COMPENSATION, now);
      default -> throw new IllegalStateException("no deadline expected in " + state.status());
    };
  }

  /**
   * Begins compensating a {@link SagaStatus#FAILED} saga (what {@code compensate} does on {@code
   * saga.failed}): the newest step that may have acted and has a compensation is undone first. A
   * saga with nothing to undo is compensated at once.
   */
  public Transition compensate(SagaState state, Instant now) {
    checkBelongs(state);
    if (state.status() != SagaStatus.FAILED) {
      return Transition.ignored(
          state, Ignored.Reason.NOT_FAILED, "saga is " + state.status() + ", not FAILED");
    }
    return compensateFrom(state, state.current(), now);
  }

  /**
   * An operator's answer to a stuck saga, once the cause is fixed: one more attempt of the stuck
   * command, beyond the budget. Attempt numbers keep counting, so the participant can tell.
   */
  public Transition resume(SagaState state, Instant now) {
    checkBelongs(state);
    if (state.status() != SagaStatus.STUCK) {
      return Transition.ignored(
          state, Ignored.Reason.NOT_STUCK, "saga is " + state.status() + ", not STUCK");
    }
    int index = state.current();
    SagaCommand.Kind kind =
        state.steps().get(index).status() == StepStatus.COMPENSATING
            ? SagaCommand.Kind.COMPENSATION
            : SagaCommand.Kind.ACTION;
    return send(state, index, kind, now);
  }

  private Transition advance(SagaState state, int index, Instant now) {
    SagaState s = state.withStep(index, state.steps().get(index).with(StepStatus.SUCCEEDED));
    int next = index + 1;
    if (next == definition.steps().size()) {
      return Transition.applied(
          s.next(SagaStatus.COMPLETED, -1, null),
          List.of(),
          List.of(new SagaEvent.Completed(s.sagaId())));
    }
    StepState started = s.steps().get(next).sent();
    s =
        s.withStep(next, started)
            .next(SagaStatus.RUNNING, next, now.plus(definition.step(next).timeLimit()));
    return Transition.applied(s, List.of(action(s, next, started.attempts())), List.of());
  }

  /**
   * The saga fails but sends nothing yet: compensation is a separate input ({@link #compensate}),
   * so the deadline here is for that hand-off.
   */
  private Transition fail(
      SagaState state, int index, StepStatus stepOutcome, String reason, Instant now) {
    StepState step = state.steps().get(index);
    SagaState s =
        state
            .withStep(index, step.with(stepOutcome))
            .withFailureReason(reason)
            .next(SagaStatus.FAILED, index, now.plus(definition.step(index).timeLimit()));
    return Transition.applied(
        s, List.of(), List.of(new SagaEvent.Failed(s.sagaId(), step.name(), reason)));
  }

  /**
   * Sends the compensation of the newest step at or before {@code from} that may have acted and has
   * one. A step that failed (the participant refused, so did nothing) or never started is skipped:
   * sending it would be harmless but useless.
   */
  private Transition compensateFrom(SagaState state, int from, Instant now) {
    for (int i = from; i >= 0; i--) {
      StepState step = state.steps().get(i);
      if (step.status().mayHaveActed() && definition.step(i).compensation().isPresent()) {
        return send(state, i, SagaCommand.Kind.COMPENSATION, now);
      }
    }
    SagaState s = state.next(SagaStatus.COMPENSATED, -1, null);
    return Transition.applied(
        s, List.of(), List.of(new SagaEvent.Compensated(s.sagaId(), s.failureReason())));
  }

  /** A retry within the budget, or the saga is stuck when the budget is spent. */
  private Transition sendAgain(SagaState state, int index, SagaCommand.Kind kind, Instant now) {
    StepState step = state.steps().get(index);
    int attempts = kind == SagaCommand.Kind.ACTION ? step.attempts() : step.compensationAttempts();
    if (attempts >= definition.maxAttempts()) {
      SagaState s = state.next(SagaStatus.STUCK, index, null);
      return Transition.applied(
          s, List.of(), List.of(new SagaEvent.Stuck(s.sagaId(), step.name(), kind, attempts)));
    }
    return send(state, index, kind, now);
  }

  private Transition send(SagaState state, int index, SagaCommand.Kind kind, Instant now) {
    StepState step = state.steps().get(index);
    Instant deadline = now.plus(definition.step(index).timeLimit());
    if (kind == SagaCommand.Kind.ACTION) {
      StepState sent = step.sent();
      SagaState s = state.withStep(index, sent).next(SagaStatus.RUNNING, index, deadline);
      return Transition.applied(s, List.of(action(s, index, sent.attempts())), List.of());
    }
    StepState sent = step.compensationSent();
    SagaState s = state.withStep(index, sent).next(SagaStatus.COMPENSATING, index, deadline);
    SagaCommand command =
        new SagaCommand(
            s.sagaId(),
            step.name(),
            SagaCommand.Kind.COMPENSATION,
            definition.step(index).compensation().orElseThrow().command(),
            sent.compensationAttempts());
    return Transition.applied(s, List.of(command), List.of());
  }

  private SagaCommand action(SagaState state, int index, int attempt) {
    StepDefinition step = definition.step(index);
    return new SagaCommand(
        state.sagaId(), step.name(), SagaCommand.Kind.ACTION, step.command(), attempt);
  }

  private static Transition stepNotAwaited(SagaState state, StepState step, Reply reply) {
    Ignored.Reason reason =
        step.status() == StepStatus.PENDING
            ? Ignored.Reason.UNEXPECTED_REPLY
            : Ignored.Reason.LATE_REPLY;
    return Transition.ignored(
        state, reason, reply.type() + " for step " + step.name() + " which is " + step.status());
  }

  private static Transition compensationNotAwaited(SagaState state, StepState step, Reply reply) {
    Ignored.Reason reason =
        step.status() == StepStatus.COMPENSATED
            ? Ignored.Reason.LATE_REPLY
            : Ignored.Reason.UNEXPECTED_REPLY;
    return Transition.ignored(
        state,
        reason,
        reply.type() + " for the compensation of " + step.name() + " which is " + step.status());
  }

  private String timeoutReason(int index) {
    return definition.step(index).name() + " timed out";
  }

  private static String currentName(SagaState state) {
    return state.currentStep().map(StepState::name).orElse("-");
  }

  /**
   * A state from another table, or from an older version of this one, would be misread step by
   * step. A changed table therefore gets a new name, and the old one keeps running until its sagas
   * are finished.
   */
  private void checkBelongs(SagaState state) {
    Objects.requireNonNull(state, "state");
    List<String> expected = definition.steps().stream().map(StepDefinition::name).toList();
    List<String> actual = state.steps().stream().map(StepState::name).toList();
    if (!state.definitionName().equals(definition.name()) || !expected.equals(actual)) {
      throw new IllegalArgumentException(
          "saga "
              + state.sagaId()
              + " belongs to table '"
              + state.definitionName()
              + "' with steps "
              + actual
              + ", not to '"
              + definition.name()
              + "' with steps "
              + expected);
    }
  }
}
