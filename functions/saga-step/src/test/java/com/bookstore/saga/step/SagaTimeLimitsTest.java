package com.bookstore.saga.step;

import static com.bookstore.saga.step.OrderSagaEvents.authorized;
import static com.bookstore.saga.step.OrderSagaEvents.deadlinePassed;
import static com.bookstore.saga.step.OrderSagaEvents.expect;
import static com.bookstore.saga.step.OrderSagaEvents.newOrderId;
import static com.bookstore.saga.step.OrderSagaEvents.placed;
import static com.bookstore.saga.step.OrderSagaEvents.reserved;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.bookstore.events.EventTypes;
import com.bookstore.kit.saga.SagaStatus;
import com.bookstore.kit.saga.StepStatus;
import com.bookstore.kit.testing.CloudEventRequest;
import com.bookstore.saga.store.SagaStore;
import com.bookstore.saga.store.StoredSaga;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** saga.deadline-passed after a step's time limit (the test profile makes them short). */
@QuarkusTest
@TestProfile(ShortTimeLimits.class)
class SagaTimeLimitsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Inject SagaStore store;
  @Inject Pool pool;

  private StoredSaga saga(String id) {
    return store.load(id).await().atMost(WAIT).orElseThrow();
  }

  /**
   * The sweep's event once the saga's current deadline has passed by the database's clock, which
   * the sweep goes by ({@code deadline <= now()}).
   */
  private CloudEventRequest overdue(String id) {
    Instant deadline = saga(id).state().deadline();
    await()
        .atMost(WAIT)
        .until(
            () ->
                pool.preparedQuery("select $1::timestamptz <= now() as due")
                    .execute(Tuple.of(deadline.atOffset(ZoneOffset.UTC)))
                    .await()
                    .atMost(WAIT)
                    .iterator()
                    .next()
                    .getBoolean("due"));
    return deadlinePassed(id, deadline);
  }

  @Test
  void anAuthorizationOverdueFailsTheSagaAsTimedOut() {
    String id = newOrderId();
    expect(placed(id), EventTypes.STOCK_RESERVE);
    expect(reserved(id), EventTypes.PAYMENT_AUTHORIZE);

    expect(overdue(id), EventTypes.SAGA_FAILED)
        .then()
        .header("ce-partitionkey", id)
        .body("sagaId", equalTo(id))
        .body("step", equalTo("authorize-payment"))
        .body("reason", equalTo("authorize-payment timed out"));
    StoredSaga saga = saga(id);
    assertEquals(SagaStatus.FAILED, saga.state().status());
    // it may have authorized anyway, so its refund is owed
    assertEquals(StepStatus.TIMED_OUT, saga.state().step("authorize-payment").status());
  }

  @Test
  void anOverdueCommitIsSentAgainWithTheNextAttemptsId() {
    String id = newOrderId();
    expect(placed(id), EventTypes.STOCK_RESERVE);
    expect(reserved(id), EventTypes.PAYMENT_AUTHORIZE);
    expect(authorized(id), EventTypes.STOCK_COMMIT)
        .then()
        .header("ce-id", id + ":commit-stock:action:1");

    expect(overdue(id), EventTypes.STOCK_COMMIT)
        .then()
        .header("ce-id", id + ":commit-stock:action:2")
        .header("ce-partitionkey", id)
        .body("orderId", equalTo(id));
    StoredSaga saga = saga(id);
    assertEquals(SagaStatus.RUNNING, saga.state().status());
    assertEquals(2, saga.state().step("commit-stock").attempts());
  }

  @Test
  void aCommitUnansweredThroughItsWholeBudgetLeavesTheSagaStuck() {
    String id = newOrderId();
    expect(placed(id), EventTypes.STOCK_RESERVE);
    expect(reserved(id), EventTypes.PAYMENT_AUTHORIZE);
    expect(authorized(id), EventTypes.STOCK_COMMIT);
    for (int attempt = 2; attempt <= 5; attempt++) {
      expect(overdue(id), EventTypes.STOCK_COMMIT)
          .then()
          .header("ce-id", id + ":commit-stock:action:" + attempt);
    }

    expect(overdue(id), EventTypes.SAGA_STUCK)
        .then()
        .body("sagaId", equalTo(id))
        .body("step", equalTo("commit-stock"))
        .body("kind", equalTo("action"))
        .body("attempts", equalTo(5));
    StoredSaga saga = saga(id);
    assertEquals(SagaStatus.STUCK, saga.state().status());
    assertNull(saga.state().deadline(), "a stuck saga is left to an operator, not to the sweep");
    // Stuck sagas left by tests would pile up in the operators' list run after run.
    pool.preparedQuery("delete from saga.saga where id = $1")
        .execute(Tuple.of(id))
        .await()
        .atMost(WAIT);
  }
}
