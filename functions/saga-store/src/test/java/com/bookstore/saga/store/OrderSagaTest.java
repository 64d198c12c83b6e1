package com.bookstore.saga.store;

import static com.bookstore.events.EventTypes.ORDER_PLACED;
import static com.bookstore.events.EventTypes.PAYMENT_AUTHORIZE;
import static com.bookstore.events.EventTypes.PAYMENT_AUTHORIZED;
import static com.bookstore.events.EventTypes.PAYMENT_CAPTURE;
import static com.bookstore.events.EventTypes.PAYMENT_CAPTURED;
import static com.bookstore.events.EventTypes.PAYMENT_DECLINED;
import static com.bookstore.events.EventTypes.PAYMENT_REFUND;
import static com.bookstore.events.EventTypes.PAYMENT_REFUNDED;
import static com.bookstore.events.EventTypes.SAGA_DEADLINE_PASSED;
import static com.bookstore.events.EventTypes.SAGA_FAILED;
import static com.bookstore.events.EventTypes.STOCK_COMMIT;
import static com.bookstore.events.EventTypes.STOCK_COMMITTED;
import static com.bookstore.events.EventTypes.STOCK_REJECTED;
import static com.bookstore.events.EventTypes.STOCK_RELEASE;
import static com.bookstore.events.EventTypes.STOCK_RELEASED;
import static com.bookstore.events.EventTypes.STOCK_RESERVE;
import static com.bookstore.events.EventTypes.STOCK_RESERVED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bookstore.events.EventTypes;
import com.bookstore.events.Routing;
import com.bookstore.kit.saga.Compensation;
import com.bookstore.kit.saga.ReplyAction;
import com.bookstore.kit.saga.SagaDefinition;
import com.bookstore.kit.saga.StepDefinition;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The order saga's table is the contract's, and the functions' routing agrees with it. */
class OrderSagaTest {

  private final SagaDefinition table = OrderSaga.table(step -> OrderSaga.DEFAULT_TIME_LIMIT);

  @Test
  void theTableIsNamedOrderWithTheContractsStepsInOrder() {
    assertEquals("order", table.name());
    assertEquals(
        List.of("reserve-stock", "authorize-payment", "commit-stock", "capture-payment"),
        table.steps().stream().map(StepDefinition::name).toList());
    assertEquals(
        List.of(STOCK_RESERVE, PAYMENT_AUTHORIZE, STOCK_COMMIT, PAYMENT_CAPTURE),
        table.steps().stream().map(StepDefinition::command).toList());
    assertEquals(5, table.maxAttempts());
  }

  @Test
  void reserveAndAuthorizeCanFailAndAreCompensatedAcknowledgedByTheirFacts() {
    StepDefinition reserve = table.step(0);
    assertEquals(
        Map.of(STOCK_RESERVED, new ReplyAction.Advance(), STOCK_REJECTED, fail("out-of-stock")),
        reserve.replies());
    assertEquals(
        new Compensation(STOCK_RELEASE, STOCK_RELEASED, Set.of()),
        reserve.compensation().orElseThrow());
    assertFalse(reserve.retriable());

    StepDefinition authorize = table.step(1);
    assertEquals(
        Map.of(
            PAYMENT_AUTHORIZED,
            new ReplyAction.Advance(),
            PAYMENT_DECLINED,
            fail("payment-declined")),
        authorize.replies());
    assertEquals(
        new Compensation(PAYMENT_REFUND, PAYMENT_REFUNDED, Set.of()),
        authorize.compensation().orElseThrow());
    assertFalse(authorize.retriable());
    assertEquals("authorize-payment", table.pivot().orElseThrow().name());
  }

  @Test
  void commitAndCaptureAreRetriableAndCannotFail() {
    StepDefinition commit = table.step(2);
    assertEquals(Map.of(STOCK_COMMITTED, new ReplyAction.Advance()), commit.replies());
    assertTrue(commit.retriable());
    assertTrue(commit.compensation().isEmpty());

    StepDefinition capture = table.step(3);
    assertEquals(Map.of(PAYMENT_CAPTURED, new ReplyAction.Advance()), capture.replies());
    assertTrue(capture.retriable());
    assertTrue(capture.compensation().isEmpty());
  }

  @Test
  void timeLimitsComeFromConfigPerStepWithTenSecondsByDefault() {
    OrderSaga saga =
        new OrderSaga(
            new SmallRyeConfigBuilder()
                .withDefaultValue("saga.order.time-limit.authorize-payment", "PT3S")
                .withDefaultValue("saga.order.time-limit.capture-payment", "PT0.5S")
                .withDefaultValue("saga.order.hold-seconds", "120")
                .build());
    assertEquals(
        List.of(
            Duration.ofSeconds(10),
            Duration.ofSeconds(3),
            Duration.ofSeconds(10),
            Duration.ofMillis(500)),
        saga.definition().steps().stream().map(StepDefinition::timeLimit).toList());
    assertEquals(120, saga.holdSeconds());
  }

  @Test
  void holdsFifteenMinutesByDefault() {
    OrderSaga saga = new OrderSaga(new SmallRyeConfigBuilder().build());
    assertEquals(900, saga.holdSeconds());
    assertEquals(
        OrderSaga.DEFAULT_TIME_LIMIT, saga.definition().step(0).timeLimit(), "default time limit");
  }

  @Test
  void everyReplyInTheTableReachesSagaStepOrCompensateAndNothingElseDoes() {
    Set<String> forward = new HashSet<>(Routing.of(Routing.Functions.SAGA_STEP).triggers());
    forward.removeAll(Set.of(ORDER_PLACED, SAGA_DEADLINE_PASSED));
    Set<String> acknowledgements =
        new HashSet<>(Routing.of(Routing.Functions.COMPENSATE).triggers());
    acknowledgements.remove(SAGA_FAILED);

    Set<String> routed = new HashSet<>(forward);
    routed.addAll(acknowledgements);
    Set<String> replies = new HashSet<>(table.replyTypes());
    replies.addAll(OrderSaga.deliveredTable(step -> OrderSaga.DEFAULT_TIME_LIMIT).replyTypes());
    assertEquals(replies, routed);
    assertEquals(
        Set.of(STOCK_RELEASED, PAYMENT_REFUNDED, EventTypes.DELIVERY_CANCELLED), acknowledgements);
  }

  @Test
  void eachFunctionMayEmitEveryCommandItsInputsCanLeadTo() {
    Set<String> sagaStep = Routing.of(Routing.Functions.SAGA_STEP).emits();
    Set<String> compensate = Routing.of(Routing.Functions.COMPENSATE).emits();
    for (SagaDefinition t :
        List.of(table, OrderSaga.deliveredTable(step -> OrderSaga.DEFAULT_TIME_LIMIT))) {
      // saga-step's timeouts cover every status: forward commands, resent compensations, facts
      for (StepDefinition step : t.steps()) {
        assertTrue(sagaStep.contains(step.command()), step.command());
        step.compensation().ifPresent(c -> assertTrue(sagaStep.contains(c.command()), c.command()));
        step.compensation()
            .ifPresent(c -> assertTrue(compensate.contains(c.command()), c.command()));
      }
    }
  }

  private static ReplyAction fail(String reason) {
    return new ReplyAction.Fail(reason);
  }
}
