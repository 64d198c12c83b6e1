package com.bookstore.saga.step;

import static com.bookstore.kit.testing.KafkaTestClient.header;
import static com.bookstore.kit.testing.KafkaTestClient.value;
import static com.bookstore.saga.step.OrderSagaEvents.json;
import static com.bookstore.saga.step.OrderSagaEvents.kafkaHeaders;
import static com.bookstore.saga.step.OrderSagaEvents.newOrderId;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.bookstore.events.EventJson;
import com.bookstore.events.EventTypes;
import com.bookstore.events.Topics;
import com.bookstore.events.stock.StockReserved;
import com.bookstore.kit.testing.KafkaTestClient;
import com.bookstore.saga.store.SagaStore;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Kafka-direct mode: saga-step consumes the workflow topic and answers on it, keyed by order. */
@QuarkusTest
class SagaStepKafkaTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @Inject SagaStore store;

  private static void placeOrder(KafkaTestClient kafka, String id) {
    kafka.sendEvent(
        id,
        kafkaHeaders(EventTypes.ORDER_PLACED, UUID.randomUUID().toString()),
        json(OrderSagaEvents.order(id)));
  }

  private static List<ConsumerRecord<String, byte[]>> awaitType(
      KafkaTestClient.Tail tail, String type, String id, int count) {
    return tail.await(r -> id.equals(r.key()) && type.equals(header(r, "ce_type")), count, WAIT);
  }

  @Test
  void orderPlacedOnTheTopicSendsStockReserveWithTheOrdersItemsKeyedByTheOrder() throws Exception {
    String id = newOrderId();
    try (KafkaTestClient kafka = new KafkaTestClient(bootstrap);
        KafkaTestClient.Tail events = kafka.tailEvents()) {
      placeOrder(kafka, id);

      List<ConsumerRecord<String, byte[]>> reserves =
          awaitType(events, EventTypes.STOCK_RESERVE, id, 1);
      assertEquals(1, reserves.size(), "no stock.reserve keyed by " + id);
      ConsumerRecord<String, byte[]> reserve = reserves.get(0);
      assertEquals(id + ":reserve-stock:action:1", header(reserve, "ce_id"));
      assertEquals("/bookstore/functions/saga-step", header(reserve, "ce_source"));
      assertEquals(id, header(reserve, "ce_subject"));
      JsonNode data = EventJson.mapper().readTree(value(reserve));
      assertEquals(id, data.get("orderId").asText());
      assertEquals("9780134685991", data.get("items").get(0).get("isbn").asText());
      assertEquals(1, data.get("items").get(0).get("quantity").asInt());
      assertEquals("161729494X", data.get("items").get(1).get("isbn").asText());
      assertEquals(2, data.get("items").get(1).get("quantity").asInt());
      assertEquals(900, data.get("holdSeconds").asInt());
    }
  }

  @Test
  void theSameReplyTwiceOnTheTopicMakesOneTransitionAndOneCommand() {
    String id = newOrderId();
    try (KafkaTestClient kafka = new KafkaTestClient(bootstrap);
        KafkaTestClient.Tail events = kafka.tailEvents()) {
      placeOrder(kafka, id);
      assertEquals(1, awaitType(events, EventTypes.STOCK_RESERVE, id, 1).size());

      String replyId = UUID.randomUUID().toString();
      String reply =
          json(
              new StockReserved(
                  id, OrderSagaEvents.LINES, Instant.now().plus(Duration.ofMinutes(15))));
      kafka.sendEvent(id, kafkaHeaders(EventTypes.STOCK_RESERVED, replyId), reply);
      kafka.sendEvent(id, kafkaHeaders(EventTypes.STOCK_RESERVED, replyId), reply);

      // The redelivery is answered from the ledger: the same event again, never a second one.
      List<ConsumerRecord<String, byte[]>> authorizes =
          awaitType(events, EventTypes.PAYMENT_AUTHORIZE, id, 2);
      assertEquals(
          List.of(id + ":authorize-payment:action:1"),
          authorizes.stream().map(r -> header(r, "ce_id")).distinct().collect(Collectors.toList()));
      assertEquals(1, store.load(id).await().atMost(WAIT).orElseThrow().state().version());
    }
  }

  @Test
  void aReplyForAnUnknownSagaIsAcknowledgedAndNotDeadLettered() {
    String id = newOrderId();
    try (KafkaTestClient kafka = new KafkaTestClient(bootstrap);
        KafkaTestClient.Tail events = kafka.tailEvents();
        KafkaTestClient.Tail deadLetters = kafka.tail(Topics.DEAD_LETTER)) {
      kafka.sendEvent(
          id,
          kafkaHeaders(EventTypes.STOCK_RESERVED, UUID.randomUUID().toString()),
          json(
              new StockReserved(
                  id, OrderSagaEvents.LINES, Instant.now().plus(Duration.ofMinutes(15)))));
      // Same key, same partition: once this order's stock.reserve is out, the reply was handled.
      placeOrder(kafka, id);
      assertEquals(1, awaitType(events, EventTypes.STOCK_RESERVE, id, 1).size());

      assertEquals(
          List.of(),
          deadLetters.collect(r -> id.equals(r.key()), Duration.ofSeconds(2)),
          "dead letters for " + id);
      // Other functions may answer the stock.reserve (reserve-stock): only saga-step's count.
      List<String> sent =
          events
              .collect(
                  r ->
                      id.equals(r.key())
                          && "/bookstore/functions/saga-step".equals(header(r, "ce_source")),
                  Duration.ofMillis(500))
              .stream()
              .map(r -> header(r, "ce_type"))
              .toList();
      assertEquals(List.of(EventTypes.STOCK_RESERVE), sent, "saga-step's events for " + id);
      // the saga began with the order, not with the stray reply
      assertEquals(0, store.load(id).await().atMost(WAIT).orElseThrow().state().version());
    }
  }
}
