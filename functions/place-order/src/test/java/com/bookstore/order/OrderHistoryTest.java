package com.bookstore.order;

import static com.bookstore.kit.testing.CloudEventRequest.event;
import static com.bookstore.kit.testing.KafkaTestClient.header;
import static com.bookstore.order.TestCatalog.BOOK_A;
import static com.bookstore.order.TestCatalog.BOOK_A_CENTS;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.bookstore.events.EventTypes;
import com.bookstore.events.Topics;
import com.bookstore.events.order.OrderCancelled;
import com.bookstore.events.order.OrderConfirmed;
import com.bookstore.events.payment.Money;
import com.bookstore.events.payment.PaymentAuthorized;
import com.bookstore.events.payment.PaymentCaptured;
import com.bookstore.events.payment.PaymentDeclined;
import com.bookstore.events.payment.PaymentRefunded;
import com.bookstore.events.saga.SagaFailed;
import com.bookstore.events.stock.StockCommitted;
import com.bookstore.events.stock.StockLine;
import com.bookstore.events.stock.StockReleased;
import com.bookstore.events.stock.StockReserved;
import com.bookstore.kit.CloudEvent;
import com.bookstore.kit.IdempotencyLedger;
import com.bookstore.kit.testing.CloudEventRequest;
import com.bookstore.kit.testing.KafkaTestClient;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The order saga's facts, over HTTP CloudEvents and the Kafka topic: each adds one history row and
 * moves the status forward only.
 */
@QuarkusTest
@WithTestResource(value = TestCatalog.class, scope = TestResourceScope.GLOBAL)
class OrderHistoryTest {
  private static final Money TOTAL = new Money(BOOK_A_CENTS, "EUR");
  private static final List<StockLine> ITEMS = List.of(new StockLine(BOOK_A, 1));

  @Inject RedisAPI redis;
  @Inject Pool pool;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  private Customers.Customer ada;

  private String placeOrder() {
    ada = Customers.loggedIn(redis);
    return ada.place(PlaceOrderTest.cart(BOOK_A, 1))
        .then()
        .statusCode(202)
        .extract()
        .path("orderId");
  }

  private static CloudEventRequest fact(String type, String orderId, Object data) {
    return event(type)
        .source("/bookstore/functions/tests")
        .attribute("partitionkey", orderId)
        .attribute("subject", orderId)
        .data(data);
  }

  private static void deliver(CloudEventRequest fact) {
    fact.post().then().statusCode(202);
  }

  private OrderConfirmed confirmed(String orderId) {
    return new OrderConfirmed(orderId, ada.userId(), ada.email(), TOTAL, Instant.now());
  }

  @Test
  void factsMoveTheOrderToConfirmedAndTheHistoryListsThemOldestFirst() {
    String orderId = placeOrder();
    deliver(
        fact(
            EventTypes.STOCK_RESERVED,
            orderId,
            new StockReserved(orderId, ITEMS, Instant.now().plusSeconds(900))));
    ada.order(orderId).then().body("status", equalTo("PENDING"));
    deliver(
        fact(
            EventTypes.PAYMENT_AUTHORIZED,
            orderId,
            new PaymentAuthorized(orderId, "auth-1", TOTAL)));
    deliver(fact(EventTypes.STOCK_COMMITTED, orderId, new StockCommitted(orderId, ITEMS)));
    deliver(
        fact(EventTypes.PAYMENT_CAPTURED, orderId, new PaymentCaptured(orderId, "auth-1", TOTAL)));
    deliver(fact(EventTypes.ORDER_CONFIRMED, orderId, confirmed(orderId)));
    ada.order(orderId)
        .then()
        .statusCode(200)
        .body("status", equalTo("CONFIRMED"))
        .body("reason", nullValue())
        .body(
            "history.type",
            contains(
                EventTypes.ORDER_PLACED,
                EventTypes.STOCK_RESERVED,
                EventTypes.PAYMENT_AUTHORIZED,
                EventTypes.STOCK_COMMITTED,
                EventTypes.PAYMENT_CAPTURED,
                EventTypes.ORDER_CONFIRMED))
        .body("history[2].detail", equalTo("payment of 12.50 EUR authorized"))
        .body("history[5].detail", equalTo("order confirmed"));
    assertEquals("CONFIRMED", Db.status(pool, orderId));
  }

  @Test
  void aRedeliveredFactAddsNoHistoryRowEvenAfterTheLedgerForgotIt() {
    String orderId = placeOrder();
    CloudEventRequest reserved =
        fact(
            EventTypes.STOCK_RESERVED,
            orderId,
            new StockReserved(orderId, ITEMS, Instant.now().plusSeconds(900)));
    deliver(reserved);
    deliver(reserved);
    assertEquals(2, Db.history(pool, orderId));
    // Redis's idempotency entry expired or was lost: PostgreSQL's unique (source, id) still holds.
    long forgotten =
        redis
            .del(
                List.of(
                    IdempotencyLedger.key(
                        "place-order",
                        new CloudEvent(
                            reserved.id(),
                            "/bookstore/functions/tests",
                            EventTypes.STOCK_RESERVED,
                            null,
                            null,
                            null,
                            null,
                            Map.of(),
                            null))))
            .await()
            .indefinitely()
            .toLong();
    assertEquals(1, forgotten, "the ledger entry of the fact was not where the kit keeps it");
    deliver(reserved);
    assertEquals(2, Db.history(pool, orderId));
  }

  @Test
  void aLateFactNeverReopensAConfirmedOrder() {
    String orderId = placeOrder();
    deliver(fact(EventTypes.ORDER_CONFIRMED, orderId, confirmed(orderId)));
    deliver(
        fact(
            EventTypes.SAGA_FAILED,
            orderId,
            new SagaFailed(orderId, "order", "capture-payment", "capture-payment timed out")));
    deliver(
        fact(
            EventTypes.ORDER_CANCELLED,
            orderId,
            new OrderCancelled(
                orderId, ada.userId(), ada.email(), TOTAL, "out-of-stock", Instant.now())));
    ada.order(orderId)
        .then()
        .body("status", equalTo("CONFIRMED"))
        .body("reason", nullValue())
        .body("history", hasSize(4));
  }

  @Test
  void aFailedSagaMovesTheOrderToCancellingThenCancelledWithItsReason() {
    String orderId = placeOrder();
    deliver(
        fact(
            EventTypes.STOCK_RESERVED,
            orderId,
            new StockReserved(orderId, ITEMS, Instant.now().plusSeconds(900))));
    deliver(
        fact(EventTypes.PAYMENT_DECLINED, orderId, new PaymentDeclined(orderId, "card-declined")));
    deliver(
        fact(
            EventTypes.SAGA_FAILED,
            orderId,
            new SagaFailed(orderId, "order", "authorize-payment", "payment-declined")));
    ada.order(orderId).then().body("status", equalTo("CANCELLING"));
    deliver(fact(EventTypes.STOCK_RELEASED, orderId, new StockReleased(orderId, ITEMS)));
    deliver(
        fact(
            EventTypes.PAYMENT_REFUNDED,
            orderId,
            new PaymentRefunded(orderId, new Money(0, "EUR"))));
    deliver(
        fact(
            EventTypes.ORDER_CANCELLED,
            orderId,
            new OrderCancelled(
                orderId, ada.userId(), ada.email(), TOTAL, "payment-declined", Instant.now())));
    ada.order(orderId)
        .then()
        .body("status", equalTo("CANCELLED"))
        .body("reason", equalTo("payment-declined"))
        .body("history", hasSize(7))
        .body("history[2].detail", equalTo("payment declined: card-declined"))
        .body("history[6].detail", equalTo("order cancelled: payment-declined"));
    // A late confirmation (impossible by the saga table, but facts can be misrouted) changes
    // nothing.
    deliver(fact(EventTypes.ORDER_CONFIRMED, orderId, confirmed(orderId)));
    ada.order(orderId).then().body("status", equalTo("CANCELLED"));
  }

  @Test
  void aFailureOfAnotherSagaLeavesTheOrderAlone() {
    String orderId = placeOrder();
    deliver(
        fact(
            EventTypes.SAGA_FAILED,
            orderId,
            new SagaFailed(orderId, "delivery", "schedule-courier", "no-courier")));
    ada.order(orderId).then().body("status", equalTo("PENDING")).body("history", hasSize(1));
  }

  @Test
  void factsForAnOrderNotKnownHereAreAcknowledgedOverHttp() {
    String unknown = "order-" + UUID.randomUUID();
    deliver(
        fact(
            EventTypes.STOCK_RESERVED,
            unknown,
            new StockReserved(unknown, ITEMS, Instant.now().plusSeconds(900))));
    assertEquals(
        0,
        Db.count(pool, "select count(*) from orders.order_history where order_id = $1", unknown));
  }

  @Test
  void factsOnTheTopicMoveTheOrderAndUnknownOrdersAreNotDeadLettered() {
    String orderId = placeOrder();
    String unknown = "order-" + UUID.randomUUID();
    String unknownFactId = UUID.randomUUID().toString();
    try (KafkaTestClient kafka = new KafkaTestClient(bootstrap);
        KafkaTestClient.Tail deadLetters = kafka.tail(Topics.DEAD_LETTER)) {
      kafka.sendEvent(
          unknown,
          Map.of(
              "ce_specversion", "1.0",
              "ce_id", unknownFactId,
              "ce_source", "/other-system/saga",
              "ce_type", EventTypes.PAYMENT_CAPTURED,
              "content-type", "application/json"),
          "{\"orderId\":\""
              + unknown
              + "\",\"authorizationId\":\"auth-x\",\"amount\":{\"cents\":100,\"currency\":\"EUR\"}}");
      kafka.sendEvent(
          orderId,
          Map.of(
              "ce_specversion", "1.0",
              "ce_id", UUID.randomUUID().toString(),
              "ce_source", "/bookstore/functions/saga-step",
              "ce_type", EventTypes.ORDER_CONFIRMED,
              "content-type", "application/json"),
          "{\"orderId\":\""
              + orderId
              + "\",\"customerId\":\""
              + ada.userId()
              + "\",\"email\":\""
              + ada.email()
              + "\",\"total\":{\"cents\":1250,\"currency\":\"EUR\"},"
              + "\"confirmedAt\":\"2026-01-01T00:00:00Z\"}");
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> "CONFIRMED".equals(Db.status(pool, orderId)));
      List<ConsumerRecord<String, byte[]>> dead =
          deadLetters.collect(r -> unknownFactId.equals(header(r, "ce_id")), Duration.ofSeconds(3));
      assertEquals(0, dead.size(), "a fact for an unknown order was dead-lettered");
    }
    assertEquals(
        0,
        Db.count(pool, "select count(*) from orders.order_history where order_id = $1", unknown));
  }
}
