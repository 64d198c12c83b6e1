package com.bookstore.stock;

import static com.bookstore.kit.testing.CloudEventRequest.event;
import static com.bookstore.stock.ReserveStockTest.level;
import static com.bookstore.stock.ReserveStockTest.newOrder;
import static com.bookstore.stock.ReserveStockTest.reserve;
import static com.bookstore.stock.ReserveStockTest.stocked;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.bookstore.events.EventTypes;
import com.bookstore.events.stock.CommitStock;
import com.bookstore.events.stock.ExpireStock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code stock.expire} (sent by saga-timeouts' sweep) over HTTP CloudEvents against the real
 * PostgreSQL: only a live hold past its expiry is given back.
 */
@QuarkusTest
class ExpireStockTest {

  private final Pool database;

  ExpireStockTest(Pool database) {
    this.database = database;
  }

  /** Moves the hold's expiry into the past, as if its time had run out. */
  private void runOut(String order) {
    int updated =
        database
            .preparedQuery(
                "update stock.reservation set expires_at = now() - interval '1 second'"
                    + " where order_id = $1")
            .execute(Tuple.of(order))
            .await()
            .atMost(Duration.ofSeconds(10))
            .rowCount();
    assertEquals(1, updated, "no reservation row for " + order);
  }

  private static Response expire(String order) {
    return event(EventTypes.STOCK_EXPIRE)
        .attribute("partitionkey", order)
        .data(new ExpireStock(order))
        .post();
  }

  private static String status(Pool database, String order) {
    return database
        .preparedQuery("select status from stock.reservation where order_id = $1")
        .execute(Tuple.of(order))
        .await()
        .atMost(Duration.ofSeconds(10))
        .iterator()
        .next()
        .getString(0);
  }

  @Test
  void anExpiredHoldIsGivenBackAndTheLevelShowsIt() {
    String isbn = stocked(3);
    String order = newOrder();
    reserve(order, isbn, 2).then().header("ce-type", EventTypes.STOCK_RESERVED);
    runOut(order);
    expire(order)
        .then()
        .statusCode(200)
        .header("ce-type", EventTypes.STOCK_EXPIRED)
        .header("ce-subject", order)
        .header("ce-partitionkey", order)
        .body("orderId", equalTo(order))
        .body("items", hasSize(1))
        .body("items[0].isbn", equalTo(isbn))
        .body("items[0].quantity", equalTo(2));
    assertEquals(Map.of("isbn", isbn, "onHand", 3, "reserved", 0, "available", 3), level(isbn));
    assertEquals("EXPIRED", status(database, order));
  }

  @Test
  void aHoldNotYetDueIsKept() {
    String isbn = stocked(3);
    String order = newOrder();
    reserve(order, isbn, 2).then().header("ce-type", EventTypes.STOCK_RESERVED);
    expire(order)
        .then()
        .statusCode(200)
        .header("ce-type", EventTypes.STOCK_EXPIRED)
        .body("items", hasSize(0));
    assertEquals(Map.of("isbn", isbn, "onHand", 3, "reserved", 2, "available", 1), level(isbn));
    assertEquals("RESERVED", status(database, order));
    event(EventTypes.STOCK_COMMIT)
        .data(new CommitStock(order))
        .post()
        .then()
        .header("ce-type", EventTypes.STOCK_COMMITTED);
  }

  @Test
  void aCommittedOrderIsUntouchedEvenPastItsExpiry() {
    String isbn = stocked(3);
    String order = newOrder();
    reserve(order, isbn, 2).then().header("ce-type", EventTypes.STOCK_RESERVED);
    event(EventTypes.STOCK_COMMIT)
        .data(new CommitStock(order))
        .post()
        .then()
        .header("ce-type", EventTypes.STOCK_COMMITTED);
    runOut(order);
    expire(order)
        .then()
        .statusCode(200)
        .header("ce-type", EventTypes.STOCK_EXPIRED)
        .body("items", hasSize(0));
    assertEquals(Map.of("isbn", isbn, "onHand", 1, "reserved", 0, "available", 1), level(isbn));
    assertEquals("COMMITTED", status(database, order));
  }

  @Test
  void aSecondExpireAnswersEmptyAndGivesNothingBackTwice() {
    String isbn = stocked(4);
    String order = newOrder();
    String other = newOrder();
    reserve(order, isbn, 2).then().header("ce-type", EventTypes.STOCK_RESERVED);
    reserve(other, isbn, 1).then().header("ce-type", EventTypes.STOCK_RESERVED);
    runOut(order);
    expire(order).then().body("items[0].quantity", equalTo(2));
    // A new command (another sweep's id), not a redelivery the ledger would answer.
    expire(order)
        .then()
        .statusCode(200)
        .header("ce-type", EventTypes.STOCK_EXPIRED)
        .body("items", hasSize(0));
    // The other order's hold is still counted: the copies were given back once, not twice.
    assertEquals(Map.of("isbn", isbn, "onHand", 4, "reserved", 1, "available", 3), level(isbn));
  }

  @Test
  void expireThenALateCommitIsRefused() {
    String isbn = stocked(2);
    String order = newOrder();
    reserve(order, isbn, 1).then().header("ce-type", EventTypes.STOCK_RESERVED);
    runOut(order);
    expire(order).then().body("items", hasSize(1));
    event(EventTypes.STOCK_COMMIT)
        .data(new CommitStock(order))
        .post()
        .then()
        .statusCode(200)
        .header("ce-type", EventTypes.STOCK_REJECTED)
        .body("reason", equalTo("not-reserved"));
    assertEquals(Map.of("isbn", isbn, "onHand", 2, "reserved", 0, "available", 2), level(isbn));
  }

  @Test
  void expireOfAnOrderNeverReservedAnswersEmptyAndLeavesNoTrace() {
    String isbn = stocked(1);
    String order = newOrder();
    expire(order)
        .then()
        .statusCode(200)
        .header("ce-type", EventTypes.STOCK_EXPIRED)
        .body("orderId", equalTo(order))
        .body("items", hasSize(0));
    // Unlike a release, an expire leaves no tombstone: the order can still reserve.
    reserve(order, isbn, 1).then().header("ce-type", EventTypes.STOCK_RESERVED);
  }
}
