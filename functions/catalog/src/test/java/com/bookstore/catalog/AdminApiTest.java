package com.bookstore.catalog;

import static com.bookstore.catalog.TestBooks.book;
import static com.bookstore.catalog.TestBooks.newIsbn;
import static com.bookstore.catalog.TestBooks.put;
import static com.bookstore.kit.testing.KafkaTestClient.header;
import static com.bookstore.kit.testing.KafkaTestClient.value;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.bookstore.events.EventJson;
import com.bookstore.events.EventTypes;
import com.bookstore.kit.testing.KafkaTestClient;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** The admin API against the real PostgreSQL and Kafka: what it stores, emits and refuses. */
@QuarkusTest
@WithTestResource(value = FreeGrpcPort.class, scope = TestResourceScope.MATCHING_RESOURCES)
class AdminApiTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @Inject Pool pool;

  private static List<ConsumerRecord<String, byte[]>> eventsOf(
      KafkaTestClient.Tail tail, String isbn, Duration window) {
    return tail.collect(r -> isbn.equals(r.key()), window);
  }

  private static JsonNode data(ConsumerRecord<String, byte[]> record) throws Exception {
    return EventJson.mapper().readTree(value(record));
  }

  @Test
  void addingABookEmitsBookAddedKeyedByItsIsbn() throws Exception {
    Map<String, Object> book = book(newIsbn(), "The Copper Orchard", 1850);
    String isbn = (String) book.get("isbn");
    try (KafkaTestClient kafka = new KafkaTestClient(bootstrap);
        KafkaTestClient.Tail tail = kafka.tailEvents()) {
      put(book)
          .then()
          .statusCode(201)
          .header("Location", "/books/" + isbn)
          .body("outcome", equalTo("ADDED"))
          .body("book.price.cents", equalTo(1850))
          .body("eventsPending", equalTo(false));
      List<ConsumerRecord<String, byte[]>> events = tail.await(r -> isbn.equals(r.key()), 1, WAIT);
      assertEquals(1, events.size(), "no book.added for " + isbn);
      ConsumerRecord<String, byte[]> added = events.get(0);
      assertEquals(EventTypes.BOOK_ADDED, header(added, "ce_type"));
      assertEquals(isbn, header(added, "ce_subject"));
      assertEquals(isbn, header(added, "ce_partitionkey"));
      assertEquals("/bookstore/functions/catalog", header(added, "ce_source"));
      assertEquals(CatalogEvents.eventId(EventTypes.BOOK_ADDED, isbn, 1), header(added, "ce_id"));
      JsonNode data = data(added);
      assertEquals("The Copper Orchard", data.get("title").asText());
      assertEquals(1850, data.at("/price/cents").asLong());
      assertEquals("Mara Lindqvist", data.at("/authors/0").asText());
    }
    given()
        .get("/books/" + isbn)
        .then()
        .statusCode(200)
        .body("title", equalTo("The Copper Orchard"));
  }

  @Test
  void changingThePriceEmitsPriceChangedWithOldAndNewPrice() throws Exception {
    Map<String, Object> book = TestBooks.added("A Price to Pay", 1200);
    String isbn = (String) book.get("isbn");
    book.put("price", Map.of("cents", 1450, "currency", "EUR"));
    try (KafkaTestClient kafka = new KafkaTestClient(bootstrap);
        KafkaTestClient.Tail tail = kafka.tailEvents()) {
      put(book).then().statusCode(200).body("outcome", equalTo("PRICE_CHANGED"));
      List<ConsumerRecord<String, byte[]>> events = tail.await(r -> isbn.equals(r.key()), 1, WAIT);
      assertEquals(1, events.size(), "no book.price-changed for " + isbn);
      ConsumerRecord<String, byte[]> changed = events.get(0);
      assertEquals(EventTypes.BOOK_PRICE_CHANGED, header(changed, "ce_type"));
      assertEquals(isbn, header(changed, "ce_subject"));
      assertEquals(
          CatalogEvents.eventId(EventTypes.BOOK_PRICE_CHANGED, isbn, 2), header(changed, "ce_id"));
      assertEquals(1200, data(changed).at("/oldPrice/cents").asLong());
      assertEquals(1450, data(changed).at("/newPrice/cents").asLong());
    }
    given().get("/books/" + isbn).then().body("price.cents", equalTo(1450));
  }

  @Test
  void reAddingAnUnchangedBookEmitsNothing() {
    Map<String, Object> book = TestBooks.added("Nothing New Here", 999);
    String isbn = (String) book.get("isbn");
    try (KafkaTestClient kafka = new KafkaTestClient(bootstrap);
        KafkaTestClient.Tail tail = kafka.tailEvents()) {
      put(book).then().statusCode(200).body("outcome", equalTo("UNCHANGED"));
      TestBooks.putAll(List.of(book)).then().statusCode(200).body("unchanged", equalTo(1));
      assertEquals(List.of(), eventsOf(tail, isbn, Duration.ofSeconds(4)));
    }
  }

  @Test
  void changingOnlyTheTitleUpdatesTheBookWithoutAnEvent() {
    Map<String, Object> book = TestBooks.added("First Title", 1500);
    String isbn = (String) book.get("isbn");
    book.put("title", "Second Title");
    try (KafkaTestClient kafka = new KafkaTestClient(bootstrap);
        KafkaTestClient.Tail tail = kafka.tailEvents()) {
      put(book).then().statusCode(200).body("outcome", equalTo("UPDATED"));
      assertEquals(List.of(), eventsOf(tail, isbn, Duration.ofSeconds(3)));
    }
    given().get("/books/" + isbn).then().body("title", equalTo("Second Title"));
  }

  @Test
  void bulkUpsertReportsEachOutcomeAndEmitsForNewAndRepricedBooks() {
    Map<String, Object> existing = TestBooks.added("Already Here", 2000);
    Map<String, Object> repriced = TestBooks.added("Cheaper Soon", 3000);
    repriced.put("price", Map.of("cents", 2500, "currency", "EUR"));
    Map<String, Object> fresh = book(newIsbn(), "Brand New", 1000);
    try (KafkaTestClient kafka = new KafkaTestClient(bootstrap);
        KafkaTestClient.Tail tail = kafka.tailEvents()) {
      TestBooks.putAll(List.of(existing, repriced, fresh))
          .then()
          .statusCode(200)
          .body("received", equalTo(3))
          .body("added", equalTo(1))
          .body("priceChanged", equalTo(1))
          .body("unchanged", equalTo(1))
          .body("events", equalTo(2))
          .body("books.outcome", equalTo(List.of("UNCHANGED", "PRICE_CHANGED", "ADDED")));
      List<String> keys = List.of((String) repriced.get("isbn"), (String) fresh.get("isbn"));
      List<ConsumerRecord<String, byte[]>> events =
          tail.await(r -> keys.contains(r.key()), 2, WAIT);
      assertEquals(2, events.size());
      assertEquals(
          Map.of(
              repriced.get("isbn"), EventTypes.BOOK_PRICE_CHANGED,
              fresh.get("isbn"), EventTypes.BOOK_ADDED),
          Map.of(
              events.get(0).key(), header(events.get(0), "ce_type"),
              events.get(1).key(), header(events.get(1), "ce_type")));
      assertEquals(
          List.of(),
          eventsOf(tail, (String) existing.get("isbn"), Duration.ofMillis(500)),
          "the unchanged book emitted");
    }
  }

  @Test
  void invalidIsbnNegativePriceAndMissingTitleAreNamedInOneProblem() {
    Map<String, Object> bad = book("9780306406158", "x", -5);
    bad.remove("title");
    put(bad)
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("type", equalTo("https://bookstore.example.com/problems/invalid-book"))
        .body("status", equalTo(400))
        .body("errors.field", hasItems("isbn", "/price/cents", "/title"))
        .body("errors.find { it.field == 'isbn' }.in", equalTo("path"))
        .body("errors.find { it.field == 'isbn' }.detail", startsWith("has a wrong check digit"))
        .body(
            "errors.find { it.field == '/price/cents' }.detail",
            equalTo("must not be negative, got -5"))
        .body("errors.find { it.field == '/title' }.detail", equalTo("is missing"));
  }

  @Test
  void aBulkWithOneBadBookStoresNone() {
    Map<String, Object> good = book(newIsbn(), "Good Book", 1000);
    Map<String, Object> bad = book(newIsbn(), "Bad Book", 1000);
    bad.put("price", Map.of("cents", 1000));
    TestBooks.putAll(List.of(good, bad))
        .then()
        .statusCode(400)
        .body("errors.field", equalTo(List.of("/1/price/currency")));
    given().get("/books/" + good.get("isbn")).then().statusCode(404);
  }

  @Test
  void noTokenOrAWrongTokenGets401AndStoresNothing() {
    Map<String, Object> book = book(newIsbn(), "Unauthorised", 1000);
    given()
        .contentType(ContentType.JSON)
        .body(book)
        .put("/admin/books/" + book.get("isbn"))
        .then()
        .statusCode(401)
        .header("WWW-Authenticate", startsWith("Bearer"))
        .contentType("application/problem+json")
        .body("type", equalTo("https://bookstore.example.com/problems/unauthorized"));
    given()
        .header("Authorization", "Bearer not-the-token")
        .contentType(ContentType.JSON)
        .body(List.of(book))
        .post("/admin/books")
        .then()
        .statusCode(401)
        .body("detail", containsString("not the admin token"));
    given().get("/books/" + book.get("isbn")).then().statusCode(404);
  }

  @Test
  void malformedJsonSaysWhere() {
    given()
        .header("Authorization", "Bearer " + TestBooks.TOKEN)
        .contentType(ContentType.JSON)
        .body("[{\"isbn\": \"9780306406157\",\n \"title\": }]")
        .post("/admin/books")
        .then()
        .statusCode(400)
        .body("type", equalTo("https://bookstore.example.com/problems/malformed-json"))
        .body("detail", containsString("line 2"));
  }

  @Test
  void eventsLeftInTheOutboxAreRelayedAndForgotten() throws Exception {
    // As if Kafka had been down when the change committed: the event waits in the outbox.
    String isbn = newIsbn();
    String id = UUID.randomUUID().toString();
    String data =
        "{\"isbn\":\""
            + isbn
            + "\",\"oldPrice\":{\"cents\":100,\"currency\":\"EUR\"},"
            + "\"newPrice\":{\"cents\":200,\"currency\":\"EUR\"}}";
    try (KafkaTestClient kafka = new KafkaTestClient(bootstrap);
        KafkaTestClient.Tail tail = kafka.tailEvents()) {
      pool.preparedQuery(
              "insert into catalog.outbox (id, type, subject, occurred_at, data)"
                  + " values ($1, $2, $3, $4, $5)")
          .execute(
              Tuple.of(
                  id,
                  EventTypes.BOOK_PRICE_CHANGED,
                  isbn,
                  OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(1),
                  data))
          .await()
          .atMost(Duration.ofSeconds(10));
      List<ConsumerRecord<String, byte[]>> events = tail.await(r -> isbn.equals(r.key()), 1, WAIT);
      assertEquals(1, events.size(), "the relay did not publish the outbox event");
      assertEquals(id, header(events.get(0), "ce_id"));
      assertEquals(EventTypes.BOOK_PRICE_CHANGED, header(events.get(0), "ce_type"));
      assertEquals(200, data(events.get(0)).at("/newPrice/cents").asLong());
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertEquals(
                    0L,
                    pool.preparedQuery("select count(*) from catalog.outbox where id = $1")
                        .execute(Tuple.of(id))
                        .await()
                        .atMost(Duration.ofSeconds(10))
                        .iterator()
                        .next()
                        .getLong(0),
                    "a published event stayed in the outbox"));
  }
}
