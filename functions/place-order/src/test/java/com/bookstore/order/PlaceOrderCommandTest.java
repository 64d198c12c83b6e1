package com.bookstore.order;

import static com.bookstore.kit.testing.CloudEventRequest.event;
import static com.bookstore.kit.testing.KafkaTestClient.header;
import static com.bookstore.kit.testing.KafkaTestClient.value;
import static com.bookstore.order.TestCatalog.BOOK_A;
import static com.bookstore.order.TestCatalog.BOOK_A_CENTS;
import static com.bookstore.order.TestCatalog.BOOK_B;
import static com.bookstore.order.TestCatalog.BOOK_B_CENTS;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bookstore.events.EventJson;
import com.bookstore.events.EventTypes;
import com.bookstore.events.Topics;
import com.bookstore.kit.CloudEvent;
import com.bookstore.kit.IdempotencyLedger;
import com.bookstore.kit.testing.CloudEventRequest;
import com.bookstore.kit.testing.KafkaTestClient;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The order.place command of other systems, over its Kafka topic (binary mode) and as a CloudEvent
 * over HTTP, against the test catalog and the real Kafka, Redis and PostgreSQL: priced by the
 * catalog, stored PENDING, announced once; placed once however often it is delivered; refused
 * naming the field when it cannot be placed.
 */
@QuarkusTest
@WithTestResource(value = TestCatalog.class, scope = TestResourceScope.GLOBAL)
class PlaceOrderCommandTest {
  private static final String SENDER = "/other-system/shop";

  @Inject RedisAPI redis;
  @Inject Pool pool;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  /** The command's data for a new customer: isbn, quantity, isbn, quantity... */
  private static Map<String, Object> command(String customerId, Object... isbnsAndQuantities) {
    List<Map<String, Object>> items = new ArrayList<>();
    for (int i = 0; i < isbnsAndQuantities.length; i += 2) {
      items.add(Map.of("isbn", isbnsAndQuantities[i], "quantity", isbnsAndQuantities[i + 1]));
    }
    return Map.of(
        "customerId",
        customerId,
        "email",
        customerId + "@example.com",
        "items",
        items,
        "paymentMethod",
        "tok_visa");
  }

  private static String newCustomer() {
    return "user-" + UUID.randomUUID();
  }

  /** Binary mode, as kcat sends it: ce_ headers, the customer as key and partition key. */
  private static void send(KafkaTestClient kafka, String id, Map<String, Object> data)
      throws Exception {
    String customerId = (String) data.get("customerId");
    kafka.sendEvent(
        customerId,
        Map.of(
            "ce_specversion",
            "1.0",
            "ce_id",
            id,
            "ce_source",
            SENDER,
            "ce_type",
            EventTypes.ORDER_PLACE,
            "ce_partitionkey",
            customerId,
            "content-type",
            "application/json"),
        EventJson.mapper().writeValueAsString(data));
  }

  private static boolean placedFor(ConsumerRecord<String, byte[]> r, String customerId) {
    return EventTypes.ORDER_PLACED.equals(header(r, "ce_type")) && value(r).contains(customerId);
  }

  private List<Row> ordersOf(String customerId) {
    return Db.rows(
        pool,
        "select id, status, total_cents, currency, email, payment_method, idempotency_key"
            + " from orders.customer_order where customer_id = $1",
        customerId);
  }

  @Test
  void aCommandOnTheTopicPlacesOnePendingOrderPricedByTheCatalogAndAnnouncesItOnce()
      throws Exception {
    String customer = newCustomer();
    String id = UUID.randomUUID().toString();
    long total = 2 * BOOK_A_CENTS + BOOK_B_CENTS;
    try (KafkaTestClient kafka = new KafkaTestClient(bootstrap);
        KafkaTestClient.Tail events = kafka.tailEvents()) {
      send(kafka, id, command(customer, BOOK_A, 2, BOOK_B, 1));
      List<ConsumerRecord<String, byte[]>> placed =
          events.await(r -> placedFor(r, customer), 1, Duration.ofSeconds(30));
      assertEquals(1, placed.size(), "no order.placed for " + customer);
      ConsumerRecord<String, byte[]> record = placed.get(0);
      JsonNode data = EventJson.mapper().readTree(value(record));
      String orderId = data.get("orderId").asText();
      assertEquals(orderId, record.key());
      assertEquals(Placement.eventId("place-order", orderId), header(record, "ce_id"));
      assertEquals("/bookstore/functions/place-order", header(record, "ce_source"));
      assertEquals(customer, data.get("customerId").asText());
      assertEquals(customer + "@example.com", data.get("email").asText());
      assertEquals("tok_visa", data.get("paymentMethod").asText());
      assertEquals(total, data.get("total").get("cents").asLong());
      assertEquals("EUR", data.get("total").get("currency").asText());
      assertEquals(BOOK_A_CENTS, data.get("items").get(0).get("unitPrice").get("cents").asLong());
      assertEquals(BOOK_B_CENTS, data.get("items").get(1).get("unitPrice").get("cents").asLong());

      List<Row> orders = ordersOf(customer);
      assertEquals(1, orders.size());
      assertEquals(orderId, orders.get(0).getString("id"));
      assertEquals("PENDING", orders.get(0).getString("status"));
      assertEquals(total, orders.get(0).getLong("total_cents"));
      assertEquals(
          PlaceOrderCommand.KEY_PREFIX, orders.get(0).getString("idempotency_key").substring(0, 4));
      // Published by the order service (its outbox row marked), not a second time by the kit.
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  Db.count(
                          pool,
                          "select count(*) from orders.outbox where order_id = $1"
                              + " and published_at is not null",
                          orderId)
                      == 1);
      assertEquals(
          1, events.collect(r -> placedFor(r, customer), Duration.ofSeconds(3)).size(), "twice");
    }
  }

  @Test
  void theSameCommandTwiceEvenAfterTheLedgerForgotItPlacesOneOrder() throws Exception {
    String customer = newCustomer();
    String id = UUID.randomUUID().toString();
    Map<String, Object> data = command(customer, BOOK_B, 3);
    try (KafkaTestClient kafka = new KafkaTestClient(bootstrap);
        KafkaTestClient.Tail events = kafka.tailEvents()) {
      send(kafka, id, data);
      send(kafka, id, data);
      assertEquals(1, events.await(r -> placedFor(r, customer), 1, Duration.ofSeconds(30)).size());
      // Redis lost the ledger entry: the order's Idempotency-Key still finds the first order.
      String ledgerKey =
          IdempotencyLedger.key(
              "place-order",
              new CloudEvent(
                  id, SENDER, EventTypes.ORDER_PLACE, null, null, null, null, Map.of(), null));
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> redis.del(List.of(ledgerKey)).await().indefinitely().toLong() == 1);
      send(kafka, id, data);
      // Over HTTP as well: the same source and id are the same command.
      event(EventTypes.ORDER_PLACE)
          .id(id)
          .source(SENDER)
          .attribute("partitionkey", customer)
          .data(data)
          .post()
          .then()
          .statusCode(202);
      assertEquals(
          1,
          events.collect(r -> placedFor(r, customer), Duration.ofSeconds(4)).size(),
          "order.placed more than once for one command");
    }
    assertEquals(1, ordersOf(customer).size());
    assertEquals(3 * BOOK_B_CENTS, ordersOf(customer).get(0).getLong("total_cents"));
  }

  @Test
  void anotherCommandIdIsAnotherOrder() {
    String customer = newCustomer();
    Map<String, Object> data = command(customer, BOOK_A, 1);
    event(EventTypes.ORDER_PLACE).source(SENDER).data(data).post().then().statusCode(202);
    event(EventTypes.ORDER_PLACE).source(SENDER).data(data).post().then().statusCode(202);
    assertEquals(2, ordersOf(customer).size());
  }

  @Test
  void anUnknownIsbnOverHttpIs422NamingTheItemAndNothingIsStored() {
    String customer = newCustomer();
    event(EventTypes.ORDER_PLACE)
        .source(SENDER)
        .data(command(customer, BOOK_A, 1, "9781111111111", 2))
        .post()
        .then()
        .statusCode(422)
        .contentType("application/problem+json")
        .body("type", equalTo("https://bookstore.example.com/problems/unknown-books"))
        .body("detail", containsString("9781111111111"))
        .body("errors[0].in", equalTo("data"))
        .body("errors[0].field", equalTo("/items/1/isbn"))
        .body("errors[0].detail", containsString("9781111111111"));
    assertEquals(0, ordersOf(customer).size());
  }

  @Test
  void aBadCartOverHttpIs400NamingTheField() {
    String customer = newCustomer();
    event(EventTypes.ORDER_PLACE)
        .source(SENDER)
        .data(command(customer, BOOK_A, 0))
        .post()
        .then()
        .statusCode(400)
        .body("type", equalTo("https://bookstore.example.com/problems/schema-violation"))
        .body("errors[0].field", equalTo("/items/0/quantity"));
    event(EventTypes.ORDER_PLACE)
        .source(SENDER)
        .data(Map.of("customerId", customer, "email", "a@example.com", "items", List.of()))
        .post()
        .then()
        .statusCode(400);
    // Within the schema's limits, but one book twice makes more copies than an order may hold.
    event(EventTypes.ORDER_PLACE)
        .source(SENDER)
        .data(command(customer, BOOK_A, 600, BOOK_A, 600))
        .post()
        .then()
        .statusCode(400)
        .body("type", equalTo("https://bookstore.example.com/problems/invalid-order"))
        .body("errors[0].in", equalTo("data"))
        .body("errors[0].field", equalTo("/items/1/quantity"));
    assertEquals(0, ordersOf(customer).size());
  }

  @Test
  void theSameCommandIdForAnotherCartNeverPlacesASecondOrder() {
    String customer = newCustomer();
    String id = UUID.randomUUID().toString();
    event(EventTypes.ORDER_PLACE)
        .id(id)
        .source(SENDER)
        .data(command(customer, BOOK_A, 1))
        .post()
        .then()
        .statusCode(202);
    // The same source and id name one event (CloudEvents): other content under them is a
    // producer's bug, refused by the ledger rather than answered with the first order.
    CloudEventRequest reused =
        event(EventTypes.ORDER_PLACE).id(id).source(SENDER).data(command(customer, BOOK_A, 5));
    reused
        .post()
        .then()
        .statusCode(409)
        .body("type", equalTo("https://bookstore.example.com/problems/event-id-reused"));
    assertEquals(1, ordersOf(customer).size());
    // Without the ledger, the order's Idempotency-Key sees another cart: refused, naming the id.
    String ledgerKey =
        IdempotencyLedger.key(
            "place-order",
            new CloudEvent(
                id, SENDER, EventTypes.ORDER_PLACE, null, null, null, null, Map.of(), null));
    assertEquals(1, redis.del(List.of(ledgerKey)).await().indefinitely().toLong());
    reused
        .post()
        .then()
        .statusCode(422)
        .body("type", equalTo("https://bookstore.example.com/problems/idempotency-key-reused"))
        .body("errors[0].in", equalTo("attribute"))
        .body("errors[0].field", equalTo("id"));
    assertEquals(1, ordersOf(customer).size());
    assertEquals(BOOK_A_CENTS, ordersOf(customer).get(0).getLong("total_cents"));
  }

  @Test
  void anUnknownIsbnOnTheTopicIsDeadLetteredWithTheReason() throws Exception {
    String customer = newCustomer();
    String id = UUID.randomUUID().toString();
    try (KafkaTestClient kafka = new KafkaTestClient(bootstrap);
        KafkaTestClient.Tail deadLetters = kafka.tail(Topics.DEAD_LETTER)) {
      send(kafka, id, command(customer, "9782222222222", 1));
      List<ConsumerRecord<String, byte[]>> dead =
          deadLetters.await(r -> id.equals(header(r, "ce_id")), 1, Duration.ofSeconds(30));
      assertEquals(1, dead.size(), "the command was not dead-lettered");
      String reason = header(dead.get(0), "dead-letter-reason");
      assertNotNull(reason);
      assertTrue(reason.contains("9782222222222"), reason);
      assertTrue(reason.contains("/items/0/isbn"), reason);
      assertEquals(EventTypes.ORDER_PLACE, header(dead.get(0), "ce_type"));
    }
    assertEquals(0, ordersOf(customer).size());
  }

  @Test
  void whenTheCatalogIsDownTheCommandIsRetryableNotBad() {
    String customer = newCustomer();
    CloudEventRequest place =
        event(EventTypes.ORDER_PLACE).source(SENDER).data(command(customer, BOOK_A, 1));
    TestCatalog.stopServer();
    try {
      place
          .post()
          .then()
          .statusCode(503)
          .body("type", equalTo("https://bookstore.example.com/problems/temporarily-unavailable"))
          .body("detail", containsString("catalog"));
    } finally {
      TestCatalog.startServer();
    }
    assertEquals(0, ordersOf(customer).size());
    // The same command again once the catalog is back: placed.
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> place.post().statusCode() == 202);
    assertEquals(1, ordersOf(customer).size());
  }
}
