package com.bookstore.kit.saga;

import static com.bookstore.kit.saga.SagaDefinition.acknowledgedBy;
import static com.bookstore.kit.saga.SagaDefinition.advance;
import static com.bookstore.kit.saga.SagaDefinition.fail;
import static com.bookstore.kit.saga.TestSagas.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class SagaDefinitionTest {

  private static final Duration LIMIT = Duration.ofSeconds(10);

  /** A valid two-step table; each test breaks one thing in it. */
  private static SagaDefinition.StepBuilder reserveStep(SagaDefinition.Builder saga) {
    return saga.step("reserve")
        .invoke("test.reserve.v1")
        .onReply("test.reserved.v1", advance())
        .onReply("test.rejected.v1", fail("out-of-stock"))
        .compensateWith("test.release.v1", acknowledgedBy("test.released.v1"))
        .timeLimit(LIMIT);
  }

  private static String problemsOf(UnaryOperator<SagaDefinition.StepBuilder> secondStep) {
    SagaDefinition.Builder saga = SagaDefinition.named("broken");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> secondStep.apply(reserveStep(saga)).build(),
            "the table should have been refused");
    assertTrue(e.getMessage().startsWith("saga 'broken' is not a valid table: "), e.getMessage());
    return e.getMessage();
  }

  private static void assertMentions(String message, String expected) {
    assertTrue(message.contains(expected), () -> "expected <" + expected + "> in: " + message);
  }

  @Test
  void tableReadsBackAsDeclared() {
    SagaDefinition order = order();
    assertEquals("test-order", order.name());
    assertEquals(MAX_ATTEMPTS, order.maxAttempts());
    assertEquals(
        List.of(
            "reserve-stock",
            "check-fraud",
            "authorize-payment",
            "schedule-delivery",
            "commit-stock",
            "capture-payment",
            "confirm"),
        order.steps().stream().map(StepDefinition::name).toList());
    StepDefinition payment = order.step(2);
    assertEquals(PAYMENT_AUTHORIZE, payment.command());
    assertEquals(
        List.of(PAYMENT_AUTHORIZED, PAYMENT_DECLINED), List.copyOf(payment.replies().keySet()));
    assertEquals(new ReplyAction.Fail("payment-declined"), payment.replies().get(PAYMENT_DECLINED));
    assertEquals(
        new Compensation(PAYMENT_VOID, PAYMENT_VOIDED, Set.of(PAYMENT_VOID_FAILED)),
        payment.compensation().orElseThrow());
    assertEquals(AUTHORIZE_LIMIT, payment.timeLimit());
    assertTrue(payment.canFail());
    assertFalse(payment.retriable());
    assertTrue(order.step(1).compensation().isEmpty(), "check-fraud has nothing to undo");
    assertTrue(order.step(6).retriable());
    assertFalse(order.step(6).canFail());
  }

  @Test
  void pivotIsTheLastStepThatCanStillFail() {
    assertEquals("schedule-delivery", order().pivot().orElseThrow().name());
  }

  @Test
  void replyTypesAreEveryTypeTheSagaListensTo() {
    assertEquals(
        Set.of(
            STOCK_RESERVED,
            STOCK_REJECTED,
            STOCK_RELEASED,
            FRAUD_CLEARED,
            FRAUD_SUSPECTED,
            PAYMENT_AUTHORIZED,
            PAYMENT_DECLINED,
            PAYMENT_VOIDED,
            PAYMENT_VOID_FAILED,
            DELIVERY_SCHEDULED,
            DELIVERY_UNAVAILABLE,
            DELIVERY_CANCELLED,
            STOCK_COMMITTED,
            PAYMENT_CAPTURED,
            ORDER_CONFIRMATION_RECORDED),
        order().replyTypes());
  }

  @Test
  void sagaWithoutStepsIsRefused() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> SagaDefinition.named("empty").build());
    assertMentions(e.getMessage(), "the saga has no steps");
  }

  @Test
  void sagaWithoutNameIsRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> reserveStep(SagaDefinition.named(" ")).build());
    assertMentions(e.getMessage(), "the saga has no name");
  }

  @Test
  void stepNamesMustBeUnique() {
    assertMentions(
        problemsOf(
            s ->
                s.step("reserve")
                    .invoke("test.other.v1")
                    .onReply("test.other-done.v1", advance())
                    .timeLimit(LIMIT)),
        "step name 'reserve' is used twice");
  }

  @Test
  void replyTypeBelongsToOneStepOnly() {
    assertMentions(
        problemsOf(
            s ->
                s.step("pay")
                    .invoke("test.pay.v1")
                    .onReply("test.reserved.v1", advance())
                    .timeLimit(LIMIT)),
        "type 'test.reserved.v1' is used twice: as step 'reserve' reply and as step 'pay' reply");
  }

  @Test
  void replyTypeCannotAlsoAcknowledgeACompensation() {
    assertMentions(
        problemsOf(
            s ->
                s.step("pay")
                    .invoke("test.pay.v1")
                    .onReply("test.released.v1", advance())
                    .timeLimit(LIMIT)),
        "type 'test.released.v1' is used twice: as step 'reserve' compensation acknowledgement"
            + " and as step 'pay' reply");
  }

  @Test
  void sagasOwnCommandCannotComeBackAsAReply() {
    assertMentions(
        problemsOf(
            s ->
                s.step("pay")
                    .invoke("test.pay.v1")
                    .onReply("test.reserve.v1", advance())
                    .timeLimit(LIMIT)),
        "type 'test.reserve.v1' is used twice: as step 'reserve' command and as step 'pay' reply");
  }

  @Test
  void sameReplyDeclaredTwiceInAStepIsRefused() {
    assertMentions(
        problemsOf(
            s ->
                s.step("pay")
                    .invoke("test.pay.v1")
                    .onReply("test.paid.v1", advance())
                    .onReply("test.paid.v1", fail("nope"))
                    .timeLimit(LIMIT)),
        "step 'pay' declares reply 'test.paid.v1' twice");
  }

  @Test
  void compensationNeedsItsAcknowledgementType() {
    assertMentions(
        problemsOf(
            s ->
                s.step("pay")
                    .invoke("test.pay.v1")
                    .onReply("test.paid.v1", advance())
                    .compensateWith("test.refund.v1", acknowledgedBy(null))
                    .timeLimit(LIMIT)),
        "step 'pay' is compensated with 'test.refund.v1' but has no acknowledgement type");
    assertMentions(
        problemsOf(
            s ->
                s.step("pay")
                    .invoke("test.pay.v1")
                    .onReply("test.paid.v1", advance())
                    .compensateWith("test.refund.v1", null)
                    .timeLimit(LIMIT)),
        "step 'pay' is compensated with 'test.refund.v1' but has no acknowledgement type");
  }

  @Test
  void stepNeedsACommand() {
    assertMentions(
        problemsOf(s -> s.step("pay").onReply("test.paid.v1", advance()).timeLimit(LIMIT)),
        "step 'pay' invokes no command");
  }

  @Test
  void stepNeedsAReplyThatAdvancesIt() {
    assertMentions(
        problemsOf(
            s ->
                s.step("pay")
                    .invoke("test.pay.v1")
                    .onReply("test.declined.v1", fail("declined"))
                    .timeLimit(LIMIT)),
        "step 'pay' has no reply that advances it");
  }

  @Test
  void stepNeedsAPositiveTimeLimitSoNoSagaWaitsForever() {
    assertMentions(
        problemsOf(s -> s.step("pay").invoke("test.pay.v1").onReply("test.paid.v1", advance())),
        "step 'pay' has no time limit");
    assertMentions(
        problemsOf(
            s ->
                s.step("pay")
                    .invoke("test.pay.v1")
                    .onReply("test.paid.v1", advance())
                    .timeLimit(Duration.ZERO)),
        "step 'pay' has a time limit that is not positive");
  }

  @Test
  void retriableStepCannotFailOrBeCompensated() {
    String problems =
        problemsOf(
            s ->
                s.step("capture")
                    .invoke("test.capture.v1")
                    .onReply("test.captured.v1", advance())
                    .onReply("test.capture-failed.v1", fail("capture-failed"))
                    .compensateWith("test.uncapture.v1", acknowledgedBy("test.uncaptured.v1"))
                    .retriable()
                    .timeLimit(LIMIT));
    assertMentions(
        problems, "step 'capture' is retriable (after the pivot) and cannot have a compensation");
    assertMentions(
        problems,
        "step 'capture' is retriable (after the pivot) and cannot fail, but reply"
            + " 'test.capture-failed.v1' fails it");
  }

  @Test
  void everyStepAfterThePivotMustBeRetriable() {
    assertMentions(
        problemsOf(
            s ->
                s.step("capture")
                    .invoke("test.capture.v1")
                    .onReply("test.captured.v1", advance())
                    .retriable()
                    .timeLimit(LIMIT)
                    .step("ship")
                    .invoke("test.ship.v1")
                    .onReply("test.shipped.v1", advance())
                    .timeLimit(LIMIT)),
        "step 'ship' can fail but comes after retriable step 'capture'");
  }

  @Test
  void attemptBudgetMustAllowOneAttempt() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> reserveStep(SagaDefinition.named("none").maxAttempts(0)).build());
    assertMentions(e.getMessage(), "maxAttempts must be at least 1, was 0");
  }

  @Test
  void repeatedSettingsOfAStepAreRefusedRatherThanSilentlyOverwritten() {
    String problems =
        problemsOf(
            s ->
                s.step("pay")
                    .invoke("test.pay.v1")
                    .invoke("test.pay.v2")
                    .onReply("test.paid.v1", advance())
                    .compensateWith("test.refund.v1", acknowledgedBy("test.refunded.v1"))
                    .compensateWith("test.refund.v2", acknowledgedBy("test.refunded.v2"))
                    .timeLimit(LIMIT)
                    .timeLimit(LIMIT));
    assertMentions(problems, "step 'pay' invokes two commands");
    assertMentions(problems, "step 'pay' has two compensations");
    assertMentions(problems, "step 'pay' has two time limits");
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    String problems =
        problemsOf(
            s ->
                s.step("reserve")
                    .onReply("test.reserved.v1", fail("x"))
                    .step("pay")
                    .invoke("test.pay.v1")
                    .onReply("test.paid.v1", advance()));
    assertMentions(problems, "step name 'reserve' is used twice");
    assertMentions(problems, "invokes no command");
    assertMentions(problems, "type 'test.reserved.v1' is used twice");
    assertMentions(problems, "step 'pay' has no time limit");
  }

  @Test
  void failureNeedsAReason() {
    assertThrows(IllegalArgumentException.class, () -> fail(" "));
  }
}
