package com.bookstore.saga.store;

import static com.bookstore.events.EventTypes.DELIVERY_ASSIGN;
import static com.bookstore.events.EventTypes.DELIVERY_ASSIGNED;
import static com.bookstore.events.EventTypes.DELIVERY_CANCEL;
import static com.bookstore.events.EventTypes.DELIVERY_CANCELLED;
import static com.bookstore.events.EventTypes.DELIVERY_DELIVERED;
import static com.bookstore.events.EventTypes.DELIVERY_DISPATCH;
import static com.bookstore.events.EventTypes.DELIVERY_FAILED;
import static com.bookstore.events.EventTypes.DELIVERY_REJECTED;
import static com.bookstore.events.EventTypes.PAYMENT_AUTHORIZE;
import static com.bookstore.events.EventTypes.PAYMENT_AUTHORIZED;
import static com.bookstore.events.EventTypes.PAYMENT_CAPTURE;
import static com.bookstore.events.EventTypes.PAYMENT_CAPTURED;
import static com.bookstore.events.EventTypes.PAYMENT_REFUND;
import static com.bookstore.events.EventTypes.PAYMENT_REFUNDED;
import static com.bookstore.events.EventTypes.STOCK_COMMIT;
import static com.bookstore.events.EventTypes.STOCK_COMMITTED;
import static com.bookstore.events.EventTypes.STOCK_RELEASE;
import static com.bookstore.events.EventTypes.STOCK_RELEASED;
import static com.bookstore.events.EventTypes.STOCK_RESERVE;
import static com.bookstore.events.EventTypes.STOCK_RESERVED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bookstore.events.delivery.DeliveryAddress;
import com.bookstore.events.order.OrderPlaced;
import com.bookstore.events.payment.Money;
import com.bookstore.kit.saga.Ignored;
import com.bookstore.kit.saga.Reply;
import com.bookstore.kit.saga.SagaCommand;
import com.bookstore.kit.saga.SagaDefinition;
import com.bookstore.kit.saga.SagaEngine;
import com.bookstore.kit.saga.SagaEvent;
import com.bookstore.kit.saga.SagaState;
import com.bookstore.kit.saga.SagaStatus;
import com.bookstore.kit.saga.StepDefinition;
import com.bookstore.kit.saga.StepStatus;
import com.bookstore.kit.saga.Transition;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The table of a delivered order: where the delivery sits, what each failure undoes, and that the
 * table is chosen by the order.
 */
class DeliveredOrderSagaTest {

  private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");
  private static final Duration LIMIT = Duration.ofSeconds(10);

  private final OrderSaga saga = new OrderSaga(step -> LIMIT, 900);
  private final SagaDefinition table = saga.delivered();
  private final SagaEngine engine = new SagaEngine(table);
  private int replies;
  private Instant now = T0;

  @Test
  void theDeliveryIsAssignedBeforeTheMoneyIsTakenAndDeliveredLastAsThePivot() {
    assertEquals("order-delivered", table.name());
    assertEquals(
        List.of(
            "reserve-stock",
            "authorize-payment",
            "assign-courier",
            "commit-stock",
            "capture-payment",
            "deliver"),
        table.steps().stream().map(StepDefinition::name).toList());
    assertEquals(
        List.of(
            STOCK_RESERVE,
            PAYMENT_AUTHORIZE,
            DELIVERY_ASSIGN,
            STOCK_COMMIT,
            PAYMENT_CAPTURE,
            DELIVERY_DISPATCH),
        table.steps().stream().map(StepDefinition::command).toList());
    assertEquals("deliver", table.pivot().orElseThrow().name());
    assertTrue(table.steps().stream().noneMatch(StepDefinition::retriable));
    assertEquals(
        DELIVERY_CANCEL, table.step(2).compensation().orElseThrow().command(), "assign-courier");
  }

  @Test
  void anOrderWithAnAddressRunsTheDeliveredTableAndOneWithoutTheShopsTable() {
    assertEquals("order-delivered", saga.engineFor(order(true)).definition().name());
    assertEquals("order", saga.engineFor(order(false)).definition().name());
    assertEquals("order-delivered", saga.engineFor("order-delivered").definition().name());
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> saga.engineFor("order-v0"));
    assertTrue(e.getMessage().contains("order-v0"), e.getMessage());
  }

  @Test
  void theDeliverStepWaitsFourHoursByDefaultAndIsConfigurable() {
    OrderSaga defaults = new OrderSaga(new SmallRyeConfigBuilder().build());
    assertEquals(Duration.ofHours(4), defaults.delivered().step(5).timeLimit());
    assertEquals(Duration.ofSeconds(10), defaults.delivered().step(2).timeLimit());
    OrderSaga configured =
        new OrderSaga(
            new SmallRyeConfigBuilder()
                .withDefaultValue("saga.order.time-limit.deliver", "PT30S")
                .build());
    assertEquals(Duration.ofSeconds(30), configured.delivered().step(5).timeLimit());
  }

  @Test
  void aDeliveredOrderCompletes() {
    SagaState s = start();
    s = reply(s, STOCK_RESERVED, STOCK_RESERVE.equals(sent(s)));
    s = reply(s, PAYMENT_AUTHORIZED, true);
    s = reply(s, DELIVERY_ASSIGNED, true);
    s = reply(s, STOCK_COMMITTED, true);
    s = reply(s, PAYMENT_CAPTURED, true);
    assertEquals(DELIVERY_DISPATCH, last.commands().get(0).type());
    s = reply(s, DELIVERY_DELIVERED, true);
    assertEquals(SagaStatus.COMPLETED, s.status());
    assertEquals(List.of(new SagaEvent.Completed(s.sagaId())), last.events());
  }

  @Test
  void noCourierForTheZoneVoidsTheAuthorizationAndReleasesTheHoldNeverCharging() {
    SagaState s = start();
    s = reply(s, STOCK_RESERVED, true);
    s = reply(s, PAYMENT_AUTHORIZED, true);
    s = reply(s, DELIVERY_REJECTED, true);
    assertEquals(SagaStatus.FAILED, s.status());
    assertEquals("no-courier", s.failureReason());
    assertEquals(StepStatus.FAILED, s.step("assign-courier").status());
    assertEquals(List.of(PAYMENT_REFUND, STOCK_RELEASE), compensate(s));
    assertTrue(sentTypes.stream().noneMatch(PAYMENT_CAPTURE::equals), "never captured");
    assertFalse(sentTypes.contains(DELIVERY_CANCEL), "no delivery to cancel");
  }

  @Test
  void aDeliveryThatFailsAfterPickupCancelsItRefundsTheCaptureAndRestocksNewestFirst() {
    SagaState s = paidAndDispatched();
    s = reply(s, DELIVERY_FAILED, true);
    assertEquals(SagaStatus.FAILED, s.status());
    assertEquals("delivery-failed", s.failureReason());
    assertEquals(List.of(DELIVERY_CANCEL, PAYMENT_REFUND, STOCK_RELEASE), compensate(s));
  }

  @Test
  void aDeliveryThatNeverEndsTimesOutAndIsCompensatedTheSameWay() {
    SagaState s = paidAndDispatched();
    now = s.deadline();
    Transition t = engine.onTimeout(s, now);
    assertTrue(t.isApplied());
    s = t.state();
    assertEquals(StepStatus.TIMED_OUT, s.step("deliver").status());
    assertEquals("deliver timed out", s.failureReason());
    assertEquals(List.of(DELIVERY_CANCEL, PAYMENT_REFUND, STOCK_RELEASE), compensate(s));
  }

  @Test
  void aCaptureThatTimesOutFailsTheSagaInsteadOfBeingRetriedAndIsRefunded() {
    SagaState s = start();
    s = reply(s, STOCK_RESERVED, true);
    s = reply(s, PAYMENT_AUTHORIZED, true);
    s = reply(s, DELIVERY_ASSIGNED, true);
    s = reply(s, STOCK_COMMITTED, true);
    now = s.deadline();
    s = engine.onTimeout(s, now).state();
    assertEquals(SagaStatus.FAILED, s.status());
    assertEquals(List.of(DELIVERY_CANCEL, PAYMENT_REFUND, STOCK_RELEASE), compensate(s));
  }

  @Test
  void aLateOrRepeatedDeliveryFactChangesNothing() {
    SagaState s = paidAndDispatched();
    SagaState delivered = engine.onReply(s, new Reply(DELIVERY_DELIVERED, "dc#1"), now).state();
    Transition again = engine.onReply(delivered, new Reply(DELIVERY_DELIVERED, "dc#1"), now);
    assertEquals(Ignored.Reason.SAGA_FINISHED, again.ignored().orElseThrow().reason());
    Transition failedLate = engine.onReply(delivered, new Reply(DELIVERY_FAILED, "dc#2"), now);
    assertEquals(Ignored.Reason.SAGA_FINISHED, failedLate.ignored().orElseThrow().reason());
    Transition earlyAssigned = engine.onReply(start(), new Reply(DELIVERY_ASSIGNED, "dc#3"), now);
    assertEquals(Ignored.Reason.UNEXPECTED_REPLY, earlyAssigned.ignored().orElseThrow().reason());
  }

  private final List<String> sentTypes = new ArrayList<>();
  private Transition last;

  private SagaState start() {
    last = engine.start("order-7", now);
    sentTypes.clear();
    last.commands().forEach(c -> sentTypes.add(c.type()));
    return last.state();
  }

  private SagaState paidAndDispatched() {
    SagaState s = start();
    s = reply(s, STOCK_RESERVED, true);
    s = reply(s, PAYMENT_AUTHORIZED, true);
    s = reply(s, DELIVERY_ASSIGNED, true);
    s = reply(s, STOCK_COMMITTED, true);
    s = reply(s, PAYMENT_CAPTURED, true);
    assertEquals(DELIVERY_DISPATCH, sent(s));
    return s;
  }

  private String sent(SagaState s) {
    return sentTypes.get(sentTypes.size() - 1);
  }

  private SagaState reply(SagaState s, String type, boolean expected) {
    assertTrue(expected);
    last = engine.onReply(s, new Reply(type, "participant#" + (++replies)), now);
    assertTrue(last.isApplied(), () -> type + ": " + last.ignored());
    last.commands().forEach(c -> sentTypes.add(c.type()));
    return last.state();
  }

  /** Runs the compensations to the end, acknowledging each; the commands in the order sent. */
  private List<String> compensate(SagaState s) {
    List<String> sent = new ArrayList<>();
    Transition t = engine.compensate(s, now);
    while (true) {
      assertTrue(t.isApplied(), String.valueOf(t.ignored()));
      if (t.state().status() == SagaStatus.COMPENSATED) {
        return sent;
      }
      SagaCommand command = t.commands().get(0);
      sent.add(command.type());
      String ack =
          switch (command.type()) {
            case DELIVERY_CANCEL -> DELIVERY_CANCELLED;
            case PAYMENT_REFUND -> PAYMENT_REFUNDED;
            case STOCK_RELEASE -> STOCK_RELEASED;
            default -> throw new AssertionError("unexpected compensation " + command.type());
          };
      t = engine.onReply(t.state(), new Reply(ack, "ack#" + (++replies)), now);
    }
  }

  private static OrderPlaced order(boolean delivered) {
    return new OrderPlaced(
        "order-7",
        "user-1",
        "ada@example.com",
        List.of(),
        new Money(100, "EUR"),
        "tok_visa",
        T0,
        delivered ? DeliveryAddress.of("1 rue X", "Paris", "75002") : null);
  }
}
