package com.bookstore.saga.step;

import static com.bookstore.saga.step.OrderSagaEvents.authorized;
import static com.bookstore.saga.step.OrderSagaEvents.captured;
import static com.bookstore.saga.step.OrderSagaEvents.committed;
import static com.bookstore.saga.step.OrderSagaEvents.deadlinePassed;
import static com.bookstore.saga.step.OrderSagaEvents.declined;
import static com.bookstore.saga.step.OrderSagaEvents.expect;
import static com.bookstore.saga.step.OrderSagaEvents.ledgerKey;
import static com.bookstore.saga.step.OrderSagaEvents.newOrderId;
import static com.bookstore.saga.step.OrderSagaEvents.placed;
import static com.bookstore.saga.step.OrderSagaEvents.rejected;
import static com.bookstore.saga.step.OrderSagaEvents.reserved;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.bookstore.events.EventTypes;
import com.bookstore.kit.saga.SagaStatus;
import com.bookstore.kit.saga.StepStatus;
import com.bookstore.kit.testing.CloudEventRequest;
import com.bookstore.saga.store.SagaStore;
import com.bookstore.saga.store.StoredSaga;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.redis.client.RedisAPI;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** saga-step over HTTP CloudEvents (the Knative Broker's way) on the real PostgreSQL and Redis. */
@QuarkusTest
class SagaStepTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Inject SagaStore store;
  @Inject RedisAPI redis;

  private StoredSaga saga(String id) {
    return store.load(id).await().atMost(WAIT).orElseThrow();
  }

  private static void nothing(CloudEventRequest request) {
    request.post().then().statusCode(202);
  }

  private static String started() {
    String id = newOrderId();
    expect(placed(id), EventTypes.STOCK_RESERVE);
    return id;
  }

  @Test
  void orderPlacedStartsTheSagaWithStockReserveForTheOrdersItems() {
    String id = newOrderId();
    expect(placed(id), EventTypes.STOCK_RESERVE)
        .then()
        .header("ce-id", id + ":reserve-stock:action:1")
        .header("ce-source", "/bookstore/functions/saga-step")
        .header("ce-subject", id)
        .header("ce-partitionkey", id)
        .body("orderId", equalTo(id))
        .body("items", hasSize(2))
        .body("items[1].isbn", equalTo("161729494X"))
        .body("items[1].quantity", equalTo(2))
        .body("holdSeconds", equalTo(900));
    StoredSaga saga = saga(id);
    assertEquals(SagaStatus.RUNNING, saga.state().status());
    assertEquals(0, saga.state().version());
    assertEquals(StepStatus.STARTED, saga.state().step("reserve-stock").status());
  }

  @Test
  void stockReservedAuthorizesThePaymentForTheTotal() {
    String id = started();
    expect(reserved(id), EventTypes.PAYMENT_AUTHORIZE)
        .then()
        .header("ce-id", id + ":authorize-payment:action:1")
        .header("ce-partitionkey", id)
        .body("orderId", equalTo(id))
        .body("customerId", equalTo("user-7"))
        .body("amount.cents", equalTo(12499))
        .body("amount.currency", equalTo("EUR"))
        .body("paymentMethod", equalTo("tok_visa"));
  }

  @Test
  void paymentAuthorizedCommitsTheStock() {
    String id = started();
    expect(reserved(id), EventTypes.PAYMENT_AUTHORIZE);
    expect(authorized(id), EventTypes.STOCK_COMMIT)
        .then()
        .header("ce-id", id + ":commit-stock:action:1")
        .body("orderId", equalTo(id));
  }

  @Test
  void stockCommittedCapturesThePayment() {
    String id = started();
    expect(reserved(id), EventTypes.PAYMENT_AUTHORIZE);
    expect(authorized(id), EventTypes.STOCK_COMMIT);
    expect(committed(id), EventTypes.PAYMENT_CAPTURE)
        .then()
        .header("ce-id", id + ":capture-payment:action:1")
        .body("orderId", equalTo(id));
  }

  @Test
  void paymentCapturedConfirmsTheOrderWithItsEmailAndTotal() {
    String id = started();
    expect(reserved(id), EventTypes.PAYMENT_AUTHORIZE);
    expect(authorized(id), EventTypes.STOCK_COMMIT);
    expect(committed(id), EventTypes.PAYMENT_CAPTURE);
    expect(captured(id), EventTypes.ORDER_CONFIRMED)
        .then()
        .header("ce-subject", id)
        .header("ce-partitionkey", id)
        .body("orderId", equalTo(id))
        .body("customerId", equalTo("user-7"))
        .body("email", equalTo("ada@example.com"))
        .body("total.cents", equalTo(12499));
    StoredSaga saga = saga(id);
    assertEquals(SagaStatus.COMPLETED, saga.state().status());
    assertNull(saga.state().deadline(), "a finished saga waits for nothing");
    assertEquals(4, saga.state().version());
  }

  @Test
  void theSameReplyTwiceMakesOneTransition() {
    String id = started();
    CloudEventRequest reply = reserved(id);
    String first = expect(reply, EventTypes.PAYMENT_AUTHORIZE).header("ce-id");
    // A redelivery: the ledger answers it with the same event
    assertEquals(first, expect(reply, EventTypes.PAYMENT_AUTHORIZE).header("ce-id"));
    assertEquals(1, saga(id).state().version());

    // Redis forgot it: PostgreSQL knows the reply made the latest transition and answers the same
    redis.del(List.of(ledgerKey(OrderSagaEvents.SOURCE, reply))).await().atMost(WAIT);
    assertEquals(first, expect(reply, EventTypes.PAYMENT_AUTHORIZE).header("ce-id"));
    assertEquals(1, saga(id).state().version());
  }

  @Test
  void aDuplicateOfAnOlderReplyAfterRedisForgotItChangesNothingAndSendsNothing() {
    String id = started();
    CloudEventRequest reply = reserved(id);
    expect(reply, EventTypes.PAYMENT_AUTHORIZE);
    expect(authorized(id), EventTypes.STOCK_COMMIT);

    redis.del(List.of(ledgerKey(OrderSagaEvents.SOURCE, reply))).await().atMost(WAIT);
    nothing(reply);
    assertEquals(2, saga(id).state().version());
  }

  @Test
  void twoDifferentRepliesForTheSameSagaAtOnceLeaveAConsistentState() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 5; round++) {
        String id = started();
        CloudEventRequest yes = reserved(id);
        CloudEventRequest no = rejected(id);
        CompletableFuture<Response> a = CompletableFuture.supplyAsync(yes::post, pool);
        CompletableFuture<Response> b = CompletableFuture.supplyAsync(no::post, pool);
        List<Response> answers = List.of(a.get(), b.get());

        StoredSaga saga = saga(id);
        assertEquals(1, saga.state().version(), "one of the two replies applied");
        List<String> sent = new ArrayList<>();
        for (Response r : answers) {
          if (r.statusCode() == 200) {
            sent.add(r.header("ce-type"));
          } else {
            assertEquals(202, r.statusCode(), r.asString());
          }
        }
        if (saga.state().status() == SagaStatus.RUNNING) {
          assertEquals(List.of(EventTypes.PAYMENT_AUTHORIZE), sent);
          assertEquals(StepStatus.SUCCEEDED, saga.state().step("reserve-stock").status());
          assertEquals(StepStatus.STARTED, saga.state().step("authorize-payment").status());
        } else {
          assertEquals(SagaStatus.FAILED, saga.state().status());
          assertEquals(List.of(EventTypes.SAGA_FAILED), sent);
          assertEquals(StepStatus.FAILED, saga.state().step("reserve-stock").status());
          assertEquals(StepStatus.PENDING, saga.state().step("authorize-payment").status());
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void stockRejectedFailsTheSagaAsOutOfStock() {
    String id = started();
    expect(rejected(id), EventTypes.SAGA_FAILED)
        .then()
        .header("ce-id", id + ":failed")
        .header("ce-partitionkey", id)
        .body("sagaId", equalTo(id))
        .body("saga", equalTo("order"))
        .body("step", equalTo("reserve-stock"))
        .body("reason", equalTo("out-of-stock"));
    StoredSaga saga = saga(id);
    assertEquals(SagaStatus.FAILED, saga.state().status());
    assertEquals("out-of-stock", saga.state().failureReason());
  }

  @Test
  void paymentDeclinedFailsTheSagaAsPaymentDeclined() {
    String id = started();
    expect(reserved(id), EventTypes.PAYMENT_AUTHORIZE);
    expect(declined(id), EventTypes.SAGA_FAILED)
        .then()
        .body("step", equalTo("authorize-payment"))
        .body("reason", equalTo("payment-declined"));
  }

  @Test
  void deadlinePassedBeforeTheDeadlineDoesNothing() {
    String id = started();
    Instant deadline = saga(id).state().deadline();
    nothing(deadlinePassed(id, deadline));
    StoredSaga saga = saga(id);
    assertEquals(0, saga.state().version());
    assertEquals(deadline, saga.state().deadline());
  }

  @Test
  void aReplyForAnUnknownSagaIsAcknowledgedWithNothingSent() {
    String id = newOrderId();
    nothing(reserved(id));
    assertEquals(true, store.load(id).await().atMost(WAIT).isEmpty());
  }

  @Test
  void aSecondOrderPlacedForTheSameOrderIsADuplicate() {
    String id = started();
    nothing(placed(id));
    assertEquals(0, saga(id).state().version());
  }

  @Test
  void aRejectionOfTheCommitIsALateReplyNotAFailure() {
    String id = started();
    expect(reserved(id), EventTypes.PAYMENT_AUTHORIZE);
    expect(authorized(id), EventTypes.STOCK_COMMIT);
    // stock.rejected belongs to reserve-stock, which succeeded: commit-stock waits for its retry
    nothing(rejected(id));
    StoredSaga saga = saga(id);
    assertEquals(SagaStatus.RUNNING, saga.state().status());
    assertEquals(2, saga.state().version());
  }
}
