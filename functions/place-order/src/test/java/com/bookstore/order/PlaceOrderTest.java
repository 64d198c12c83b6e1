package com.bookstore.order;

import static com.bookstore.kit.testing.KafkaTestClient.header;
import static com.bookstore.kit.testing.KafkaTestClient.value;
import static com.bookstore.order.TestCatalog.BOOK_A;
import static com.bookstore.order.TestCatalog.BOOK_A_CENTS;
import static com.bookstore.order.TestCatalog.BOOK_B;
import static com.bookstore.order.TestCatalog.BOOK_B_CENTS;
import static com.bookstore.order.TestCatalog.BOOK_C_CENTS;
import static com.bookstore.order.TestCatalog.BOOK_C_ISBN10;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bookstore.events.EventJson;
import com.bookstore.events.EventTypes;
import com.bookstore.kit.testing.KafkaTestClient;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** POST /orders against the test catalog, the real Redis, PostgreSQL and Kafka. */
@QuarkusTest
@WithTestResource(value = TestCatalog.class, scope = TestResourceScope.GLOBAL)
class PlaceOrderTest {

  @Inject RedisAPI redis;
  @Inject Pool pool;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  static Map<String, Object> cart(Object... isbnsAndQuantities) {
    List<Map<String, Object>> items = new ArrayList<>();
    for (int i = 0; i < isbnsAndQuantities.length; i += 2) {
      items.add(Map.of("isbn", isbnsAndQuantities[i], "quantity", isbnsAndQuantities[i + 1]));
    }
    return Map.of("items", items, "paymentMethod", "tok_visa");
  }

  @Test
  void placingAnOrderAnswers202AndEmitsOrderPlacedWithPricedLinesKeyedByTheOrder()
      throws Exception {
    Customers.Customer ada = Customers.loggedIn(redis);
    long total = 2 * BOOK_A_CENTS + BOOK_B_CENTS + BOOK_C_CENTS;
    String orderId;
    try (KafkaTestClient kafka = new KafkaTestClient(bootstrap);
        KafkaTestClient.Tail events = kafka.tailEvents()) {
      Response placed = ada.place(cart(BOOK_A, 2, BOOK_B, 1, BOOK_C_ISBN10, 1));
      placed
          .then()
          .statusCode(202)
          .body("status", equalTo("PENDING"))
          .body("total.cents", equalTo((int) total))
          .body("total.currency", equalTo("EUR"))
          .body("items", hasSize(3))
          .body("items[0].unitPrice.cents", equalTo((int) BOOK_A_CENTS));
      orderId = placed.jsonPath().getString("orderId");
      assertEquals("/orders/" + orderId, placed.header("Location"));

      List<ConsumerRecord<String, byte[]>> found =
          events.await(
              r -> EventTypes.ORDER_PLACED.equals(header(r, "ce_type")) && orderId.equals(r.key()),
              1,
              Duration.ofSeconds(30));
      assertEquals(1, found.size(), "no order.placed keyed by " + orderId);
      ConsumerRecord<String, byte[]> record = found.get(0);
      assertEquals(orderId, header(record, "ce_subject"));
      assertEquals(orderId, header(record, "ce_partitionkey"));
      assertEquals(Placement.eventId("place-order", orderId), header(record, "ce_id"));
      assertEquals("/bookstore/functions/place-order", header(record, "ce_source"));
      JsonNode data = EventJson.mapper().readTree(value(record));
      assertEquals(orderId, data.get("orderId").asText());
      assertEquals(ada.userId(), data.get("customerId").asText());
      assertEquals(ada.email(), data.get("email").asText());
      assertEquals("tok_visa", data.get("paymentMethod").asText());
      assertEquals(total, data.get("total").get("cents").asLong());
      assertEquals("EUR", data.get("total").get("currency").asText());
      assertEquals(3, data.get("items").size());
      assertEquals(BOOK_A, data.get("items").get(0).get("isbn").asText());
      assertEquals(2, data.get("items").get(0).get("quantity").asInt());
      assertEquals(BOOK_A_CENTS, data.get("items").get(0).get("unitPrice").get("cents").asLong());
      assertEquals(BOOK_C_ISBN10, data.get("items").get(2).get("isbn").asText());
      assertEquals(BOOK_C_CENTS, data.get("items").get(2).get("unitPrice").get("cents").asLong());
    }
    // Stored PENDING with its priced lines; its outbox row is marked published.
    assertEquals("PENDING", Db.status(pool, orderId));
    List<Row> lines =
        Db.rows(
            pool,
            "select isbn, quantity, unit_cents from orders.order_line where order_id = $1"
                + " order by line_no",
            orderId);
    assertEquals(3, lines.size());
    assertEquals(BOOK_B, lines.get(1).getString("isbn"));
    assertEquals(BOOK_B_CENTS, lines.get(1).getLong("unit_cents"));
    Row order =
        Db.rows(
                pool,
                "select customer_id, email, payment_method, total_cents from orders.customer_order"
                    + " where id = $1",
                orderId)
            .get(0);
    assertEquals(ada.userId(), order.getString("customer_id"));
    assertEquals("tok_visa", order.getString("payment_method"));
    assertEquals(total, order.getLong("total_cents"));
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                Db.count(
                        pool,
                        "select count(*) from orders.outbox where order_id = $1"
                            + " and published_at is not null",
                        orderId)
                    == 1);
  }

  @Test
  void repeatedIsbnsAreMergedIntoOneLine() {
    Customers.Customer ada = Customers.loggedIn(redis);
    ada.place(cart(BOOK_A, 1, BOOK_B, 1, BOOK_A, 2))
        .then()
        .statusCode(202)
        .body("items", hasSize(2))
        .body("items[0].isbn", equalTo(BOOK_A))
        .body("items[0].quantity", equalTo(3))
        .body("total.cents", equalTo((int) (3 * BOOK_A_CENTS + BOOK_B_CENTS)));
  }

  @Test
  void withoutATokenTheAnswerIs401AndNothingIsStored() {
    given()
        .contentType(ContentType.JSON)
        .body(cart(BOOK_A, 1))
        .post("/orders")
        .then()
        .statusCode(401)
        .header("WWW-Authenticate", "Bearer")
        .contentType("application/problem+json")
        .body("type", equalTo("https://bookstore.example.com/problems/no-session"));
    given()
        .header("Authorization", "Bearer not-a-token")
        .contentType(ContentType.JSON)
        .body(cart(BOOK_A, 1))
        .post("/orders")
        .then()
        .statusCode(401);
    // A well-formed token that was never issued.
    given()
        .header("Authorization", "Bearer " + Customers.newToken())
        .contentType(ContentType.JSON)
        .body(cart(BOOK_A, 1))
        .post("/orders")
        .then()
        .statusCode(401);
  }

  @Test
  void aRevokedSessionIs401() {
    Customers.Customer ada = Customers.loggedIn(redis);
    ada.place(cart(BOOK_A, 1)).then().statusCode(202);
    Customers.logOut(redis, ada);
    ada.place(cart(BOOK_A, 1)).then().statusCode(401);
    assertEquals(1, Db.ordersOf(pool, ada.userId()));
  }

  @Test
  void unknownIsbnsAreRefusedNamingEachOne() {
    Customers.Customer ada = Customers.loggedIn(redis);
    ada.place(cart(BOOK_A, 1, "9781111111111", 1, "9782222222222", 3))
        .then()
        .statusCode(422)
        .contentType("application/problem+json")
        .body("type", equalTo("https://bookstore.example.com/problems/unknown-books"))
        .body("detail", containsString("9781111111111"))
        .body("detail", containsString("9782222222222"))
        .body("errors.field", containsInAnyOrder("/items/1/isbn", "/items/2/isbn"))
        .body("errors[0].detail", containsString("9781111111111"));
    assertEquals(0, Db.ordersOf(pool, ada.userId()));
  }

  @Test
  void aCartInTwoCurrenciesIsRefused() {
    Customers.Customer ada = Customers.loggedIn(redis);
    ada.place(cart(BOOK_A, 1, TestCatalog.BOOK_USD, 1))
        .then()
        .statusCode(422)
        .body("type", equalTo("https://bookstore.example.com/problems/unpriceable-cart"))
        .body("errors[0].field", equalTo("/items/1/isbn"));
  }

  @Test
  void anInvalidBodyIs400NamingEveryField() {
    Customers.Customer ada = Customers.loggedIn(redis);
    List<Map<String, Object>> items =
        List.of(
            Map.of("isbn", BOOK_A, "quantity", 0),
            Map.of("isbn", "978-0-00-000000-1", "quantity", 1),
            Map.of("isbn", BOOK_B, "quantity", 1001),
            Map.of("quantity", 1));
    ada.place(Map.of("items", items))
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("type", equalTo("https://bookstore.example.com/problems/invalid-order"))
        .body(
            "errors.field",
            containsInAnyOrder(
                "/items/0/quantity",
                "/items/1/isbn",
                "/items/2/quantity",
                "/items/3/isbn",
                "/paymentMethod"));
    assertEquals(0, Db.ordersOf(pool, ada.userId()));
  }

  @Test
  void cartsWithoutLinesOrWithTooManyAreRefused() {
    Customers.Customer ada = Customers.loggedIn(redis);
    ada.place(Map.of("items", List.of(), "paymentMethod", "tok_visa"))
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("/items"));
    ada.place(Map.of("paymentMethod", "tok_visa"))
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("/items"))
        .body("errors[0].detail", startsWith("is missing"));
    List<Map<String, Object>> many = new ArrayList<>();
    for (int i = 0; i < 101; i++) {
      many.add(Map.of("isbn", String.format("978%010d", i), "quantity", 1));
    }
    ada.place(Map.of("items", many, "paymentMethod", "tok_visa"))
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("/items"))
        .body("errors[0].detail", containsString("101"));
    ada.place(Map.of("items", List.of(Map.of("isbn", BOOK_A, "quantity", 1)), "paymentMethod", ""))
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("/paymentMethod"));
  }

  @Test
  void aBodyThatIsNotJsonIsRefusedSayingWhere() {
    Customers.Customer ada = Customers.loggedIn(redis);
    ada.request()
        .contentType(ContentType.JSON)
        .body("{\"items\": [")
        .post("/orders")
        .then()
        .statusCode(400)
        .body("type", equalTo("https://bookstore.example.com/problems/malformed-json"))
        .body("detail", containsString("line 1"));
    ada.request()
        .contentType(ContentType.TEXT)
        .body("items=1")
        .post("/orders")
        .then()
        .statusCode(415)
        .body("errors[0].field", equalTo("Content-Type"));
  }

  @Test
  void whenTheCatalogIsDownTheAnswerIs503AndNothingIsStoredOrEmitted() {
    Customers.Customer ada = Customers.loggedIn(redis);
    try (KafkaTestClient kafka = new KafkaTestClient(bootstrap);
        KafkaTestClient.Tail events = kafka.tailEvents()) {
      TestCatalog.stopServer();
      try {
        ada.place(cart(BOOK_A, 1), "down-" + UUID.randomUUID())
            .then()
            .statusCode(503)
            .header("Retry-After", "1")
            .body("type", equalTo("https://bookstore.example.com/problems/temporarily-unavailable"))
            .body("detail", containsString("catalog"));
      } finally {
        TestCatalog.startServer();
      }
      assertEquals(0, Db.ordersOf(pool, ada.userId()));
      List<ConsumerRecord<String, byte[]>> placed =
          events.collect(
              r ->
                  EventTypes.ORDER_PLACED.equals(header(r, "ce_type"))
                      && value(r).contains(ada.userId()),
              Duration.ofSeconds(3));
      assertEquals(0, placed.size(), "order.placed emitted while the catalog was down");
    }
    // The catalog is back: the client reconnects and orders are taken again.
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> ada.place(cart(BOOK_A, 1)).statusCode() == 202);
  }

  @Test
  void aCatalogSlowerThanTheDeadlineIs503AndNothingIsStored() {
    Customers.Customer ada = Customers.loggedIn(redis);
    long start = System.nanoTime();
    ada.place(cart(BOOK_A, 1, TestCatalog.BOOK_SLOW, 1))
        .then()
        .statusCode(503)
        .body("detail", containsString("no answer within the deadline"));
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertTrue(millis < TestCatalog.SLOW_MILLIS, "waited " + millis + " ms for a slow catalog");
    assertEquals(0, Db.ordersOf(pool, ada.userId()));
  }

  @Test
  void aRepeatWithTheSameIdempotencyKeyAnswersTheSameOrderAndEmitsOneEvent() {
    Customers.Customer ada = Customers.loggedIn(redis);
    String key = "checkout-" + UUID.randomUUID();
    try (KafkaTestClient kafka = new KafkaTestClient(bootstrap);
        KafkaTestClient.Tail events = kafka.tailEvents()) {
      Response first = ada.place(cart(BOOK_A, 1), key);
      first.then().statusCode(202);
      String orderId = first.jsonPath().getString("orderId");
      ada.place(cart(BOOK_A, 1), key)
          .then()
          .statusCode(202)
          .header("Idempotent-Replayed", "true")
          .header("Location", "/orders/" + orderId)
          .body("orderId", equalTo(orderId))
          .body("total.cents", equalTo((int) BOOK_A_CENTS));
      List<ConsumerRecord<String, byte[]>> placed =
          events.collect(
              r -> EventTypes.ORDER_PLACED.equals(header(r, "ce_type")) && orderId.equals(r.key()),
              Duration.ofSeconds(4));
      assertEquals(1, placed.size());
    }
    assertEquals(1, Db.ordersOf(pool, ada.userId()));
    // The key is the customer's own: another customer's same key makes another order.
    Customers.Customer grace = Customers.loggedIn(redis);
    grace.place(cart(BOOK_A, 1), key).then().statusCode(202);
    assertEquals(1, Db.ordersOf(pool, grace.userId()));
  }

  @Test
  void concurrentRequestsWithOneIdempotencyKeyMakeOneOrder() throws Exception {
    Customers.Customer ada = Customers.loggedIn(redis);
    String key = "double-click-" + UUID.randomUUID();
    ExecutorService pool8 = Executors.newFixedThreadPool(8);
    try {
      List<Future<Response>> answers = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        answers.add(pool8.submit(() -> ada.place(cart(BOOK_B, 2), key)));
      }
      List<String> ids = new ArrayList<>();
      for (Future<Response> answer : answers) {
        Response r = answer.get();
        assertEquals(202, r.statusCode(), r.asString());
        ids.add(r.jsonPath().getString("orderId"));
      }
      assertEquals(1, ids.stream().distinct().count(), "one order for one key: " + ids);
    } finally {
      pool8.shutdownNow();
    }
    assertEquals(1, Db.ordersOf(pool, ada.userId()));
  }

  @Test
  void theSameIdempotencyKeyForAnotherCartIsRefused() {
    Customers.Customer ada = Customers.loggedIn(redis);
    String key = "reused-" + UUID.randomUUID();
    ada.place(cart(BOOK_A, 1), key).then().statusCode(202);
    ada.place(cart(BOOK_A, 5), key)
        .then()
        .statusCode(422)
        .body("type", equalTo("https://bookstore.example.com/problems/idempotency-key-reused"))
        .body("errors[0].field", equalTo("Idempotency-Key"));
    ada.place(cart(BOOK_A, 1), "has space")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("Idempotency-Key"));
    assertEquals(1, Db.ordersOf(pool, ada.userId()));
  }

  @Test
  void getShowsTheOrderWithItsHistoryAndHidesItFromOtherCustomers() {
    Customers.Customer ada = Customers.loggedIn(redis);
    Customers.Customer eve = Customers.loggedIn(redis);
    String orderId = ada.place(cart(BOOK_B, 2)).then().statusCode(202).extract().path("orderId");
    ada.order(orderId)
        .then()
        .statusCode(200)
        .body("orderId", equalTo(orderId))
        .body("status", equalTo("PENDING"))
        .body("total.cents", equalTo((int) (2 * BOOK_B_CENTS)))
        .body("items[0].isbn", equalTo(BOOK_B))
        .body("items[0].quantity", equalTo(2))
        .body("history", hasSize(1))
        .body("history[0].type", equalTo(EventTypes.ORDER_PLACED))
        .body("history[0].detail", containsString("2 copies of 1 book"))
        .body("history[0].at", org.hamcrest.Matchers.notNullValue());
    eve.order(orderId)
        .then()
        .statusCode(404)
        .contentType("application/problem+json")
        .body("type", equalTo("https://bookstore.example.com/problems/order-not-found"));
    ada.order("no-such-order").then().statusCode(404);
    given().get("/orders/" + orderId).then().statusCode(401);
    // Order ids are time-ordered UUIDs (version 7).
    assertEquals(7, UUID.fromString(orderId).version());
  }
}
