package com.bookstore.kit.saga;

import static com.bookstore.kit.saga.SagaScenario.SAGA_ID;
import static com.bookstore.kit.saga.SagaScenario.T0;
import static com.bookstore.kit.saga.SagaScenario.given;
import static com.bookstore.kit.saga.TestSagas.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.bookstore.kit.CloudEvent;
import com.bookstore.kit.saga.Ignored.Reason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SagaEngineTest {

  private static final String[] UP_TO_THE_PIVOT = {
    STOCK_RESERVED, FRAUD_CLEARED, PAYMENT_AUTHORIZED, DELIVERY_SCHEDULED
  };

  /** A compensation the engine is expected to send, and the reply that acknowledges it. */
  record Undo(String step, String command, String acknowledgement) {}

  static final Undo RELEASE_STOCK = new Undo("reserve-stock", STOCK_RELEASE, STOCK_RELEASED);
  static final Undo VOID_PAYMENT = new Undo("authorize-payment", PAYMENT_VOID, PAYMENT_VOIDED);
  static final Undo CANCEL_DELIVERY =
      new Undo("schedule-delivery", DELIVERY_CANCEL, DELIVERY_CANCELLED);

  /** Acknowledges the expected compensations one by one, checking each is sent only in turn. */
  private static SagaScenario expectCompensatedInOrder(
      SagaScenario saga, String reason, List<Undo> undos) {
    for (Undo undo : undos) {
      saga.expectApplied()
          .expectCompensation(undo.step(), undo.command(), 1)
          .expectStatus(SagaStatus.COMPENSATING)
          .expectStep(undo.step(), StepStatus.COMPENSATING)
          .whenReply(undo.acknowledgement())
          .expectStep(undo.step(), StepStatus.COMPENSATED);
    }
    return saga.expectApplied()
        .expectNoCommand()
        .expectEvents(new SagaEvent.Compensated(SAGA_ID, reason))
        .expectStatus(SagaStatus.COMPENSATED)
        .expectNoDeadline();
  }

  @Nested
  class HappyPath {

    @Test
    void startSendsTheFirstStepsCommandWithItsDeadline() {
      SagaScenario saga =
          given(order())
              .started()
              .expectAction("reserve-stock", STOCK_RESERVE, 1)
              .expectEvents()
              .expectStatus(SagaStatus.RUNNING)
              .expectStep("reserve-stock", StepStatus.STARTED)
              .expectStep("check-fraud", StepStatus.PENDING)
              .expectStep("confirm", StepStatus.PENDING)
              .expectDeadlineIn(RESERVE_LIMIT);
      assertEquals("test-order", saga.state().definitionName());
      assertEquals(0, saga.state().current());
      assertTrue(saga.state().appliedReplies().isEmpty());
      assertNull(saga.state().failureReason());
    }

    @Test
    void completesWhenEveryStepSucceedsInTableOrder() {
      SagaScenario saga =
          given(order())
              .started()
              .whenReply(STOCK_RESERVED)
              .expectAction("check-fraud", FRAUD_CHECK, 1)
              .expectStep("reserve-stock", StepStatus.SUCCEEDED)
              .expectStep("check-fraud", StepStatus.STARTED)
              .expectDeadlineIn(FRAUD_LIMIT)
              .whenReply(FRAUD_CLEARED)
              .expectAction("authorize-payment", PAYMENT_AUTHORIZE, 1)
              .expectDeadlineIn(AUTHORIZE_LIMIT)
              .whenReply(PAYMENT_AUTHORIZED)
              .expectAction("schedule-delivery", DELIVERY_REQUEST, 1)
              .expectDeadlineIn(DELIVERY_LIMIT)
              .whenReply(DELIVERY_SCHEDULED)
              .expectAction("commit-stock", STOCK_COMMIT, 1)
              .expectDeadlineIn(FINISH_LIMIT)
              .whenReply(STOCK_COMMITTED)
              .expectAction("capture-payment", PAYMENT_CAPTURE, 1)
              .whenReply(PAYMENT_CAPTURED)
              .expectAction("confirm", ORDER_CONFIRM, 1)
              .expectEvents()
              .expectStatus(SagaStatus.RUNNING)
              .whenReply(ORDER_CONFIRMATION_RECORDED)
              .expectNoCommand()
              .expectEvents(new SagaEvent.Completed(SAGA_ID))
              .expectStatus(SagaStatus.COMPLETED)
              .expectNoDeadline();
      SagaState done = saga.state();
      assertTrue(done.steps().stream().allMatch(s -> s.status() == StepStatus.SUCCEEDED));
      assertTrue(done.steps().stream().allMatch(s -> s.attempts() == 1));
      assertEquals(-1, done.current());
      assertEquals(7, done.version());
      assertEquals(7, done.appliedReplies().size());
      assertNull(done.failureReason());
    }

    @Test
    void sameInputOnSameStateGivesTheSameCommandsWithTheSameEventIds() {
      SagaEngine engine = new SagaEngine(order());
      Transition first = engine.start(SAGA_ID, T0);
      Transition again = engine.start(SAGA_ID, T0);
      assertEquals(first, again);
      assertEquals(
          first.commands().get(0).eventId(), again.commands().get(0).eventId(), "a replay");
      assertEquals("order-42:reserve-stock:action:1", first.commands().get(0).eventId());
    }
  }

  @Nested
  class Failure {

    static Stream<Arguments> failureAtEachStep() {
      return Stream.of(
          arguments(List.of(), STOCK_REJECTED, "reserve-stock", "out-of-stock", List.of()),
          arguments(
              List.of(STOCK_RESERVED),
              FRAUD_SUSPECTED,
              "check-fraud",
              "fraud-suspected",
              List.of(RELEASE_STOCK)),
          arguments(
              List.of(STOCK_RESERVED, FRAUD_CLEARED),
              PAYMENT_DECLINED,
              "authorize-payment",
              "payment-declined",
              List.of(RELEASE_STOCK)),
          arguments(
              List.of(STOCK_RESERVED, FRAUD_CLEARED, PAYMENT_AUTHORIZED),
              DELIVERY_UNAVAILABLE,
              "schedule-delivery",
              "no-courier",
              List.of(VOID_PAYMENT, RELEASE_STOCK)));
    }

    @ParameterizedTest(name = "{1} at {2} undoes {4}")
    @MethodSource("failureAtEachStep")
    void failureReplyCompensatesExactlyTheCompletedStepsInReverseOrder(
        List<String> before, String refusal, String failedStep, String reason, List<Undo> undos) {
      SagaScenario saga =
          given(order())
              .started()
              .afterReplies(before.toArray(String[]::new))
              .whenReply(refusal)
              .expectNoCommand()
              .expectEvents(new SagaEvent.Failed(SAGA_ID, failedStep, reason))
              .expectStatus(SagaStatus.FAILED)
              .expectStep(failedStep, StepStatus.FAILED);
      assertEquals(reason, saga.state().failureReason());

      expectCompensatedInOrder(saga.whenCompensate(), reason, undos);

      // Exactly the completed steps were undone; the refused one and the later ones were not.
      Map<String, StepStatus> expected = new LinkedHashMap<>();
      boolean reached = false;
      for (StepDefinition step : order().steps()) {
        String name = step.name();
        boolean undone = undos.stream().anyMatch(u -> u.step().equals(name));
        if (name.equals(failedStep)) {
          reached = true;
          expected.put(name, StepStatus.FAILED);
        } else if (reached) {
          expected.put(name, StepStatus.PENDING);
        } else {
          expected.put(name, undone ? StepStatus.COMPENSATED : StepStatus.SUCCEEDED);
        }
      }
      Map<String, StepStatus> actual = new LinkedHashMap<>();
      saga.state().steps().forEach(s -> actual.put(s.name(), s.status()));
      assertEquals(expected, actual);
      assertEquals(reason, saga.state().failureReason(), "the reason survives to order.cancelled");
    }

    @Test
    void failedSagaWaitsForCompensateWithAHandOffDeadline() {
      given(order())
          .started()
          .afterReplies(STOCK_RESERVED, FRAUD_CLEARED)
          .whenReply(PAYMENT_DECLINED)
          .expectNoCommand()
          .expectStatus(SagaStatus.FAILED)
          .expectDeadlineIn(AUTHORIZE_LIMIT);
    }

    @Test
    void lostHandOffToCompensateIsTakenOverByTheTimeoutSweep() {
      given(order())
          .started()
          .afterReplies(STOCK_RESERVED, FRAUD_CLEARED)
          .whenReply(PAYMENT_DECLINED)
          .whenTimeoutAfter(AUTHORIZE_LIMIT.minusSeconds(1))
          .expectIgnored(Reason.NOT_DUE)
          .whenDeadlinePasses()
          .expectApplied()
          .expectCompensation("reserve-stock", STOCK_RELEASE, 1)
          .expectStatus(SagaStatus.COMPENSATING)
          // saga.failed finally reaches compensate: the sweep already did its work.
          .whenCompensate()
          .expectIgnored(Reason.NOT_FAILED);
    }

    @Test
    void compensationsGoOutOneAtATimeSoAnEarlierAcknowledgementIsUnexpected() {
      given(order())
          .started()
          .afterReplies(STOCK_RESERVED, FRAUD_CLEARED, PAYMENT_AUTHORIZED)
          .whenReply(DELIVERY_UNAVAILABLE)
          .whenCompensate()
          .expectCompensation("authorize-payment", PAYMENT_VOID, 1)
          .expectStep("reserve-stock", StepStatus.SUCCEEDED)
          .whenReply(STOCK_RELEASED)
          .expectIgnored(Reason.UNEXPECTED_REPLY)
          .whenReply(PAYMENT_VOIDED)
          .expectCompensation("reserve-stock", STOCK_RELEASE, 1);
    }

    @Test
    void compensateIsIgnoredUnlessTheSagaFailed() {
      given(order()).started().whenCompensate().expectIgnored(Reason.NOT_FAILED);
    }
  }

  @Nested
  class Timeouts {

    static Stream<Arguments> timeoutOfEachStepThatCanFail() {
      return Stream.of(
          arguments(List.of(), "reserve-stock", List.of(RELEASE_STOCK)),
          // check-fraud has nothing to undo, but the step before it still does.
          arguments(List.of(STOCK_RESERVED), "check-fraud", List.of(RELEASE_STOCK)),
          arguments(
              List.of(STOCK_RESERVED, FRAUD_CLEARED),
              "authorize-payment",
              List.of(VOID_PAYMENT, RELEASE_STOCK)),
          arguments(
              List.of(STOCK_RESERVED, FRAUD_CLEARED, PAYMENT_AUTHORIZED),
              "schedule-delivery",
              List.of(CANCEL_DELIVERY, VOID_PAYMENT, RELEASE_STOCK)));
    }

    @ParameterizedTest(name = "{1} timing out undoes {2}")
    @MethodSource("timeoutOfEachStepThatCanFail")
    void timeoutOfTheCurrentStepCompensatesItTooBecauseItsParticipantMayHaveActed(
        List<String> before, String timedOut, List<Undo> undos) {
      String reason = timedOut + " timed out";
      SagaScenario saga =
          given(order())
              .started()
              .afterReplies(before.toArray(String[]::new))
              .whenDeadlinePasses()
              .expectNoCommand()
              .expectEvents(new SagaEvent.Failed(SAGA_ID, timedOut, reason))
              .expectStatus(SagaStatus.FAILED)
              .expectStep(timedOut, StepStatus.TIMED_OUT);
      expectCompensatedInOrder(saga.whenCompensate(), reason, undos);
      if (undos.stream().noneMatch(u -> u.step().equals(timedOut))) {
        saga.expectStep(timedOut, StepStatus.TIMED_OUT);
      }
    }

    @Test
    void timeoutBeforeTheDeadlineChangesNothing() {
      given(order())
          .started()
          .whenTimeoutAfter(RESERVE_LIMIT.minusMillis(1))
          .expectIgnored(Reason.NOT_DUE)
          .expectStep("reserve-stock", StepStatus.STARTED);
    }

    @Test
    void aReplyMovesTheDeadlineSoTheOldOneNoLongerFires() {
      given(order())
          .started()
          .after(RESERVE_LIMIT.minusSeconds(1))
          .whenReply(STOCK_RESERVED)
          .expectDeadlineIn(FRAUD_LIMIT)
          .whenTimeoutAfter(Duration.ofSeconds(1))
          .expectIgnored(Reason.NOT_DUE);
    }

    @Test
    void lateSuccessForATimedOutStepIsIgnoredAndItsCompensationIsStillSent() {
      given(order())
          .started()
          .afterReplies(STOCK_RESERVED, FRAUD_CLEARED, PAYMENT_AUTHORIZED)
          .whenDeadlinePasses()
          .expectStep("schedule-delivery", StepStatus.TIMED_OUT)
          .whenReply(DELIVERY_SCHEDULED)
          .expectIgnored(Reason.LATE_REPLY)
          .whenCompensate()
          .expectCompensation("schedule-delivery", DELIVERY_CANCEL, 1);
    }

    @Test
    void lateSuccessWhileItsCompensationIsInFlightIsIgnoredAndTheCompensationContinues() {
      given(order())
          .started()
          .afterReplies(STOCK_RESERVED, FRAUD_CLEARED, PAYMENT_AUTHORIZED)
          .whenDeadlinePasses()
          .whenCompensate()
          .expectCompensation("schedule-delivery", DELIVERY_CANCEL, 1)
          .whenReply(DELIVERY_SCHEDULED)
          .expectIgnored(Reason.LATE_REPLY)
          .expectStep("schedule-delivery", StepStatus.COMPENSATING)
          .whenReply(DELIVERY_CANCELLED)
          .expectCompensation("authorize-payment", PAYMENT_VOID, 1);
    }

    @Test
    void lateSuccessAfterItsCompensationWasAcknowledgedIsIgnored() {
      given(order())
          .started()
          .whenDeadlinePasses()
          .whenCompensate()
          .whenReply(STOCK_RELEASED)
          .expectStatus(SagaStatus.COMPENSATED)
          .whenReply(STOCK_RESERVED)
          .expectIgnored(Reason.SAGA_FINISHED);
    }

    @Test
    void lateRefusalForATimedOutStepIsIgnoredAndItsCompensationIsStillSent() {
      // The refusal says the participant did nothing, but the timeout already decided the step;
      // sending the compensation anyway is harmless (compensations succeed when the step never
      // happened), guessing is not.
      SagaScenario saga =
          given(order())
              .started()
              .afterReplies(STOCK_RESERVED, FRAUD_CLEARED)
              .whenDeadlinePasses()
              .whenReply(PAYMENT_DECLINED)
              .expectIgnored(Reason.LATE_REPLY)
              .expectStep("authorize-payment", StepStatus.TIMED_OUT)
              .expectStatus(SagaStatus.FAILED);
      assertEquals("authorize-payment timed out", saga.state().failureReason());
      saga.whenCompensate().expectCompensation("authorize-payment", PAYMENT_VOID, 1);
    }
  }

  @Nested
  class AfterThePivot {

    @Test
    void retriableStepIsSentAgainOnTimeoutWithTheNextAttempt() {
      given(order())
          .started()
          .afterReplies(UP_TO_THE_PIVOT)
          .whenDeadlinePasses()
          .expectAction("commit-stock", STOCK_COMMIT, 2)
          .expectEvents()
          .expectStatus(SagaStatus.RUNNING)
          .expectStep("commit-stock", StepStatus.STARTED)
          .expectDeadlineIn(FINISH_LIMIT)
          .whenDeadlinePasses()
          .expectAction("commit-stock", STOCK_COMMIT, 3);
    }

    @Test
    void retriableStepIsStuckOnceItsAttemptsAreUsedUp() {
      SagaScenario saga =
          given(order()).started().afterReplies(UP_TO_THE_PIVOT).whenDeadlinePasses();
      saga.whenDeadlinePasses()
          .whenDeadlinePasses()
          .expectApplied()
          .expectNoCommand()
          .expectEvents(
              new SagaEvent.Stuck(SAGA_ID, "commit-stock", SagaCommand.Kind.ACTION, MAX_ATTEMPTS))
          .expectStatus(SagaStatus.STUCK)
          .expectStep("commit-stock", StepStatus.STARTED)
          .expectNoDeadline()
          .whenTimeoutAfter(Duration.ofDays(1))
          .expectIgnored(Reason.SAGA_STUCK);
      assertEquals("commit-stock", saga.state().currentStep().orElseThrow().name());
    }

    @Test
    void lateReplyUnsticksARetriableStep() {
      given(order())
          .started()
          .afterReplies(UP_TO_THE_PIVOT)
          .whenDeadlinePasses()
          .whenDeadlinePasses()
          .whenDeadlinePasses()
          .expectStatus(SagaStatus.STUCK)
          .whenReply(STOCK_COMMITTED)
          .expectApplied()
          .expectAction("capture-payment", PAYMENT_CAPTURE, 1)
          .expectStatus(SagaStatus.RUNNING)
          .expectDeadlineIn(FINISH_LIMIT);
    }

    @Test
    void answersToTwoAttemptsAdvanceTheSagaOnce() {
      given(order())
          .started()
          .afterReplies(UP_TO_THE_PIVOT)
          .whenDeadlinePasses()
          .expectAction("commit-stock", STOCK_COMMIT, 2)
          .whenReply(STOCK_COMMITTED, "reserve-stock#answer-to-attempt-1")
          .expectAction("capture-payment", PAYMENT_CAPTURE, 1)
          .whenReply(STOCK_COMMITTED, "reserve-stock#answer-to-attempt-2")
          .expectIgnored(Reason.LATE_REPLY);
    }

    @Test
    void resumeGivesAStuckStepOneMoreAttempt() {
      given(order())
          .started()
          .afterReplies(UP_TO_THE_PIVOT)
          .whenDeadlinePasses()
          .whenDeadlinePasses()
          .whenDeadlinePasses()
          .expectStatus(SagaStatus.STUCK)
          .whenResumed()
          .expectAction("commit-stock", STOCK_COMMIT, MAX_ATTEMPTS + 1)
          .expectStatus(SagaStatus.RUNNING)
          .expectDeadlineIn(FINISH_LIMIT)
          .whenDeadlinePasses()
          .expectStatus(SagaStatus.STUCK)
          .expectEvents(
              new SagaEvent.Stuck(
                  SAGA_ID, "commit-stock", SagaCommand.Kind.ACTION, MAX_ATTEMPTS + 1));
    }

    @Test
    void resumeIsIgnoredUnlessTheSagaIsStuck() {
      given(order()).started().whenResumed().expectIgnored(Reason.NOT_STUCK);
    }

    @Test
    void aSingleAttemptBudgetMakesTheFirstTimeoutStick() {
      SagaDefinition once =
          SagaDefinition.named("once")
              .maxAttempts(1)
              .step("commit")
              .invoke("test.commit.v1")
              .onReply("test.committed.v1", SagaDefinition.advance())
              .retriable()
              .timeLimit(Duration.ofSeconds(1))
              .build();
      given(once)
          .started()
          .whenDeadlinePasses()
          .expectStatus(SagaStatus.STUCK)
          .expectNoCommand()
          .expectEvents(new SagaEvent.Stuck(SAGA_ID, "commit", SagaCommand.Kind.ACTION, 1));
    }
  }

  @Nested
  class CompensationRetries {

    /** Failed at schedule-delivery, compensating authorize-payment (attempt 1). */
    private SagaScenario voidingPayment() {
      return given(order())
          .started()
          .afterReplies(STOCK_RESERVED, FRAUD_CLEARED, PAYMENT_AUTHORIZED)
          .whenReply(DELIVERY_UNAVAILABLE)
          .whenCompensate()
          .expectCompensation("authorize-payment", PAYMENT_VOID, 1);
    }

    @Test
    void overdueAcknowledgementSendsTheCompensationAgainWithTheNextAttempt() {
      voidingPayment()
          .whenTimeoutAfter(AUTHORIZE_LIMIT.minusMillis(1))
          .expectIgnored(Reason.NOT_DUE)
          .whenDeadlinePasses()
          .expectCompensation("authorize-payment", PAYMENT_VOID, 2)
          .expectStatus(SagaStatus.COMPENSATING)
          .expectDeadlineIn(AUTHORIZE_LIMIT)
          .whenDeadlinePasses()
          .expectCompensation("authorize-payment", PAYMENT_VOID, 3);
    }

    @Test
    void compensationIsStuckOnceItsAttemptsAreUsedUp() {
      voidingPayment()
          .whenDeadlinePasses()
          .whenDeadlinePasses()
          .whenDeadlinePasses()
          .expectApplied()
          .expectNoCommand()
          .expectEvents(
              new SagaEvent.Stuck(
                  SAGA_ID, "authorize-payment", SagaCommand.Kind.COMPENSATION, MAX_ATTEMPTS))
          .expectStatus(SagaStatus.STUCK)
          .expectStep("authorize-payment", StepStatus.COMPENSATING)
          .expectNoDeadline()
          .whenTimeoutAfter(Duration.ofDays(1))
          .expectIgnored(Reason.SAGA_STUCK);
    }

    @Test
    void refusedCompensationIsSentAgainAtOnce() {
      voidingPayment()
          .after(Duration.ofSeconds(3))
          .whenReply(PAYMENT_VOID_FAILED)
          .expectCompensation("authorize-payment", PAYMENT_VOID, 2)
          .expectStatus(SagaStatus.COMPENSATING)
          .expectDeadlineIn(AUTHORIZE_LIMIT);
    }

    @Test
    void compensationRefusedThroughItsWholeBudgetIsStuckAndFurtherRefusalsAreNoNews() {
      voidingPayment()
          .whenReply(PAYMENT_VOID_FAILED)
          .whenReply(PAYMENT_VOID_FAILED)
          .expectCompensation("authorize-payment", PAYMENT_VOID, 3)
          .whenReply(PAYMENT_VOID_FAILED)
          .expectStatus(SagaStatus.STUCK)
          .expectEvents(
              new SagaEvent.Stuck(
                  SAGA_ID, "authorize-payment", SagaCommand.Kind.COMPENSATION, MAX_ATTEMPTS))
          .whenReply(PAYMENT_VOID_FAILED)
          .expectIgnored(Reason.SAGA_STUCK);
    }

    @Test
    void lateAcknowledgementUnsticksTheCompensationAndTheNextOneStartsAtAttemptOne() {
      expectCompensatedInOrder(
          voidingPayment()
              .whenDeadlinePasses()
              .whenDeadlinePasses()
              .whenDeadlinePasses()
              .expectStatus(SagaStatus.STUCK)
              .whenReply(PAYMENT_VOIDED)
              .expectStep("authorize-payment", StepStatus.COMPENSATED),
          "no-courier",
          List.of(RELEASE_STOCK));
    }

    @Test
    void resumeGivesAStuckCompensationOneMoreAttempt() {
      voidingPayment()
          .whenReply(PAYMENT_VOID_FAILED)
          .whenReply(PAYMENT_VOID_FAILED)
          .whenReply(PAYMENT_VOID_FAILED)
          .expectStatus(SagaStatus.STUCK)
          .whenResumed()
          .expectCompensation("authorize-payment", PAYMENT_VOID, MAX_ATTEMPTS + 1)
          .expectStatus(SagaStatus.COMPENSATING)
          .expectDeadlineIn(AUTHORIZE_LIMIT);
    }

    @Test
    void refusalOfACompensationThatWasNotSentIsUnexpected() {
      given(order())
          .started()
          .afterReplies(STOCK_RESERVED, FRAUD_CLEARED)
          .whenReply(PAYMENT_VOID_FAILED)
          .expectIgnored(Reason.UNEXPECTED_REPLY);
    }
  }

  @Nested
  class IgnoredInputs {

    @Test
    void duplicateReplyIsIgnored() {
      given(order())
          .started()
          .whenReply(STOCK_RESERVED, "reserve-stock#r-1")
          .expectApplied()
          .whenReply(STOCK_RESERVED, "reserve-stock#r-1")
          .expectIgnored(Reason.DUPLICATE);
    }

    @Test
    void duplicateRefusalIsIgnored() {
      given(order())
          .started()
          .whenReply(STOCK_REJECTED, "reserve-stock#r-1")
          .expectStatus(SagaStatus.FAILED)
          .whenReply(STOCK_REJECTED, "reserve-stock#r-1")
          .expectIgnored(Reason.DUPLICATE);
    }

    @Test
    void duplicateCompensationAcknowledgementIsIgnored() {
      given(order())
          .started()
          .afterReplies(STOCK_RESERVED, FRAUD_CLEARED, PAYMENT_AUTHORIZED)
          .whenReply(DELIVERY_UNAVAILABLE)
          .whenCompensate()
          .whenReply(PAYMENT_VOIDED, "payment#ack")
          .expectCompensation("reserve-stock", STOCK_RELEASE, 1)
          .whenReply(PAYMENT_VOIDED, "payment#ack")
          .expectIgnored(Reason.DUPLICATE)
          .expectStep("reserve-stock", StepStatus.COMPENSATING);
    }

    @Test
    void secondAcknowledgementOfACompensationIsLate() {
      given(order())
          .started()
          .afterReplies(STOCK_RESERVED, FRAUD_CLEARED, PAYMENT_AUTHORIZED)
          .whenReply(DELIVERY_UNAVAILABLE)
          .whenCompensate()
          .whenDeadlinePasses()
          .expectCompensation("authorize-payment", PAYMENT_VOID, 2)
          .whenReply(PAYMENT_VOIDED, "payment#ack-1")
          .expectCompensation("reserve-stock", STOCK_RELEASE, 1)
          .whenReply(PAYMENT_VOIDED, "payment#ack-2")
          .expectIgnored(Reason.LATE_REPLY)
          .whenReply(PAYMENT_VOID_FAILED)
          .expectIgnored(Reason.LATE_REPLY);
    }

    @Test
    void replyForAStepAlreadyDecidedIsLate() {
      given(order())
          .started()
          .whenReply(STOCK_RESERVED, "reserve-stock#r-1")
          .whenReply(STOCK_RESERVED, "reserve-stock#r-2")
          .expectIgnored(Reason.LATE_REPLY)
          .whenReply(STOCK_REJECTED)
          .expectIgnored(Reason.LATE_REPLY)
          .expectStep("reserve-stock", StepStatus.SUCCEEDED)
          .expectStatus(SagaStatus.RUNNING);
    }

    @Test
    void replyForAStepNotStartedIsUnexpected() {
      given(order())
          .started()
          .whenReply(PAYMENT_AUTHORIZED)
          .expectIgnored(Reason.UNEXPECTED_REPLY)
          .whenReply(STOCK_RELEASED)
          .expectIgnored(Reason.UNEXPECTED_REPLY);
    }

    @Test
    void forwardReplyOfAStepThatWasNeverStartedIsUnexpectedDuringCompensation() {
      given(order())
          .started()
          .afterReplies(STOCK_RESERVED)
          .whenReply(FRAUD_SUSPECTED)
          .whenCompensate()
          .whenReply(PAYMENT_AUTHORIZED)
          .expectIgnored(Reason.UNEXPECTED_REPLY);
    }

    @Test
    void replyTypeOutsideTheTableIsReportedForDeadLettering() {
      given(order())
          .started()
          .whenReply("test.something.else.v1")
          .expectIgnored(Reason.UNKNOWN_REPLY_TYPE);
    }

    @Test
    void everyInputToACompletedSagaIsIgnored() {
      SagaScenario saga =
          given(order())
              .started()
              .afterReplies(UP_TO_THE_PIVOT)
              .afterReplies(STOCK_COMMITTED, PAYMENT_CAPTURED, ORDER_CONFIRMATION_RECORDED)
              .expectStatus(SagaStatus.COMPLETED);
      saga.whenReply(ORDER_CONFIRMATION_RECORDED).expectIgnored(Reason.SAGA_FINISHED);
      saga.whenReply(STOCK_REJECTED).expectIgnored(Reason.SAGA_FINISHED);
      saga.whenReply("test.something.else.v1").expectIgnored(Reason.SAGA_FINISHED);
      saga.whenTimeoutAfter(Duration.ofDays(1)).expectIgnored(Reason.SAGA_FINISHED);
      saga.whenCompensate().expectIgnored(Reason.NOT_FAILED);
      saga.whenResumed().expectIgnored(Reason.NOT_STUCK);
    }

    @Test
    void everyInputToACompensatedSagaIsIgnored() {
      SagaScenario saga =
          given(order())
              .started()
              .whenReply(STOCK_REJECTED)
              .whenCompensate()
              .expectStatus(SagaStatus.COMPENSATED);
      saga.whenReply(STOCK_RESERVED).expectIgnored(Reason.SAGA_FINISHED);
      saga.whenReply(STOCK_RELEASED).expectIgnored(Reason.SAGA_FINISHED);
      saga.whenTimeoutAfter(Duration.ofDays(1)).expectIgnored(Reason.SAGA_FINISHED);
      saga.whenCompensate().expectIgnored(Reason.NOT_FAILED);
    }
  }

  @Nested
  class Versioning {

    @Test
    void versionRisesByOneOnEveryAppliedInputAndNeverOnAnIgnoredOne() {
      SagaScenario saga = given(order()).started();
      List<Long> versions = new ArrayList<>();
      versions.add(saga.state().version());
      saga.whenReply(STOCK_RESERVED, "k-1"); // applied
      versions.add(saga.state().version());
      saga.whenReply(STOCK_RESERVED, "k-1"); // duplicate
      versions.add(saga.state().version());
      saga.whenTimeoutAfter(Duration.ofSeconds(1)); // not due
      versions.add(saga.state().version());
      saga.whenReply(FRAUD_SUSPECTED); // applied: FAILED
      versions.add(saga.state().version());
      saga.whenReply(FRAUD_CLEARED); // late
      versions.add(saga.state().version());
      saga.whenCompensate(); // applied: COMPENSATING
      versions.add(saga.state().version());
      saga.whenDeadlinePasses(); // applied: compensation attempt 2
      versions.add(saga.state().version());
      saga.whenReply(STOCK_RELEASED); // applied: COMPENSATED
      versions.add(saga.state().version());
      saga.whenReply(STOCK_RELEASED); // finished
      versions.add(saga.state().version());
      assertEquals(List.of(0L, 1L, 1L, 1L, 2L, 2L, 3L, 4L, 5L, 5L), versions);
    }

    @Test
    void appliedRepliesAreRememberedAndIgnoredOnesAreNot() {
      SagaScenario saga =
          given(order())
              .started()
              .whenReply(STOCK_RESERVED, "stock#1")
              .whenReply(STOCK_RESERVED, "stock#2")
              .expectIgnored(Reason.LATE_REPLY);
      assertEquals(Set.of("stock#1"), saga.state().appliedReplies());
    }
  }

  @Nested
  class Contracts {

    @Test
    void stateOfAnotherTableIsRefused() {
      SagaState foreign = new SagaEngine(order()).start(SAGA_ID, T0).state();
      SagaDefinition other =
          SagaDefinition.named("other")
              .step("only")
              .invoke("test.x.v1")
              .onReply("test.y.v1", SagaDefinition.advance())
              .timeLimit(Duration.ofSeconds(1))
              .build();
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> new SagaEngine(other).onReply(foreign, new Reply("test.y.v1", "k"), T0));
      assertTrue(e.getMessage().contains("belongs to table 'test-order'"), e.getMessage());
    }

    @Test
    void stateWhoseStepsNoLongerMatchTheTableIsRefused() {
      SagaState started = new SagaEngine(order()).start(SAGA_ID, T0).state();
      SagaState older =
          new SagaState(
              started.sagaId(),
              started.definitionName(),
              started.status(),
              0,
              null,
              started.version(),
              started.steps().subList(0, 3),
              started.deadline(),
              started.appliedReplies());
      assertThrows(
          IllegalArgumentException.class,
          () -> new SagaEngine(order()).onTimeout(older, T0.plusSeconds(60)));
    }

    @Test
    void replyKeyFromACloudEventIncludesItsSourceBecauseIdsAreOnlyUniquePerSource() {
      Reply fromStock = Reply.of(event("/reserve-stock", "1"));
      Reply fromPayment = Reply.of(event("/payment", "1"));
      assertEquals(STOCK_RESERVED, fromStock.type());
      assertNotEquals(fromStock.key(), fromPayment.key());
      assertEquals(fromStock, Reply.of(event("/reserve-stock", "1")));
    }

    @Test
    void retriesAreNewEventIdsSoParticipantsDoNotTakeThemForDuplicates() {
      SagaScenario saga =
          given(order()).started().afterReplies(UP_TO_THE_PIVOT).whenDeadlinePasses();
      assertEquals("order-42:commit-stock:action:2", saga.last().commands().get(0).eventId());
      String compensation =
          given(order())
              .started()
              .whenDeadlinePasses()
              .whenCompensate()
              .last()
              .commands()
              .get(0)
              .eventId();
      assertEquals("order-42:reserve-stock:compensation:1", compensation);
    }

    private static CloudEvent event(String source, String id) {
      return new CloudEvent(
          id, source, STOCK_RESERVED, SAGA_ID, null, "application/json", null, null, null);
    }
  }
}
