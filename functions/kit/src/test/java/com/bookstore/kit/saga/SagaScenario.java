package com.bookstore.kit.saga;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * given / when / expect for one saga, in the spirit of the eventuate saga tests. Every {@code
 * when...} also checks the rules that hold for all inputs, so each test checks them too: an applied
 * input raises the version by exactly one, an ignored one returns the very same state and sends
 * nothing.
 */
final class SagaScenario {

  static final String SAGA_ID = "order-42";
  static final Instant T0 = Instant.parse("2025-01-01T10:00:00Z");

  private final SagaEngine engine;
  private Instant now = T0;
  private SagaState state;
  private Transition last;
  private int replyCounter;

  private SagaScenario(SagaDefinition definition) {
    this.engine = new SagaEngine(definition);
  }

  static SagaScenario given(SagaDefinition definition) {
    return new SagaScenario(definition);
  }

  SagaScenario started() {
    last = engine.start(SAGA_ID, now);
    assertTrue(last.isApplied());
    assertEquals(0, last.state().version(), "a new saga is inserted with version 0");
    state = last.state();
    return this;
  }

  /** Replies in turn, each expected to be applied. */
  SagaScenario afterReplies(String... types) {
    for (String type : types) {
      whenReply(type).expectApplied();
    }
    return this;
  }

  SagaScenario whenReply(String type) {
    return whenReply(type, "participant#" + (++replyCounter));
  }

  SagaScenario whenReply(String type, String key) {
    return apply(s -> engine.onReply(s, new Reply(type, key), now));
  }

  /** Moves the clock, then runs the timeout sweep for this saga. */
  SagaScenario whenTimeoutAfter(Duration elapsed) {
    now = now.plus(elapsed);
    return apply(s -> engine.onTimeout(s, now));
  }

  /** Runs the sweep exactly at the saga's deadline. */
  SagaScenario whenDeadlinePasses() {
    assertNotNull(state.deadline(), "no deadline to pass in " + state.status());
    now = state.deadline();
    return apply(s -> engine.onTimeout(s, now));
  }

  SagaScenario whenCompensate() {
    return apply(s -> engine.compensate(s, now));
  }

  SagaScenario whenResumed() {
    return apply(s -> engine.resume(s, now));
  }

  SagaScenario after(Duration elapsed) {
    now = now.plus(elapsed);
    return this;
  }

  private SagaScenario apply(Function<SagaState, Transition> input) {
    SagaState before = state;
    last = input.apply(before);
    if (last.isApplied()) {
      assertEquals(
          before.version() + 1, last.state().version(), "an applied input raises the version by 1");
    } else {
      assertSame(before, last.state(), "an ignored input leaves the state untouched");
      assertTrue(last.commands().isEmpty() && last.events().isEmpty());
    }
    state = last.state();
    return this;
  }

  SagaScenario expectApplied() {
    assertTrue(last.isApplied(), () -> "expected applied, was " + last.ignored());
    return this;
  }

  SagaScenario expectIgnored(Ignored.Reason reason) {
    assertFalse(last.isApplied(), "expected the input to be ignored");
    assertEquals(reason, last.ignored().orElseThrow().reason(), last.ignored().get().detail());
    return this;
  }

  SagaScenario expectAction(String step, String type, int attempt) {
    return expectCommands(new SagaCommand(SAGA_ID, step, SagaCommand.Kind.ACTION, type, attempt));
  }

  SagaScenario expectCompensation(String step, String type, int attempt) {
    return expectCommands(
        new SagaCommand(SAGA_ID, step, SagaCommand.Kind.COMPENSATION, type, attempt));
  }

  SagaScenario expectCommands(SagaCommand... commands) {
    assertEquals(List.of(commands), last.commands());
    return this;
  }

  SagaScenario expectNoCommand() {
    return expectCommands();
  }

  SagaScenario expectEvents(SagaEvent... events) {
    assertEquals(List.of(events), last.events());
    return this;
  }

  SagaScenario expectStatus(SagaStatus status) {
    assertEquals(status, state.status());
    return this;
  }

  SagaScenario expectStep(String step, StepStatus status) {
    assertEquals(status, state.step(step).status(), "status of step " + step);
    return this;
  }

  SagaScenario expectDeadlineIn(Duration limit) {
    assertEquals(now.plus(limit), state.deadline());
    return this;
  }

  SagaScenario expectNoDeadline() {
    assertEquals(null, state.deadline());
    return this;
  }

  SagaState state() {
    return state;
  }

  Transition last() {
    return last;
  }

  Instant now() {
    return now;
  }
}
