package com.bookstore.saga.compensate;

import static com.bookstore.kit.testing.CloudEventRequest.event;
import static com.bookstore.kit.testing.KafkaTestClient.header;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bookstore.events.EventJson;
import com.bookstore.events.EventTypes;
import com.bookstore.events.order.OrderLine;
import com.bookstore.events.order.OrderPlaced;
import com.bookstore.events.payment.Money;
import com.bookstore.events.payment.PaymentRefunded;
import com.bookstore.events.saga.SagaFailed;
import com.bookstore.events.stock.StockLine;
import com.bookstore.events.stock.StockReleased;
import com.bookstore.kit.CloudEvent;
import com.bookstore.kit.IdempotencyLedger;
import com.bookstore.kit.saga.Reply;
import com.bookstore.kit.saga.SagaEngine;
import com.bookstore.kit.saga.SagaState;
import com.bookstore.kit.saga.SagaStatus;
import com.bookstore.kit.saga.StepStatus;
import com.bookstore.kit.testing.CloudEventRequest;
import com.bookstore.kit.testing.KafkaTestClient;
import com.bookstore.saga.store.OrderSaga;
import com.bookstore.saga.store.SagaStore;
import com.bookstore.saga.store.StoredSaga;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.redis.client.RedisAPI;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * compensate on the real PostgreSQL, Redis and Kafka. Failed sagas are set up through saga-store
 * with the real engine, as saga-step would have left them.
 */
@QuarkusTest
class CompensateTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String SOURCE = "/tests/participant";
  private static final Money TOTAL = new Money(12499, "EUR");
  private static final List<StockLine> LINES =
      List.of(new StockLine("9780134685991", 1), new StockLine("161729494X", 2));

  @Inject SagaStore store;
  @Inject OrderSaga saga;
  @Inject RedisAPI redis;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  private static String newOrderId() {
    return "order-" + UUID.randomUUID();
  }

  private static OrderPlaced order(String id) {
    return new OrderPlaced(
        id,
        "user-7",
        "ada@example.com",
        List.of(
            new OrderLine("9780134685991", 1, new Money(4599, "EUR")),
            new OrderLine("161729494X", 2, new Money(3950, "EUR"))),
        TOTAL,
        "tok_visa",
        Instant.now().truncatedTo(ChronoUnit.MICROS));
  }

  private void store(SagaState state) {
    assertTrue(
        store
            .insert(
                state, order(state.sagaId()), null, Instant.now().truncatedTo(ChronoUnit.MICROS))
            .await()
            .atMost(WAIT));
  }

  /** Stock reserved, then the authorization went unanswered: both may have acted. */
  private String failedAfterReserveAndAuthorize() {
    String id = newOrderId();
    SagaEngine engine = saga.engine();
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    SagaState s = engine.start(id, now).state();
    s = engine.onReply(s, new Reply(EventTypes.STOCK_RESERVED, SOURCE + "#r-" + id), now).state();
    s = engine.onTimeout(s, now.plusSeconds(11)).state();
    assertEquals(SagaStatus.FAILED, s.status());
    store(s);
    return id;
  }

  /** stock.rejected: the first step refused, so nothing was done. */
  private String failedAtTheFirstStep() {
    String id = newOrderId();
    SagaEngine engine = saga.engine();
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    SagaState s = engine.start(id, now).state();
    s = engine.onReply(s, new Reply(EventTypes.STOCK_REJECTED, SOURCE + "#x-" + id), now).state();
    store(s);
    return id;
  }

  private StoredSaga saga(String id) {
    return store.load(id).await().atMost(WAIT).orElseThrow();
  }

  private static CloudEventRequest sagaFailed(String id, String step, String reason) {
    return event(EventTypes.SAGA_FAILED)
        .source("/tests/saga-step")
        .attribute("partitionkey", id)
        .data(new SagaFailed(id, "order", step, reason));
  }

  private static CloudEventRequest refunded(String id) {
    return event(EventTypes.PAYMENT_REFUNDED)
        .source(SOURCE)
        .attribute("partitionkey", id)
        .data(new PaymentRefunded(id, TOTAL));
  }

  private static CloudEventRequest released(String id) {
    return event(EventTypes.STOCK_RELEASED)
        .source(SOURCE)
        .attribute("partitionkey", id)
        .data(new StockReleased(id, LINES));
  }

  private static Response expect(CloudEventRequest request, String answerType) {
    Response response = request.post();
    response.then().statusCode(200).header("ce-type", answerType);
    return response;
  }

  private static final String TIMED_OUT = "authorize-payment timed out";

  @Test
  void sagaFailedAfterReserveAndAuthorizeRefundsThePaymentFirst() {
    String id = failedAfterReserveAndAuthorize();
    expect(sagaFailed(id, "authorize-payment", TIMED_OUT), EventTypes.PAYMENT_REFUND)
        .then()
        .header("ce-id", id + ":authorize-payment:compensation:1")
        .header("ce-source", "/bookstore/functions/compensate")
        .header("ce-partitionkey", id)
        .header("ce-subject", id)
        .body("orderId", equalTo(id))
        .body("reason", equalTo(TIMED_OUT));
    StoredSaga s = saga(id);
    assertEquals(SagaStatus.COMPENSATING, s.state().status());
    assertEquals(StepStatus.COMPENSATING, s.state().step("authorize-payment").status());
    assertEquals(StepStatus.SUCCEEDED, s.state().step("reserve-stock").status());
  }

  @Test
  void paymentRefundedThenReleasesTheStock() {
    String id = failedAfterReserveAndAuthorize();
    expect(sagaFailed(id, "authorize-payment", TIMED_OUT), EventTypes.PAYMENT_REFUND);
    expect(refunded(id), EventTypes.STOCK_RELEASE)
        .then()
        .header("ce-id", id + ":reserve-stock:compensation:1")
        .body("orderId", equalTo(id))
        .body("reason", equalTo(TIMED_OUT));
    assertEquals(StepStatus.COMPENSATED, saga(id).state().step("authorize-payment").status());
  }

  @Test
  void stockReleasedCancelsTheOrderWithTheReason() {
    String id = failedAfterReserveAndAuthorize();
    expect(sagaFailed(id, "authorize-payment", TIMED_OUT), EventTypes.PAYMENT_REFUND);
    expect(refunded(id), EventTypes.STOCK_RELEASE);
    expect(released(id), EventTypes.ORDER_CANCELLED)
        .then()
        .header("ce-partitionkey", id)
        .body("orderId", equalTo(id))
        .body("customerId", equalTo("user-7"))
        .body("email", equalTo("ada@example.com"))
        .body("total.cents", equalTo(12499))
        .body("reason", equalTo(TIMED_OUT));
    StoredSaga s = saga(id);
    assertEquals(SagaStatus.COMPENSATED, s.state().status());
    assertEquals(StepStatus.COMPENSATED, s.state().step("reserve-stock").status());
  }

  @Test
  void aSagaFailedAtItsFirstStepIsCancelledAtOnceWithNoCompensationSent() throws Exception {
    String id = failedAtTheFirstStep();
    try (KafkaTestClient kafka = new KafkaTestClient(bootstrap);
        KafkaTestClient.Tail events = kafka.tailEvents()) {
      kafka.sendEvent(
          id,
          Map.of(
              "ce_specversion", "1.0",
              "ce_id", UUID.randomUUID().toString(),
              "ce_source", "/tests/saga-step",
              "ce_type", EventTypes.SAGA_FAILED,
              "content-type", "application/json"),
          EventJson.mapper()
              .writeValueAsString(new SagaFailed(id, "order", "reserve-stock", "out-of-stock")));

      List<ConsumerRecord<String, byte[]>> cancelled =
          events.await(
              r -> id.equals(r.key()) && EventTypes.ORDER_CANCELLED.equals(header(r, "ce_type")),
              1,
              Duration.ofSeconds(30));
      assertEquals(1, cancelled.size(), "order.cancelled for " + id);
      assertEquals(
          "out-of-stock",
          EventJson.mapper().readTree(cancelled.get(0).value()).get("reason").asText());
      // Other functions may follow the order.cancelled (notify): only commands matter here.
      List<String> compensations =
          events
              .collect(
                  r ->
                      id.equals(r.key())
                          && (EventTypes.STOCK_RELEASE.equals(header(r, "ce_type"))
                              || EventTypes.PAYMENT_REFUND.equals(header(r, "ce_type"))),
                  Duration.ofSeconds(2))
              .stream()
              .map(r -> header(r, "ce_type"))
              .toList();
      assertEquals(List.of(), compensations, "no compensation for a refusal");
      assertEquals(
          1,
          events
              .collect(
                  r ->
                      id.equals(r.key()) && EventTypes.ORDER_CANCELLED.equals(header(r, "ce_type")),
                  Duration.ZERO)
              .size(),
          "one order.cancelled");
    }
    assertEquals(SagaStatus.COMPENSATED, saga(id).state().status());
  }

  @Test
  void duplicateAcknowledgementsChangeNothing() {
    String id = failedAfterReserveAndAuthorize();
    expect(sagaFailed(id, "authorize-payment", TIMED_OUT), EventTypes.PAYMENT_REFUND);
    CloudEventRequest ack = refunded(id);
    String release = expect(ack, EventTypes.STOCK_RELEASE).header("ce-id");
    long version = saga(id).state().version();

    // redelivered: the ledger's answer, the same stock.release
    assertEquals(release, expect(ack, EventTypes.STOCK_RELEASE).header("ce-id"));
    // redelivered after Redis forgot it: PostgreSQL knows it, the same stock.release again
    redis.del(List.of(ledgerKey(ack))).await().atMost(WAIT);
    assertEquals(release, expect(ack, EventTypes.STOCK_RELEASE).header("ce-id"));
    // the participant acknowledging twice (another id): the compensation is already done
    refunded(id).post().then().statusCode(202);
    assertEquals(version, saga(id).state().version());

    expect(released(id), EventTypes.ORDER_CANCELLED);
    released(id).post().then().statusCode(202);
    refunded(id).post().then().statusCode(202);
    assertEquals(version + 1, saga(id).state().version());
    assertEquals(SagaStatus.COMPENSATED, saga(id).state().status());
  }

  @Test
  void aSecondSagaFailedWhileCompensatingChangesNothing() {
    String id = failedAfterReserveAndAuthorize();
    expect(sagaFailed(id, "authorize-payment", TIMED_OUT), EventTypes.PAYMENT_REFUND);
    long version = saga(id).state().version();
    sagaFailed(id, "authorize-payment", TIMED_OUT).post().then().statusCode(202);
    assertEquals(version, saga(id).state().version());
  }

  @Test
  void aSagaFailedForAnUnknownSagaIsAcknowledged() {
    sagaFailed(newOrderId(), "reserve-stock", "out-of-stock").post().then().statusCode(202);
  }

  @Test
  void aSagaFailedOfAnotherSagaTableIsRefusedNamingTheField() {
    String id = newOrderId();
    event(EventTypes.SAGA_FAILED)
        .data(new SagaFailed(id, "delivery", "assign-courier", "no-courier"))
        .post()
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("/saga"))
        .body("errors[0].detail", equalTo("must be 'order' or 'order-delivered'"));
  }

  private static String ledgerKey(CloudEventRequest request) {
    return IdempotencyLedger.key(
        "compensate",
        new CloudEvent(
            request.id(), SOURCE, request.type(), null, null, null, null, Map.of(), null));
  }
}
