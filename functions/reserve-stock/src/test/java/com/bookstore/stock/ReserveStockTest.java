package com.bookstore.stock;

import static com.bookstore.kit.testing.CloudEventRequest.event;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.bookstore.events.EventTypes;
import com.bookstore.events.stock.CommitStock;
import com.bookstore.events.stock.ReleaseStock;
import com.bookstore.events.stock.ReserveStock;
import com.bookstore.events.stock.StockLine;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** reserve-stock over HTTP CloudEvents against the real PostgreSQL and Redis. */
@QuarkusTest
class ReserveStockTest {

  static String newIsbn() {
    return "978" + String.format("%010d", ThreadLocalRandom.current().nextLong(10_000_000_000L));
  }

  static String newOrder() {
    return "order-" + UUID.randomUUID();
  }

  static String stocked(int copies) {
    String isbn = newIsbn();
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("isbn", isbn, "quantity", copies))
        .post("/restock")
        .then()
        .statusCode(200)
        .body("onHand", equalTo(copies));
    return isbn;
  }

  static Map<String, Object> level(String isbn) {
    return given()
        .contentType(ContentType.JSON)
        .body(Map.of("isbn", isbn))
        .post("/stock-level")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getMap("");
  }

  static Response reserve(String order, String isbn, int quantity) {
    return event(EventTypes.STOCK_RESERVE)
        .attribute("partitionkey", order)
        .data(new ReserveStock(order, List.of(new StockLine(isbn, quantity)), 600))
        .post();
  }

  @Test
  void emitsStockReservedAndHoldsTheCopies() {
    String isbn = stocked(3);
    String order = newOrder();
    reserve(order, isbn, 2)
        .then()
        .statusCode(200)
        .header("ce-type", EventTypes.STOCK_RESERVED)
        .header("ce-subject", order)
        .header("ce-partitionkey", order)
        .body("orderId", equalTo(order))
        .body("items", hasSize(1));
    assertEquals(Map.of("isbn", isbn, "onHand", 3, "reserved", 2, "available", 1), level(isbn));
  }

  @Test
  void emitsStockRejectedWhenOutOfStockAndHoldsNothing() {
    String isbn = stocked(1);
    String order = newOrder();
    reserve(order, isbn, 2)
        .then()
        .statusCode(200)
        .header("ce-type", EventTypes.STOCK_REJECTED)
        .body("reason", equalTo("out-of-stock"))
        .body("shortages[0].isbn", equalTo(isbn))
        .body("shortages[0].requested", equalTo(2))
        .body("shortages[0].available", equalTo(1));
    assertEquals(0, level(isbn).get("reserved"));
  }

  @Test
  void unknownBookIsRejected() {
    reserve(newOrder(), newIsbn(), 1)
        .then()
        .header("ce-type", EventTypes.STOCK_REJECTED)
        .body("reason", equalTo("unknown-book"));
  }

  @Test
  void aHundredConcurrentReservationsForTheLastFiveCopiesGiveExactlyFive() throws Exception {
    String isbn = stocked(5);
    ExecutorService pool = Executors.newFixedThreadPool(20);
    try {
      List<Future<String>> answers =
          java.util.stream.IntStream.range(0, 100)
              .mapToObj(i -> pool.submit(() -> reserve(newOrder(), isbn, 1).header("ce-type")))
              .toList();
      int reserved = 0;
      int rejected = 0;
      for (Future<String> answer : answers) {
        String type = answer.get();
        if (EventTypes.STOCK_RESERVED.equals(type)) {
          reserved++;
        } else if (EventTypes.STOCK_REJECTED.equals(type)) {
          rejected++;
        }
      }
      assertEquals(5, reserved, "reservations");
      assertEquals(95, rejected, "rejections");
    } finally {
      pool.shutdown();
    }
    assertEquals(Map.of("isbn", isbn, "onHand", 5, "reserved", 5, "available", 0), level(isbn));
  }

  @Test
  void commitSellsTheHeldCopiesOnceEvenWhenRepeated() {
    String isbn = stocked(4);
    String order = newOrder();
    reserve(order, isbn, 3).then().header("ce-type", EventTypes.STOCK_RESERVED);
    for (int i = 0; i < 2; i++) {
      event(EventTypes.STOCK_COMMIT)
          .data(new CommitStock(order))
          .post()
          .then()
          .statusCode(200)
          .header("ce-type", EventTypes.STOCK_COMMITTED)
          .body("items[0].quantity", equalTo(3));
    }
    assertEquals(Map.of("isbn", isbn, "onHand", 1, "reserved", 0, "available", 1), level(isbn));
  }

  /** {@code POST /reservation}: what an order holds, as operators and the saga console see it. */
  @Test
  void anOrdersHoldIsShownByOrderIdFromReservedToCommitted() {
    String isbn = stocked(4);
    String order = newOrder();
    reservation(order)
        .body("orderId", equalTo(order))
        .body("status", nullValue())
        .body("items", hasSize(0));
    reserve(order, isbn, 3).then().header("ce-type", EventTypes.STOCK_RESERVED);
    reservation(order)
        .body("status", equalTo("RESERVED"))
        .body("items[0].isbn", equalTo(isbn))
        .body("items[0].quantity", equalTo(3))
        .body("expiresAt", notNullValue());
    event(EventTypes.STOCK_COMMIT).data(new CommitStock(order)).post().then().statusCode(200);
    reservation(order).body("status", equalTo("COMMITTED")).body("items[0].quantity", equalTo(3));
  }

  private static io.restassured.response.ValidatableResponse reservation(String order) {
    return given()
        .contentType(ContentType.JSON)
        .body(Map.of("orderId", order))
        .post("/reservation")
        .then()
        .statusCode(200);
  }

  @Test
  void commitWithoutAHoldIsRejected() {
    event(EventTypes.STOCK_COMMIT)
        .data(new CommitStock(newOrder()))
        .post()
        .then()
        .header("ce-type", EventTypes.STOCK_REJECTED)
        .body("reason", equalTo("not-reserved"));
  }

  @Test
  void releaseGivesTheCopiesBackOnceEvenWhenRepeated() {
    String isbn = stocked(2);
    String order = newOrder();
    reserve(order, isbn, 2).then().header("ce-type", EventTypes.STOCK_RESERVED);
    event(EventTypes.STOCK_RELEASE)
        .data(new ReleaseStock(order, "payment-declined"))
        .post()
        .then()
        .header("ce-type", EventTypes.STOCK_RELEASED)
        .body("items[0].quantity", equalTo(2));
    event(EventTypes.STOCK_RELEASE)
        .data(new ReleaseStock(order, "payment-declined"))
        .post()
        .then()
        .header("ce-type", EventTypes.STOCK_RELEASED)
        .body("items", hasSize(0));
    assertEquals(Map.of("isbn", isbn, "onHand", 2, "reserved", 0, "available", 2), level(isbn));
  }

  @Test
  void releaseOfAnOrderNeverReservedSucceedsAndALateReserveHoldsNothing() {
    String isbn = stocked(2);
    String order = newOrder();
    event(EventTypes.STOCK_RELEASE)
        .data(new ReleaseStock(order, "saga-timed-out"))
        .post()
        .then()
        .statusCode(200)
        .header("ce-type", EventTypes.STOCK_RELEASED)
        .body("items", hasSize(0));
    reserve(order, isbn, 1)
        .then()
        .header("ce-type", EventTypes.STOCK_REJECTED)
        .body("reason", equalTo("released"));
    assertEquals(0, level(isbn).get("reserved"));
  }

  @Test
  void releaseAfterCommitRestocks() {
    String isbn = stocked(2);
    String order = newOrder();
    reserve(order, isbn, 1).then().header("ce-type", EventTypes.STOCK_RESERVED);
    event(EventTypes.STOCK_COMMIT).data(new CommitStock(order)).post().then().statusCode(200);
    event(EventTypes.STOCK_RELEASE)
        .data(new ReleaseStock(order, "delivery-failed"))
        .post()
        .then()
        .header("ce-type", EventTypes.STOCK_RELEASED);
    assertEquals(Map.of("isbn", isbn, "onHand", 2, "reserved", 0, "available", 2), level(isbn));
  }

  @Test
  void badIsbnIsRefusedNamingTheField() {
    event(EventTypes.STOCK_RESERVE)
        .data("{\"orderId\":\"o-1\",\"items\":[{\"isbn\":\"nope\",\"quantity\":1}]}")
        .post()
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("/items/0/isbn"));
  }
}
