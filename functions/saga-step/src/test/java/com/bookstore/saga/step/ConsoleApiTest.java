package com.bookstore.saga.step;

import static com.bookstore.kit.testing.KafkaTestClient.header;
import static com.bookstore.saga.step.OrderSagaEvents.newOrderId;
import static com.bookstore.saga.step.OrderSagaEvents.placed;
import static com.bookstore.saga.step.OrderSagaEvents.reserved;
import static com.bookstore.saga.step.SagaOperatorApiTest.operator;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.bookstore.events.EventTypes;
import com.bookstore.kit.KafkaDirect;
import com.bookstore.kit.testing.KafkaTestClient;
import com.bookstore.saga.store.SagaStore;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The console's page and JSON API against the real PostgreSQL and Kafka. */
@QuarkusTest
class ConsoleApiTest {
  @Inject SagaStore store;
  @Inject Pool pool;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  private final List<String> stuck = new ArrayList<>();

  @AfterEach
  void forgetStuckSagas() {
    for (String id : stuck) {
      pool.preparedQuery("delete from saga.saga where id = $1")
          .execute(Tuple.of(id))
          .await()
          .atMost(ConsoleFixtures.WAIT);
    }
  }

  @Test
  void thePageIsServedWithoutDataAndTheApiRefusesWithoutTheToken() {
    given()
        .get("/console")
        .then()
        .statusCode(200)
        .contentType("text/html")
        .header("Content-Security-Policy", containsString("default-src 'none'"))
        .body(containsString("Operator token"));
    given().get("/console/console.js").then().statusCode(200).contentType("text/javascript");
    for (var request :
        List.of(
            given().when().get("/console/api/sagas?status=RUNNING"),
            given().when().get("/console/api/orders/order-1"),
            given().when().get("/console/api/dead-letters"),
            given().when().post("/console/api/dead-letters/0/0/redrive"))) {
      request
          .then()
          .statusCode(401)
          .contentType("application/problem+json")
          .body("errors[0].field", equalTo("Authorization"));
    }
  }

  @Test
  void sagasAreCountedByStatusAndListedForOne() {
    String id = ConsoleFixtures.stuckAtCommit(store);
    stuck.add(id);
    operator()
        .get("/console/api/sagas?status=STUCK&limit=500")
        .then()
        .statusCode(200)
        .body("counts.STUCK", greaterThanOrEqualTo(1))
        .body("status", equalTo("STUCK"))
        .body("sagas.sagaId", hasItem(id));
    operator()
        .get("/console/api/sagas?status=DONE")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors[0].in", equalTo("query"))
        .body("errors[0].field", equalTo("status"))
        .body("errors[0].detail", containsString("got DONE"));
    operator()
        .get("/console/api/sagas?status=RUNNING&limit=0")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("limit"));
  }

  @Test
  void anOrderIsShownWithItsStepsAndItsTimeline() {
    String id = newOrderId();
    placed(id).post().then().statusCode(200);
    reserved(id).post().then().statusCode(200);
    operator()
        .get("/console/api/orders/" + id)
        .then()
        .statusCode(200)
        .body("saga.sagaId", equalTo(id))
        .body("saga.steps[0].status", equalTo("SUCCEEDED"))
        .body("saga.steps[1].status", equalTo("STARTED"))
        .body(
            "timeline.type",
            equalTo(
                List.of(
                    EventTypes.ORDER_PLACED,
                    EventTypes.STOCK_RESERVE,
                    EventTypes.STOCK_RESERVED,
                    EventTypes.PAYMENT_AUTHORIZE)))
        .body("timeline.direction", equalTo(List.of("in", "out", "in", "out")))
        .body("timeline[0].source", equalTo(OrderSagaEvents.SOURCE))
        .body("timeline[1].id", equalTo(id + ":reserve-stock:action:1"))
        .body("timeline[3].at", notNullValue())
        // payment, reserve-stock and notify do not run beside this test (port 9): each part says
        // what went wrong asking its owner, and the saga and timeline above still show
        .body("payment.source", equalTo("http://127.0.0.1:9/payment-status"))
        .body("payment.error", containsString("not reachable"))
        .body("payment.data", nullValue())
        .body("reservation.source", equalTo("http://127.0.0.1:9/reservation"))
        .body("reservation.error", containsString("not reachable"))
        .body("notifications.source", equalTo("http://127.0.0.1:9/notifications"))
        .body("notifications.error", containsString("not reachable"));
    operator()
        .get("/console/api/orders/no-such-order")
        .then()
        .statusCode(404)
        .body("type", equalTo("https://bookstore.example.com/problems/saga-not-found"));
  }

  @Test
  void aDeadLetterIsListedWithWhyAndRedrivenOnceToItsTopicKeepingItsId() {
    String key = newOrderId();
    try (KafkaTestClient kafka = new KafkaTestClient(bootstrap)) {
      ConsumerRecord<String, byte[]> letter = ConsoleFixtures.deadLetter(kafka, key);
      String ceId = header(letter, "ce_id");
      String where =
          "find { it.partition == %d && it.offset == %d }"
              .formatted(letter.partition(), letter.offset());
      operator()
          .get("/console/api/dead-letters?limit=500")
          .then()
          .statusCode(200)
          .body(where + ".ceId", equalTo(ceId))
          .body(where + ".ceType", equalTo(ConsoleFixtures.DEAD_LETTER_TYPE))
          .body(where + ".ceSource", equalTo(OrderSagaEvents.SOURCE))
          .body(where + ".function", equalTo("saga-step"))
          .body(where + ".cause", equalTo(KafkaDirect.CAUSE_BAD_EVENT))
          .body(where + ".topic", equalTo(ConsoleFixtures.DEAD_LETTER_TOPIC))
          .body(where + ".problem", containsString("schema-violation"))
          .body(where + ".reason", notNullValue())
          .body(where + ".key", equalTo(key))
          .body(where + ".redriven", equalTo(null));

      String redrive =
          "/console/api/dead-letters/" + letter.partition() + "/" + letter.offset() + "/redrive";
      try (KafkaTestClient.Tail original = kafka.tail(ConsoleFixtures.DEAD_LETTER_TOPIC)) {
        operator()
            .post(redrive)
            .then()
            .statusCode(200)
            .body("redriven.topic", equalTo(ConsoleFixtures.DEAD_LETTER_TOPIC))
            .body("redriven.ceId", equalTo(ceId));
        List<ConsumerRecord<String, byte[]>> back =
            original.await(r -> ceId.equals(header(r, "ce_id")), 1, ConsoleFixtures.WAIT);
        assertEquals(1, back.size(), "the letter back on " + ConsoleFixtures.DEAD_LETTER_TOPIC);
        assertEquals(key, back.get(0).key());
        assertEquals(new String(letter.value()), new String(back.get(0).value()));
        assertEquals(ConsoleFixtures.DEAD_LETTER_TYPE, header(back.get(0), "ce_type"));
        assertNull(header(back.get(0), KafkaDirect.DLQ_REASON), "no dead-letter headers");
        assertNull(header(back.get(0), KafkaDirect.DLQ_TOPIC), "no dead-letter headers");
      }
      operator()
          .post(redrive)
          .then()
          .statusCode(409)
          .contentType("application/problem+json")
          .body(
              "type",
              equalTo("https://bookstore.example.com/problems/dead-letter-already-redriven"));
      operator()
          .get("/console/api/dead-letters?limit=500")
          .then()
          .body(where + ".redriven.topic", equalTo(ConsoleFixtures.DEAD_LETTER_TOPIC));
    }
    operator()
        .post("/console/api/dead-letters/0/x/redrive")
        .then()
        .statusCode(400)
        .body("errors[0].in", equalTo("path"))
        .body("errors[0].field", equalTo("offset"));
    operator().post("/console/api/dead-letters/99/0/redrive").then().statusCode(404);
  }
}
