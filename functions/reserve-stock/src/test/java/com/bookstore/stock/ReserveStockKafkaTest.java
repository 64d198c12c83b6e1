package com.bookstore.stock;

import static com.bookstore.kit.testing.KafkaTestClient.header;
import static com.bookstore.kit.testing.KafkaTestClient.value;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.bookstore.events.EventTypes;
import com.bookstore.kit.testing.KafkaTestClient;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Kafka-direct mode: a stock.reserve on the workflow topic is answered on it, keyed by order. */
@QuarkusTest
class ReserveStockKafkaTest {

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @Test
  void reserveOnTheTopicIsAnsweredOnTheTopicKeyedByTheOrder() {
    String isbn = ReserveStockTest.stocked(1);
    String order = ReserveStockTest.newOrder();
    try (KafkaTestClient kafka = new KafkaTestClient(bootstrap);
        KafkaTestClient.Tail events = kafka.tailEvents()) {
      kafka.sendEvent(
          order,
          Map.of(
              "ce_specversion", "1.0",
              "ce_id", UUID.randomUUID().toString(),
              "ce_source", "/tests/saga",
              "ce_type", EventTypes.STOCK_RESERVE,
              "content-type", "application/json"),
          "{\"orderId\":\"" + order + "\",\"items\":[{\"isbn\":\"" + isbn + "\",\"quantity\":1}]}");
      List<ConsumerRecord<String, byte[]>> answers =
          events.await(
              r ->
                  EventTypes.STOCK_RESERVED.equals(header(r, "ce_type"))
                      && value(r).contains(order),
              1,
              Duration.ofSeconds(30));
      assertEquals(1, answers.size(), "no stock.reserved for " + order);
      assertEquals(order, answers.get(0).key());
      assertEquals(order, header(answers.get(0), "ce_subject"));
    }
    assertEquals(1, ReserveStockTest.level(isbn).get("reserved"));
  }
}
