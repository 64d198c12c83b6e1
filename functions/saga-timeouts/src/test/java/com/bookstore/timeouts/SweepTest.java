package com.bookstore.timeouts;

import static com.bookstore.kit.testing.CloudEventRequest.event;
import static com.bookstore.kit.testing.KafkaTestClient.header;
import static com.bookstore.kit.testing.KafkaTestClient.value;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bookstore.events.EventCatalogue;
import com.bookstore.events.EventJson;
import com.bookstore.events.EventSchemas;
import com.bookstore.events.EventTypes;
import com.bookstore.events.stock.ExpireStock;
import com.bookstore.kit.InboundEvent;
import com.bookstore.kit.testing.KafkaTestClient;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sweep against the real PostgreSQL (the owners' tables, rows written straight into them) and
 * Kafka (what lands on bookstore-events). The schedule is off in tests: sweeps run when a test
 * asks. Other modules' tests share the database, so each test matches only its own rows' events,
 * and its overdue rows are dated long ago so that they come first in the sweep's order.
 */
@QuarkusTest
class SweepTest {
  static final String SOURCE = InboundEvent.sourceOf("saga-timeouts");

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @ConfigProperty(name = "saga-timeouts.lock-key")
  long lockKey;

  private final List<String> rows = new ArrayList<>();

  @BeforeAll
  static void ownersTables() {
    OwnerTables.migrate();
  }

  @AfterEach
  void removeOurRows() throws SQLException {
    OwnerTables.delete(rows);
  }

  private String newId(String what) {
    String id = what + "-" + UUID.randomUUID();
    rows.add(id);
    return id;
  }

  /** Long past, at microsecond precision (what PostgreSQL keeps). */
  static Instant longAgo() {
    return Instant.parse("2001-01-01T00:00:00Z")
        .plus(ThreadLocalRandom.current().nextLong(1_000_000_000_000L), ChronoUnit.MICROS);
  }

  static Instant inAnHour() {
    return Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MICROS);
  }

  static Map<String, Object> sweep() {
    return given().post("/sweep").then().statusCode(200).extract().jsonPath().getMap("");
  }

  static Predicate<ConsumerRecord<String, byte[]>> about(Set<String> subjects) {
    return r -> SOURCE.equals(header(r, "ce_source")) && subjects.contains(header(r, "ce_subject"));
  }

  /** Every event of ours about these subjects: the expected ones, then a second for stragglers. */
  static List<ConsumerRecord<String, byte[]>> arrivals(
      KafkaTestClient.Tail tail, Set<String> subjects, int expected) {
    tail.await(about(subjects), expected, Duration.ofSeconds(20));
    return tail.collect(about(subjects), Duration.ofSeconds(1));
  }

  static Map<String, String> idsBySubject(List<ConsumerRecord<String, byte[]>> records) {
    Map<String, String> ids = new HashMap<>();
    for (ConsumerRecord<String, byte[]> r : records) {
      String previous = ids.put(header(r, "ce_subject"), header(r, "ce_id"));
      assertEquals(null, previous, "two events for " + header(r, "ce_subject"));
    }
    return ids;
  }

  static JsonNode data(ConsumerRecord<String, byte[]> record) throws Exception {
    return EventJson.mapper().readTree(value(record));
  }

  @Test
  void aSweepEmitsExactlyTheOverdueSagasAndExpiredHoldsWithIdsFromWhatItFound() throws Exception {
    Instant runningDeadline = longAgo();
    Instant compensatingDeadline = longAgo();
    Instant holdExpiry = longAgo();
    String running = newId("saga-running-overdue");
    String compensating = newId("saga-compensating-overdue");
    String notDue = newId("saga-not-due");
    String completed = newId("saga-completed");
    String stuck = newId("saga-stuck");
    String expiredHold = newId("hold-expired");
    String liveHold = newId("hold-not-due");
    String committed = newId("hold-committed");
    String released = newId("hold-released");
    OwnerTables.insertSaga(running, "RUNNING", runningDeadline);
    OwnerTables.insertSaga(compensating, "COMPENSATING", compensatingDeadline);
    OwnerTables.insertSaga(notDue, "RUNNING", inAnHour());
    OwnerTables.insertSaga(completed, "COMPLETED", longAgo());
    OwnerTables.insertSaga(stuck, "STUCK", longAgo());
    OwnerTables.insertHold(expiredHold, "RESERVED", holdExpiry);
    OwnerTables.insertHold(liveHold, "RESERVED", inAnHour());
    OwnerTables.insertHold(committed, "COMMITTED", longAgo());
    OwnerTables.insertHold(released, "RELEASED", longAgo());

    List<ConsumerRecord<String, byte[]>> events;
    try (KafkaTestClient kafka = new KafkaTestClient(bootstrap);
        KafkaTestClient.Tail tail = kafka.tailEvents()) {
      Map<String, Object> result = sweep();
      assertEquals(false, result.get("skipped"));
      assertTrue((Integer) result.get("sagasOverdue") >= 2, "sagasOverdue " + result);
      assertTrue((Integer) result.get("holdsExpired") >= 1, "holdsExpired " + result);
      events = arrivals(tail, Set.copyOf(rows), 3);
    }

    Map<String, String> ids = idsBySubject(events);
    assertEquals(Set.of(running, compensating, expiredHold), ids.keySet());
    assertEquals(
        TimeoutEvents.eventId(EventTypes.SAGA_DEADLINE_PASSED, running, runningDeadline),
        ids.get(running));
    assertEquals(
        TimeoutEvents.eventId(EventTypes.SAGA_DEADLINE_PASSED, compensating, compensatingDeadline),
        ids.get(compensating));
    assertEquals(
        TimeoutEvents.eventId(EventTypes.STOCK_EXPIRE, expiredHold, holdExpiry),
        ids.get(expiredHold));

    for (ConsumerRecord<String, byte[]> r : events) {
      String subject = header(r, "ce_subject");
      String type =
          subject.equals(expiredHold) ? EventTypes.STOCK_EXPIRE : EventTypes.SAGA_DEADLINE_PASSED;
      assertEquals(type, header(r, "ce_type"));
      assertEquals(subject, r.key(), "record key");
      assertEquals(subject, header(r, "ce_partitionkey"));
      assertEquals(EventCatalogue.get(type).dataschema(), header(r, "ce_dataschema"));
      assertEquals(List.of(), EventSchemas.validate(type, data(r)), "schema of " + type);
    }
    ConsumerRecord<String, byte[]> runningEvent =
        events.stream().filter(r -> running.equals(r.key())).findFirst().orElseThrow();
    assertEquals(running, data(runningEvent).get("sagaId").asText());
    assertEquals(runningDeadline, Instant.parse(data(runningEvent).get("deadline").asText()));
    ConsumerRecord<String, byte[]> holdEvent =
        events.stream().filter(r -> expiredHold.equals(r.key())).findFirst().orElseThrow();
    assertEquals(
        new ExpireStock(expiredHold),
        EventJson.mapper().readValue(value(holdEvent), ExpireStock.class));
  }

  @Test
  void aSweepEmitsAPickupOverdueForEachDispatchedDeliveryPastItsPickupDeadlineOnly()
      throws Exception {
    Instant deadline = longAgo();
    String overdue = newId("delivery-ready-overdue");
    String notDue = newId("delivery-ready-not-due");
    String pickedUp = newId("delivery-picked-up");
    String assigned = newId("delivery-assigned");
    OwnerTables.insertDelivery(overdue, "READY", 2, deadline);
    OwnerTables.insertDelivery(notDue, "READY", 1, inAnHour());
    OwnerTables.insertDelivery(pickedUp, "PICKED_UP", 1, longAgo());
    OwnerTables.insertDelivery(assigned, "ASSIGNED", 1, null);

    List<ConsumerRecord<String, byte[]>> events;
    try (KafkaTestClient kafka = new KafkaTestClient(bootstrap);
        KafkaTestClient.Tail tail = kafka.tailEvents()) {
      Map<String, Object> result = sweep();
      assertTrue((Integer) result.get("pickupsOverdue") >= 1, "pickupsOverdue " + result);
      events = arrivals(tail, Set.copyOf(rows), 1);
    }
    Map<String, String> ids = idsBySubject(events);
    assertEquals(Set.of(overdue), ids.keySet());
    ConsumerRecord<String, byte[]> event = events.get(0);
    assertEquals(EventTypes.DELIVERY_PICKUP_OVERDUE, header(event, "ce_type"));
    assertEquals(
        TimeoutEvents.eventId(EventTypes.DELIVERY_PICKUP_OVERDUE, overdue, deadline),
        ids.get(overdue));
    assertEquals(List.of(), EventSchemas.validate(EventTypes.DELIVERY_PICKUP_OVERDUE, data(event)));
    assertEquals(2, data(event).get("attempt").asInt());
    assertEquals(overdue, event.key());
  }

  @Test
  void sweepingTwiceGivesTheSameIdsAndAMovedDeadlineANewOne() throws Exception {
    Instant firstDeadline = longAgo();
    String saga = newId("saga-twice");
    String hold = newId("hold-twice");
    OwnerTables.insertSaga(saga, "FAILED", firstDeadline);
    OwnerTables.insertHold(hold, "RESERVED", longAgo());
    Set<String> ours = Set.of(saga, hold);
    try (KafkaTestClient kafka = new KafkaTestClient(bootstrap)) {
      Map<String, String> first;
      try (KafkaTestClient.Tail tail = kafka.tailEvents()) {
        sweep();
        first = idsBySubject(arrivals(tail, ours, 2));
      }
      Map<String, String> second;
      try (KafkaTestClient.Tail tail = kafka.tailEvents()) {
        sweep();
        second = idsBySubject(arrivals(tail, ours, 2));
      }
      assertEquals(ours, first.keySet());
      assertEquals(first, second, "a repeated sweep of the same deadlines gives the same ids");

      Instant movedDeadline = longAgo();
      OwnerTables.moveDeadline(saga, movedDeadline);
      Map<String, String> third;
      try (KafkaTestClient.Tail tail = kafka.tailEvents()) {
        sweep();
        third = idsBySubject(arrivals(tail, ours, 2));
      }
      assertNotEquals(first.get(saga), third.get(saga), "a new deadline gives a new id");
      assertEquals(
          TimeoutEvents.eventId(EventTypes.SAGA_DEADLINE_PASSED, saga, movedDeadline),
          third.get(saga));
      assertEquals(first.get(hold), third.get(hold));
    }
  }

  @Test
  void aSweepThatFindsTheLockHeldDoesNothing() throws Exception {
    String saga = newId("saga-locked-out");
    OwnerTables.insertSaga(saga, "RUNNING", longAgo());
    try (KafkaTestClient kafka = new KafkaTestClient(bootstrap);
        KafkaTestClient.Tail tail = kafka.tailEvents();
        Connection otherReplica = OwnerTables.connect()) {
      // Another replica mid-sweep: it holds the lock (session-level here, for the test's control).
      lock(otherReplica, "select pg_advisory_lock(?)");
      Map<String, Object> skipped = sweep();
      assertEquals(
          Map.of("sagasOverdue", 0, "holdsExpired", 0, "pickupsOverdue", 0, "skipped", true),
          skipped);
      assertEquals(
          List.of(),
          tail.collect(about(Set.of(saga)), Duration.ofSeconds(2)),
          "skipped, yet emitted");

      lock(otherReplica, "select pg_advisory_unlock(?)");
      assertEquals(false, sweep().get("skipped"));
      assertEquals(1, arrivals(tail, Set.of(saga), 1).size());
    }
  }

  @Test
  void twoConcurrentSweepsOneDoesTheWork() throws Exception {
    String saga = newId("saga-concurrent");
    String hold = newId("hold-concurrent");
    OwnerTables.insertSaga(saga, "RUNNING", longAgo());
    OwnerTables.insertHold(hold, "RESERVED", longAgo());
    try (KafkaTestClient kafka = new KafkaTestClient(bootstrap);
        KafkaTestClient.Tail tail = kafka.tailEvents();
        Connection blocker = OwnerTables.connect()) {
      // Holds the first sweep inside its locked section: it waits to read stock.reservation
      // while the second sweep starts. Released within a second, whatever happens.
      blocker.setAutoCommit(false);
      try (Statement s = blocker.createStatement()) {
        s.execute("set local lock_timeout = '5s'");
        s.execute("lock table stock.reservation in access exclusive mode");
      }
      CompletableFuture<Map<String, Object>> first;
      Map<String, Object> second;
      try {
        first = CompletableFuture.supplyAsync(SweepTest::sweep);
        await().atMost(Duration.ofSeconds(10)).until(this::sweepLockHeld);
        second = sweep();
      } finally {
        blocker.rollback();
      }
      Map<String, Object> firstResult = first.get(30, TimeUnit.SECONDS);
      assertEquals(
          Map.of("sagasOverdue", 0, "holdsExpired", 0, "pickupsOverdue", 0, "skipped", true),
          second);
      assertEquals(false, firstResult.get("skipped"));
      assertTrue((Integer) firstResult.get("sagasOverdue") >= 1, "first " + firstResult);
      assertTrue((Integer) firstResult.get("holdsExpired") >= 1, "first " + firstResult);
      assertEquals(
          Set.of(saga, hold), idsBySubject(arrivals(tail, Set.of(saga, hold), 2)).keySet());
    }
  }

  @Test
  void aKnativePingOnSweepRunsASweepWhateverTheBody() throws Exception {
    String saga = newId("saga-ping");
    OwnerTables.insertSaga(saga, "RUNNING", longAgo());
    try (KafkaTestClient kafka = new KafkaTestClient(bootstrap);
        KafkaTestClient.Tail tail = kafka.tailEvents()) {
      ping()
          .spec()
          .post("/sweep")
          .then()
          .statusCode(200)
          .contentType("application/json")
          .body("skipped", equalTo(false));
      assertEquals(1, arrivals(tail, Set.of(saga), 1).size());
    }
    ping()
        .structured()
        .spec()
        .post("/sweep")
        .then()
        .statusCode(200)
        .body("skipped", equalTo(false));
    given().post("/sweep").then().statusCode(200).body("skipped", equalTo(false));
    given()
        .contentType("text/plain")
        .body("not json at all")
        .post("/sweep")
        .then()
        .statusCode(200)
        .body("skipped", equalTo(false));
  }

  @Test
  void aPingCloudEventOnTheRootRunsASweep() throws Exception {
    String hold = newId("hold-ping-root");
    OwnerTables.insertHold(hold, "RESERVED", longAgo());
    try (KafkaTestClient kafka = new KafkaTestClient(bootstrap);
        KafkaTestClient.Tail tail = kafka.tailEvents()) {
      ping().post().then().statusCode(200).body("skipped", equalTo(false));
      assertEquals(1, arrivals(tail, Set.of(hold), 1).size());
    }
  }

  @Test
  void anyOtherCloudEventOnTheRootIsRefusedNamingTheType() {
    event(EventTypes.STOCK_EXPIRE)
        .data(new ExpireStock("order-" + UUID.randomUUID()))
        .post()
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("type", equalTo("https://bookstore.example.com/problems/unknown-event-type"))
        .body("errors[0].field", equalTo("ce-type"));
  }

  /** What a Knative PingSource sends (binary mode, its configured JSON data). */
  static com.bookstore.kit.testing.CloudEventRequest ping() {
    return event(SweepRoutes.PING)
        .source("/apis/v1/namespaces/bookstore/pingsources/saga-timeouts-sweep")
        .data("{\"sweep\":\"due\"}");
  }

  private void lock(Connection connection, String sql) throws SQLException {
    try (PreparedStatement s = connection.prepareStatement(sql)) {
      s.setLong(1, lockKey);
      s.execute();
    }
  }

  /** Whether some session of this database holds the sweep's advisory lock. */
  private boolean sweepLockHeld() throws SQLException {
    try (Connection c = OwnerTables.connect();
        PreparedStatement s =
            c.prepareStatement(
                "select count(*) from pg_locks where locktype = 'advisory' and granted"
                    + " and database = (select oid from pg_database where datname = current_database())"
                    + " and objsubid = 1 and ((classid::bigint << 32) | objid::bigint) = ?")) {
      s.setLong(1, lockKey);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1) > 0;
      }
    }
  }
}
