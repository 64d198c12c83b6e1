package com.bookstore.saga.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bookstore.events.EventTypes;
import com.bookstore.kit.saga.Reply;
import com.bookstore.kit.saga.SagaEngine;
import com.bookstore.kit.saga.SagaState;
import com.bookstore.kit.saga.SagaStatus;
import com.bookstore.kit.saga.StepState;
import com.bookstore.kit.saga.StepStatus;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The saga's persistence against the local stack's PostgreSQL. */
class SagaStoreTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static TestDatabase db;
  private static SagaStore store;
  private static final SagaEngine engine =
      new OrderSaga(step -> OrderSaga.DEFAULT_TIME_LIMIT, 900).engine();

  @BeforeAll
  static void connect() {
    db = new TestDatabase();
    store = new SagaStore(db.pool);
  }

  @AfterAll
  static void disconnect() {
    db.close();
  }

  private static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MICROS);
  }

  private static SagaState started(String id, Instant now) {
    SagaState state = engine.start(id, now).state();
    assertTrue(
        store.insert(state, Fixtures.order(id), "/tests#start-" + id, now).await().atMost(WAIT));
    return state;
  }

  private static StoredSaga load(String id) {
    return store.load(id).await().atMost(WAIT).orElseThrow();
  }

  @Test
  void aStartedSagaReadsBackExactlyAsItWasStored() {
    String id = Fixtures.newOrderId();
    Instant now = now();
    SagaState state = started(id, now);

    StoredSaga stored = load(id);
    assertEquals(state, stored.state());
    assertEquals(Fixtures.order(id), stored.order());
    assertEquals("/tests#start-" + id, stored.lastInput());
    assertEquals(now, stored.createdAt());
    assertEquals(now, stored.updatedAt());
  }

  @Test
  void aStateWithEveryFieldSetRoundTripsUnchanged() {
    String id = Fixtures.newOrderId();
    Instant now = Instant.parse("2026-11-24T10:15:30.123456Z");
    SagaState state =
        new SagaState(
            id,
            "order",
            SagaStatus.COMPENSATING,
            1,
            "authorize-payment timed out",
            7,
            List.of(
                new StepState("reserve-stock", StepStatus.SUCCEEDED, 1, 0),
                new StepState("authorize-payment", StepStatus.COMPENSATING, 2, 3),
                new StepState("commit-stock", StepStatus.PENDING, 0, 0),
                new StepState("capture-payment", StepStatus.PENDING, 0, 0)),
            now.plusSeconds(10),
            Set.of("/bookstore/functions/reserve-stock#a1", "/bookstore/functions/payment#b2"));
    assertTrue(store.insert(state, Fixtures.order(id), null, now).await().atMost(WAIT));

    StoredSaga stored = load(id);
    assertEquals(state, stored.state());
    assertEquals(null, stored.lastInput());
  }

  @Test
  void anUpdateWritesTheNewStateAndOnlyTheChangedSteps() {
    String id = Fixtures.newOrderId();
    Instant now = now();
    SagaState state = started(id, now);
    SagaState next =
        engine
            .onReply(state, new Reply(EventTypes.STOCK_RESERVED, "/tests#r1"), now.plusMillis(5))
            .state();

    assertTrue(store.update(state, next, "/tests#r1", now.plusMillis(5)).await().atMost(WAIT));

    StoredSaga stored = load(id);
    assertEquals(next, stored.state());
    assertEquals(1, stored.state().version());
    assertEquals("/tests#r1", stored.lastInput());
    assertEquals(now, stored.createdAt());
    assertEquals(now.plusMillis(5), stored.updatedAt());
  }

  @Test
  void aFinishedSagaRoundTripsWithNoStepInFlight() {
    String id = Fixtures.newOrderId();
    Instant now = now();
    SagaState state = started(id, now);
    SagaState failed =
        engine.onReply(state, new Reply(EventTypes.STOCK_REJECTED, "/tests#x"), now).state();
    SagaState compensated = engine.compensate(failed, now).state();
    assertEquals(SagaStatus.COMPENSATED, compensated.status());

    assertTrue(store.update(state, failed, "/tests#x", now).await().atMost(WAIT));
    assertTrue(store.update(failed, compensated, "/tests#y", now).await().atMost(WAIT));
    assertEquals(compensated, load(id).state());
  }

  @Test
  void aStaleVersionWritesNothing() {
    String id = Fixtures.newOrderId();
    Instant now = now();
    SagaState state = started(id, now);
    SagaState first =
        engine.onReply(state, new Reply(EventTypes.STOCK_RESERVED, "/tests#1"), now).state();
    assertTrue(store.update(state, first, "/tests#1", now).await().atMost(WAIT));

    SagaState fromStale =
        engine.onReply(state, new Reply(EventTypes.STOCK_REJECTED, "/tests#2"), now).state();
    assertFalse(store.update(state, fromStale, "/tests#2", now).await().atMost(WAIT));

    assertEquals(first, load(id).state());
    assertEquals("/tests#1", load(id).lastInput());
  }

  @Test
  void twoConcurrentWritersFromTheSameVersionExactlyOneWins() {
    for (int round = 0; round < 20; round++) {
      String id = Fixtures.newOrderId();
      Instant now = now();
      SagaState state = started(id, now);
      SagaState advanced =
          engine.onReply(state, new Reply(EventTypes.STOCK_RESERVED, "/tests#a"), now).state();
      SagaState failed =
          engine.onReply(state, new Reply(EventTypes.STOCK_REJECTED, "/tests#b"), now).state();

      List<Boolean> results =
          Uni.combine()
              .all()
              .unis(
                  store.update(state, advanced, "/tests#a", now),
                  store.update(state, failed, "/tests#b", now))
              .asTuple()
              .map(t -> List.of(t.getItem1(), t.getItem2()))
              .await()
              .atMost(WAIT);

      assertEquals(1, results.stream().filter(b -> b).count(), "winners in round " + round);
      SagaState winner = results.get(0) ? advanced : failed;
      StoredSaga stored = load(id);
      assertEquals(winner, stored.state(), "round " + round);
      assertEquals(1, stored.state().version());
    }
  }

  @Test
  void aSecondInsertForTheSameIdChangesNothing() {
    String id = Fixtures.newOrderId();
    Instant now = now();
    SagaState state = started(id, now);
    SagaState other = engine.start(id, now.plusSeconds(1)).state();

    assertFalse(
        store
            .insert(other, Fixtures.order(id), "/tests#again", now.plusSeconds(1))
            .await()
            .atMost(WAIT));
    assertEquals(state, load(id).state());
    assertEquals("/tests#start-" + id, load(id).lastInput());
  }

  @Test
  void anInsertOnTheDatabasesClockKeepsTheTimeLimitFromTheDatabasesNow() {
    String id = Fixtures.newOrderId();
    Instant anHourAgo = now().minus(Duration.ofHours(1));
    SagaState decided = engine.start(id, anHourAgo).state();

    Instant at =
        store
            .insertOnDatabaseClock(decided, Fixtures.order(id), "/tests#start-" + id, anHourAgo)
            .await()
            .atMost(WAIT)
            .orElseThrow();

    StoredSaga stored = load(id);
    assertEquals(at, stored.createdAt());
    assertEquals(at, stored.updatedAt());
    assertEquals(engine.start(id, at).state(), stored.state());
    Instant dbNow = store.read(id).await().atMost(WAIT).orElseThrow().now();
    assertTrue(!dbNow.isBefore(at), dbNow + " is before the insert at " + at);
    assertTrue(stored.state().deadline().isAfter(dbNow), "the deadline is overdue at once");
    assertTrue(
        store
            .insertOnDatabaseClock(decided, Fixtures.order(id), "/tests#again", anHourAgo)
            .await()
            .atMost(WAIT)
            .isEmpty());
    assertEquals("/tests#start-" + id, load(id).lastInput());
  }

  @Test
  void anUnknownIdLoadsNothing() {
    assertTrue(store.load(Fixtures.newOrderId()).await().atMost(WAIT).isEmpty());
  }

  @Test
  void stuckSagasAreFoundByOneQuery() {
    String id = Fixtures.newOrderId();
    Instant now = now();
    SagaState stuck =
        new SagaState(
            id,
            "order",
            SagaStatus.STUCK,
            2,
            null,
            9,
            List.of(
                new StepState("reserve-stock", StepStatus.SUCCEEDED, 1, 0),
                new StepState("authorize-payment", StepStatus.SUCCEEDED, 1, 0),
                new StepState("commit-stock", StepStatus.STARTED, 5, 0),
                new StepState("capture-payment", StepStatus.PENDING, 0, 0)),
            null,
            Set.of());
    assertTrue(store.insert(stuck, Fixtures.order(id), null, now).await().atMost(WAIT));

    List<StoredSaga> found = store.stuck(10_000).await().atMost(WAIT);
    assertTrue(found.stream().anyMatch(s -> s.state().equals(stuck)), "stuck saga listed");
    assertTrue(found.stream().allMatch(s -> s.state().status() == SagaStatus.STUCK));
    // Stuck sagas left by tests would pile up in the operators' list run after run.
    db.pool
        .preparedQuery("delete from saga.saga where id = $1")
        .execute(Tuple.of(id))
        .await()
        .atMost(WAIT);
  }

  @Test
  void theSagaTableHasTheColumnsOtherFunctionsRead() {
    Map<String, String> columns = new HashMap<>();
    db.pool
        .query(
            "select column_name, data_type, character_maximum_length from information_schema.columns"
                + " where table_schema = 'saga' and table_name = 'saga'")
        .execute()
        .await()
        .atMost(WAIT)
        .forEach(
            (Row r) ->
                columns.put(
                    r.getString("column_name"),
                    r.getString("data_type")
                        + (r.getInteger("character_maximum_length") == null
                            ? ""
                            : "(" + r.getInteger("character_maximum_length") + ")")));
    assertEquals("character varying(100)", columns.get("id"));
    assertEquals("character varying(50)", columns.get("definition"));
    assertEquals("character varying(16)", columns.get("status"));
    assertEquals("timestamp with time zone", columns.get("deadline"));
    assertEquals("bigint", columns.get("version"));
    assertEquals("jsonb", columns.get("order_data"));

    List<String> stepColumns = new ArrayList<>();
    db.pool
        .query(
            "select column_name from information_schema.columns"
                + " where table_schema = 'saga' and table_name = 'saga_step' order by ordinal_position")
        .execute()
        .await()
        .atMost(WAIT)
        .forEach((Row r) -> stepColumns.add(r.getString("column_name")));
    assertEquals(
        List.of("saga_id", "index", "name", "status", "attempts", "compensation_attempts"),
        stepColumns);
  }

  @Test
  void theSweepAndTheStuckQueryAreServedByTheirPartialIndexes() {
    String sweep =
        plan(
            "select id, deadline from saga.saga where status in ('RUNNING','FAILED','COMPENSATING')"
                + " and deadline <= now() order by deadline limit 100");
    assertTrue(sweep.contains("saga_due"), sweep);
    String stuck =
        plan("select id from saga.saga where status = 'STUCK' order by updated_at limit 100");
    assertTrue(stuck.contains("saga_stuck"), stuck);
  }

  /** The plan when a sequential scan is not an option: does an index serve the query at all? */
  private static String plan(String query) {
    return db.pool
        .withTransaction(
            c ->
                c.query("set local enable_seqscan = off")
                    .execute()
                    .flatMap(x -> c.query("explain " + query).execute())
                    .map(
                        rows -> {
                          StringBuilder out = new StringBuilder();
                          rows.forEach((Row r) -> out.append(r.getString(0)).append('\n'));
                          return out.toString();
                        }))
        .await()
        .atMost(WAIT);
  }
}
