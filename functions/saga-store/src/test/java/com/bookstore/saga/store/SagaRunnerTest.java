package com.bookstore.saga.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bookstore.events.EventJson;
import com.bookstore.events.EventTypes;
import com.bookstore.kit.Answer;
import com.bookstore.kit.CloudEvent;
import com.bookstore.kit.FunctionException;
import com.bookstore.kit.saga.SagaStatus;
import com.bookstore.kit.saga.StepStatus;
import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The runner on the real PostgreSQL: races, replays, ignored and unknown inputs. */
class SagaRunnerTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static TestDatabase db;
  private static SagaStore store;

  /** Every step's time limit for {@link #shortRunner}: over while a test waits for it. */
  private static final Duration SHORT = Duration.ofMillis(200);

  private static SagaRunner runner;
  private static SagaRunner shortRunner;

  @BeforeAll
  static void connect() {
    db = new TestDatabase();
    store = new SagaStore(db.pool);
    runner = runner(Duration.ofSeconds(10), Clock.systemUTC());
    shortRunner = runner(SHORT, Clock.systemUTC());
  }

  private static SagaRunner runner(Duration timeLimit, Clock clock) {
    return new SagaRunner(
        store,
        new OrderSaga(step -> timeLimit, 600),
        "saga-step",
        clock,
        new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
  }

  @AfterAll
  static void disconnect() {
    db.close();
  }

  private static Answer await(Uni<Answer> answer) {
    return answer.await().atMost(WAIT);
  }

  private static String start(String id) {
    Answer answer =
        await(runner.start(Fixtures.event(EventTypes.ORDER_PLACED, id), Fixtures.order(id)));
    assertEquals(1, answer.events().size());
    return id;
  }

  private static String startShort(String id) {
    Answer answer =
        await(shortRunner.start(Fixtures.event(EventTypes.ORDER_PLACED, id), Fixtures.order(id)));
    assertEquals(1, answer.events().size());
    return id;
  }

  /** Whether the saga's deadline has passed by the database's clock, the one the sweep goes by. */
  private static boolean isOverdue(String id) {
    return db.pool
        .preparedQuery("select deadline <= now() as due from saga.saga where id = $1")
        .execute(Tuple.of(id))
        .await()
        .atMost(WAIT)
        .iterator()
        .next()
        .getBoolean("due");
  }

  /** Until the saga's deadline has passed by the database's clock. */
  private static void awaitOverdue(String id) {
    Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> isOverdue(id));
  }

  private static StoredSaga load(String id) {
    return store.load(id).await().atMost(WAIT).orElseThrow();
  }

  private static JsonNode data(CloudEvent event) throws Exception {
    return EventJson.mapper().readTree(event.data());
  }

  @Test
  void storedTransitionsAreCountedByStatusAndStepTimesByOutcomeButAReplayCountsNothing() {
    var registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    SagaRunner counted =
        new SagaRunner(
            store,
            new OrderSaga(step -> Duration.ofSeconds(10), 600),
            "saga-step",
            Clock.systemUTC(),
            registry);
    String id = Fixtures.newOrderId();
    await(counted.start(Fixtures.event(EventTypes.ORDER_PLACED, id), Fixtures.order(id)));
    assertTrue(
        store.unfinished().await().atMost(WAIT).getOrDefault(List.of("order", "RUNNING"), 0L) >= 1,
        "a running saga is unfinished");
    CloudEvent reserved = Fixtures.event(EventTypes.STOCK_RESERVED, id);
    await(counted.onReply(reserved, id));
    await(counted.onReply(reserved, id)); // a replay: the same transition, stored once
    CloudEvent declined = Fixtures.event(EventTypes.PAYMENT_DECLINED, id);
    await(counted.onReply(declined, id));

    java.util.function.Function<String, Double> transitions =
        status ->
            registry
                .get(SagaMetrics.TRANSITIONS)
                .tags("definition", "order", "status", status)
                .counter()
                .count();
    assertEquals(1.0, transitions.apply("started"));
    assertEquals(1.0, transitions.apply("failed"));
    var reserveTimer =
        registry
            .get(SagaMetrics.STEP)
            .tags("step", "reserve-stock", "outcome", "succeeded")
            .timer();
    assertEquals(1, reserveTimer.count(), "one reserve-stock step, however often replayed");
    assertTrue(reserveTimer.totalTime(java.util.concurrent.TimeUnit.SECONDS) < 10);
    assertEquals(
        1,
        registry
            .get(SagaMetrics.STEP)
            .tags("step", "authorize-payment", "outcome", "failed")
            .timer()
            .count());
    // compensate releases the hold: compensated, and how long the saga took from start to end
    await(counted.compensate(Fixtures.event(EventTypes.SAGA_FAILED, id), id));
    await(counted.onReply(Fixtures.event(EventTypes.STOCK_RELEASED, id), id));
    assertEquals(SagaStatus.COMPENSATED, load(id).state().status());
    assertEquals(1.0, transitions.apply("compensated"));
    assertEquals(
        1,
        registry
            .get(SagaMetrics.DURATION)
            .tags("definition", "order", "status", "compensated")
            .timer()
            .count());
  }

  @Test
  void startSendsStockReserveWithTheOrdersLinesAndTheConfiguredHold() throws Exception {
    String id = Fixtures.newOrderId();
    CloudEvent placed = Fixtures.event(EventTypes.ORDER_PLACED, id);
    Answer answer = await(runner.start(placed, Fixtures.order(id)));

    CloudEvent reserve = answer.events().get(0);
    assertEquals(EventTypes.STOCK_RESERVE, reserve.type());
    assertEquals(id + ":reserve-stock:action:1", reserve.id());
    assertEquals("/bookstore/functions/saga-step", reserve.source());
    assertEquals(id, reserve.subject());
    assertEquals(id, reserve.partitionKey());
    JsonNode data = data(reserve);
    assertEquals(600, data.get("holdSeconds").asInt());
    assertEquals("161729494X", data.get("items").get(1).get("isbn").asText());
    assertEquals(2, data.get("items").get(1).get("quantity").asInt());
    assertEquals(0, load(id).state().version());
  }

  @Test
  void twoRepliesRacingFromTheSameVersionLeaveExactlyOneTransition() {
    long racesBefore = runner.racesLost();
    // Both replies load version 0 at once; rounds go on until a loser has had to reload.
    for (int round = 0; round < 10 || (round < 100 && runner.racesLost() == racesBefore); round++) {
      String id = start(Fixtures.newOrderId());
      List<Answer> answers =
          Uni.combine()
              .all()
              .unis(
                  runner.onReply(Fixtures.event(EventTypes.STOCK_RESERVED, id), id),
                  runner.onReply(Fixtures.event(EventTypes.STOCK_REJECTED, id), id))
              .asTuple()
              .map(t -> List.of(t.getItem1(), t.getItem2()))
              .await()
              .atMost(WAIT);

      // The loser reloads and the engine calls it late: it answers nothing.
      assertEquals(1, answers.stream().filter(a -> !a.events().isEmpty()).count());
      StoredSaga saga = load(id);
      assertEquals(1, saga.state().version(), "one transition in round " + round);
      String emitted =
          answers.stream()
              .filter(a -> !a.events().isEmpty())
              .findFirst()
              .orElseThrow()
              .events()
              .get(0)
              .type();
      if (saga.state().status() == SagaStatus.RUNNING) {
        assertEquals(EventTypes.PAYMENT_AUTHORIZE, emitted);
      } else {
        assertEquals(SagaStatus.FAILED, saga.state().status());
        assertEquals(EventTypes.SAGA_FAILED, emitted);
      }
    }
    assertTrue(runner.racesLost() > racesBefore, "no round lost the optimistic race");
  }

  @Test
  void theEventThatMadeTheLatestTransitionIsAnsweredAgainWithTheSameEvents() {
    String id = start(Fixtures.newOrderId());
    CloudEvent reserved = Fixtures.event(EventTypes.STOCK_RESERVED, id);
    Answer first = await(runner.onReply(reserved, id));

    Answer again = await(runner.onReply(reserved, id));

    assertEquals(first.events(), again.events());
    assertEquals(id + ":authorize-payment:action:1", again.events().get(0).id());
    assertEquals(1, load(id).state().version());
  }

  @Test
  void aRedeliveredOrderPlacedAnswersTheSameStockReserveAndAnotherIsADuplicate() {
    String id = Fixtures.newOrderId();
    CloudEvent placed = Fixtures.event(EventTypes.ORDER_PLACED, id);
    Answer first = await(runner.start(placed, Fixtures.order(id)));

    assertEquals(first.events(), await(runner.start(placed, Fixtures.order(id))).events());
    assertEquals(
        List.of(),
        await(runner.start(Fixtures.event(EventTypes.ORDER_PLACED, id), Fixtures.order(id)))
            .events());
    assertEquals(0, load(id).state().version());
  }

  @Test
  void aDuplicateOfAnOlderReplyChangesNothingAndSendsNothing() {
    String id = start(Fixtures.newOrderId());
    CloudEvent reserved = Fixtures.event(EventTypes.STOCK_RESERVED, id);
    await(runner.onReply(reserved, id));
    await(runner.onReply(Fixtures.event(EventTypes.PAYMENT_AUTHORIZED, id), id));

    assertEquals(List.of(), await(runner.onReply(reserved, id)).events());
    assertEquals(2, load(id).state().version());
  }

  @Test
  void aReplyForASagaThatDoesNotExistIsAcknowledgedWithNothing() {
    String id = Fixtures.newOrderId();
    assertEquals(
        List.of(),
        await(runner.onReply(Fixtures.event(EventTypes.STOCK_RESERVED, id), id)).events());
    assertTrue(store.load(id).await().atMost(WAIT).isEmpty());
  }

  @Test
  void aReplyTypeOutsideTheTableIsABadEvent() {
    String id = start(Fixtures.newOrderId());
    FunctionException e =
        assertThrows(
            FunctionException.class,
            () -> await(runner.onReply(Fixtures.event(EventTypes.STOCK_EXPIRED, id), id)));
    assertEquals(FunctionException.Kind.BAD_EVENT, e.kind());
    assertTrue(e.getMessage().contains(EventTypes.STOCK_EXPIRED), e.getMessage());
  }

  @Test
  void aTimeoutBeforeTheDeadlineChangesNothing() {
    String id = start(Fixtures.newOrderId());
    assertEquals(
        List.of(),
        await(runner.onTimeout(Fixtures.event(EventTypes.SAGA_DEADLINE_PASSED, id), id)).events());
    assertEquals(0, load(id).state().version());
  }

  @Test
  void aTimeoutAfterTheDeadlineFailsTheStep() throws Exception {
    String id = startShort(Fixtures.newOrderId());
    awaitOverdue(id);

    Answer late =
        await(shortRunner.onTimeout(Fixtures.event(EventTypes.SAGA_DEADLINE_PASSED, id), id));
    assertEquals(EventTypes.SAGA_FAILED, late.events().get(0).type());
    assertEquals("reserve-stock timed out", data(late.events().get(0)).get("reason").asText());
    assertEquals(id + ":failed", late.events().get(0).id());
  }

  @Test
  void compensationOfATimedOutReservationReleasesTheStockWithTheReason() throws Exception {
    String id = startShort(Fixtures.newOrderId());
    awaitOverdue(id);
    await(shortRunner.onTimeout(Fixtures.event(EventTypes.SAGA_DEADLINE_PASSED, id), id));

    Answer answer = await(shortRunner.compensate(Fixtures.event(EventTypes.SAGA_FAILED, id), id));
    CloudEvent release = answer.events().get(0);
    assertEquals(EventTypes.STOCK_RELEASE, release.type());
    assertEquals(id + ":reserve-stock:compensation:1", release.id());
    assertEquals("reserve-stock timed out", data(release).get("reason").asText());

    Answer cancelled =
        await(shortRunner.onReply(Fixtures.event(EventTypes.STOCK_RELEASED, id), id));
    CloudEvent fact = cancelled.events().get(0);
    assertEquals(EventTypes.ORDER_CANCELLED, fact.type());
    assertEquals("reserve-stock timed out", data(fact).get("reason").asText());
    assertEquals(12499, data(fact).get("total").get("cents").asLong());
    assertEquals(SagaStatus.COMPENSATED, load(id).state().status());
  }

  @Test
  void aDeadlineOverdueByTheDatabasesClockTimesTheStepOutThoughTheRunnersClockLags() {
    // The sweep finds overdue sagas by the database's clock; this runner's clock is a minute
    // behind.
    SagaRunner lagging = runner(SHORT, Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-1)));
    String id = Fixtures.newOrderId();
    await(lagging.start(Fixtures.event(EventTypes.ORDER_PLACED, id), Fixtures.order(id)));
    awaitOverdue(id);

    Answer answer =
        await(lagging.onTimeout(Fixtures.event(EventTypes.SAGA_DEADLINE_PASSED, id), id));

    assertEquals(
        List.of(EventTypes.SAGA_FAILED), answer.events().stream().map(CloudEvent::type).toList());
    StoredSaga saga = load(id);
    assertEquals(SagaStatus.FAILED, saga.state().status());
    assertEquals(StepStatus.TIMED_OUT, saga.state().step("reserve-stock").status());
  }

  @Test
  void aDeadlineSetWhileTheRunnersClockLagsIsNotOverdueAtOnceByTheDatabasesClock() {
    SagaRunner lagging =
        runner(Duration.ofSeconds(10), Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-1)));
    String id = Fixtures.newOrderId();
    await(lagging.start(Fixtures.event(EventTypes.ORDER_PLACED, id), Fixtures.order(id)));

    // What the sweep asks: the saga is not overdue until its time limit has passed.
    assertFalse(isOverdue(id), "reserve-stock's deadline is overdue at once");
    await(lagging.onReply(Fixtures.event(EventTypes.STOCK_RESERVED, id), id));
    assertEquals(1, load(id).state().version());
    assertFalse(isOverdue(id), "authorize-payment's deadline is overdue at once");
  }

  @Test
  void aTimeoutBeforeTheDeadlineIsNotRememberedSoThatItsRedeliveryIsJudgedAgain() {
    String id = start(Fixtures.newOrderId());

    Answer early = await(runner.onTimeout(Fixtures.event(EventTypes.SAGA_DEADLINE_PASSED, id), id));

    assertEquals(List.of(), early.events());
    assertFalse(early.remembered(), "a deadline not due yet was answered for good");
  }

  @Test
  void aTimeoutForAFinishedSagaIsRemembered() {
    String id = start(Fixtures.newOrderId());
    await(runner.onReply(Fixtures.event(EventTypes.STOCK_REJECTED, id), id));
    await(runner.compensate(Fixtures.event(EventTypes.SAGA_FAILED, id), id));
    assertEquals(SagaStatus.COMPENSATED, load(id).state().status());

    Answer answer =
        await(runner.onTimeout(Fixtures.event(EventTypes.SAGA_DEADLINE_PASSED, id), id));

    assertEquals(List.of(), answer.events());
    assertTrue(answer.remembered(), "a finished saga's answer is final");
  }

  @Test
  void theTimelineHoldsWhatEachTransitionTookAndSentInOrderWithTheDatabasesTime() {
    String id = start(Fixtures.newOrderId());
    CloudEvent placed = Fixtures.event(EventTypes.ORDER_PLACED, id);
    CloudEvent reserved = Fixtures.event(EventTypes.STOCK_RESERVED, id);
    Answer authorize = await(runner.onReply(reserved, id));
    // A duplicate changes nothing, so it is not on the timeline either.
    await(runner.onReply(reserved, id));

    List<TimelineEntry> timeline = store.timeline(id).await().atMost(WAIT);
    assertEquals(
        List.of("in", "out", "in", "out"),
        timeline.stream().map(TimelineEntry::direction).toList());
    assertEquals(
        List.of(
            EventTypes.ORDER_PLACED,
            EventTypes.STOCK_RESERVE,
            EventTypes.STOCK_RESERVED,
            EventTypes.PAYMENT_AUTHORIZE),
        timeline.stream().map(TimelineEntry::type).toList());
    assertEquals(placed.source(), timeline.get(0).source());
    assertEquals(id + ":reserve-stock:action:1", timeline.get(1).id());
    assertEquals(reserved.id(), timeline.get(2).id());
    assertEquals(authorize.events().get(0).id(), timeline.get(3).id());
    assertEquals("/bookstore/functions/saga-step", timeline.get(3).source());
    StoredSaga saga = load(id);
    assertEquals(saga.createdAt(), timeline.get(0).at(), "stamped with the insert's time");
    assertEquals(saga.updatedAt(), timeline.get(3).at(), "stamped with the transition's time");
    assertTrue(timeline.get(1).at().isBefore(timeline.get(2).at()));
    assertEquals(List.of(), store.timeline("no-such-saga").await().atMost(WAIT));
  }

  @Test
  void compensationsAreOnTheSameTimeline() {
    String id = startShort(Fixtures.newOrderId());
    awaitOverdue(id);
    await(shortRunner.onTimeout(Fixtures.event(EventTypes.SAGA_DEADLINE_PASSED, id), id));
    await(shortRunner.compensate(Fixtures.event(EventTypes.SAGA_FAILED, id), id));
    await(shortRunner.onReply(Fixtures.event(EventTypes.STOCK_RELEASED, id), id));

    assertEquals(
        List.of(
            EventTypes.ORDER_PLACED,
            EventTypes.STOCK_RESERVE,
            EventTypes.SAGA_DEADLINE_PASSED,
            EventTypes.SAGA_FAILED,
            EventTypes.SAGA_FAILED,
            EventTypes.STOCK_RELEASE,
            EventTypes.STOCK_RELEASED,
            EventTypes.ORDER_CANCELLED),
        store.timeline(id).await().atMost(WAIT).stream().map(TimelineEntry::type).toList());
  }
}
