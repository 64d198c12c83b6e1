package com.bookstore.saga.step;

import static com.bookstore.kit.testing.KafkaTestClient.header;
import static com.bookstore.saga.step.OrderSagaEvents.newOrderId;
import static com.bookstore.saga.step.OrderSagaEvents.placed;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.bookstore.events.EventTypes;
import com.bookstore.kit.saga.SagaState;
import com.bookstore.kit.saga.SagaStatus;
import com.bookstore.kit.saga.StepState;
import com.bookstore.kit.saga.StepStatus;
import com.bookstore.kit.testing.KafkaTestClient;
import com.bookstore.saga.store.SagaStore;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The operator API: look at a saga, list the stuck ones, resume one. */
@QuarkusTest
class SagaOperatorApiTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Inject SagaStore store;
  @Inject Pool pool;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  private String stuckId;

  /** A request with the test profile's operator token. */
  static RequestSpecification operator() {
    return given().header("Authorization", "Bearer test-operator-token");
  }

  /** A saga whose commit went unanswered five times, as saga-step would have left it. */
  private String stuckAtCommit() {
    stuckId = newOrderId();
    SagaState state =
        new SagaState(
            stuckId,
            "order",
            SagaStatus.STUCK,
            2,
            null,
            8,
            List.of(
                new StepState("reserve-stock", StepStatus.SUCCEEDED, 1, 0),
                new StepState("authorize-payment", StepStatus.SUCCEEDED, 1, 0),
                new StepState("commit-stock", StepStatus.STARTED, 5, 0),
                new StepState("capture-payment", StepStatus.PENDING, 0, 0)),
            null,
            Set.of());
    store
        .insert(
            state,
            OrderSagaEvents.order(stuckId),
            null,
            Instant.now().truncatedTo(ChronoUnit.MICROS))
        .await()
        .atMost(WAIT);
    return stuckId;
  }

  /** Stuck sagas made here would pile up in the operators' list run after run. */
  @AfterEach
  void forgetTheStuckSaga() {
    if (stuckId != null) {
      pool.preparedQuery("delete from saga.saga where id = $1")
          .execute(Tuple.of(stuckId))
          .await()
          .atMost(WAIT);
    }
  }

  @Test
  void aSagaIsShownWithItsStepsAndItsOrder() {
    String id = newOrderId();
    placed(id).post().then().statusCode(200);

    operator()
        .get("/sagas/" + id)
        .then()
        .statusCode(200)
        .contentType("application/json")
        .body("sagaId", equalTo(id))
        .body("saga", equalTo("order"))
        .body("status", equalTo("RUNNING"))
        .body("currentStep", equalTo("reserve-stock"))
        .body("version", equalTo(0))
        .body("steps", hasSize(4))
        .body("steps[0].name", equalTo("reserve-stock"))
        .body("steps[0].status", equalTo("STARTED"))
        .body("steps[0].attempts", equalTo(1))
        .body("steps[3].status", equalTo("PENDING"))
        .body("order.email", equalTo("ada@example.com"))
        .body("order.total.cents", equalTo(12499));
  }

  @Test
  void anUnknownSagaIsANotFoundProblem() {
    operator()
        .get("/sagas/no-such-order")
        .then()
        .statusCode(404)
        .contentType("application/problem+json")
        .body("type", equalTo("https://bookstore.example.com/problems/saga-not-found"))
        .body("detail", equalTo("no saga no-such-order"));
  }

  @Test
  void stuckSagasAreListedByStatus() {
    String id = stuckAtCommit();
    operator()
        .get("/sagas?status=STUCK&limit=1000")
        .then()
        .statusCode(200)
        .body("sagaId", hasItem(id))
        .body("status", not(hasItem("RUNNING")));
  }

  @Test
  void listingByAnyOtherStatusIsABadRequestNamingTheParameter() {
    operator()
        .get("/sagas?status=RUNNING")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors[0].in", equalTo("query"))
        .body("errors[0].field", equalTo("status"))
        .body("errors[0].detail", equalTo("must be STUCK, got RUNNING"));
    operator().get("/sagas").then().statusCode(400).body("errors[0].detail", equalTo("is missing"));
    operator()
        .get("/sagas?status=STUCK&limit=0")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("limit"));
  }

  @Test
  void resumeSendsTheStuckCommandOnceMoreWithTheNextAttempt() {
    String id = stuckAtCommit();
    try (KafkaTestClient kafka = new KafkaTestClient(bootstrap);
        KafkaTestClient.Tail events = kafka.tailEvents()) {
      operator()
          .post("/sagas/" + id + "/resume")
          .then()
          .statusCode(200)
          .body("saga.status", equalTo("RUNNING"))
          .body("saga.steps[2].attempts", equalTo(6))
          .body("sent[0].type", equalTo(EventTypes.STOCK_COMMIT))
          .body("sent[0].id", equalTo(id + ":commit-stock:action:6"));

      List<ConsumerRecord<String, byte[]>> sent =
          events.await(
              r -> id.equals(r.key()) && EventTypes.STOCK_COMMIT.equals(header(r, "ce_type")),
              1,
              Duration.ofSeconds(30));
      assertEquals(1, sent.size(), "stock.commit on the topic");
      assertEquals(id + ":commit-stock:action:6", header(sent.get(0), "ce_id"));
    }
    assertEquals(
        SagaStatus.RUNNING, store.load(id).await().atMost(WAIT).orElseThrow().state().status());
  }

  @Test
  void resumingASagaThatIsNotStuckIsAConflict() {
    String id = newOrderId();
    placed(id).post().then().statusCode(200);
    operator()
        .post("/sagas/" + id + "/resume")
        .then()
        .statusCode(409)
        .contentType("application/problem+json")
        .body("type", equalTo("https://bookstore.example.com/problems/saga-not-stuck"));
    operator().post("/sagas/no-such-order/resume").then().statusCode(404);
  }

  @Test
  void everyOperatorRouteRefusesARequestWithoutTheToken() {
    String id = stuckAtCommit();
    for (var request :
        List.of(
            given().when().get("/sagas/" + id),
            given().when().get("/sagas?status=STUCK"),
            given().when().post("/sagas/" + id + "/resume"))) {
      request
          .then()
          .statusCode(401)
          .contentType("application/problem+json")
          .header("WWW-Authenticate", "Bearer realm=\"saga-operator\"")
          .body("type", equalTo("https://bookstore.example.com/problems/unauthorized"))
          .body("errors[0].in", equalTo("header"))
          .body("errors[0].field", equalTo("Authorization"))
          .body("errors[0].detail", equalTo("is missing"));
    }
    given()
        .header("Authorization", "Bearer not-the-token")
        .post("/sagas/" + id + "/resume")
        .then()
        .statusCode(401)
        .body("detail", equalTo("the bearer token is not the operator token"));
    given()
        .header("Authorization", "Basic dGVzdDp0ZXN0")
        .get("/sagas/" + id)
        .then()
        .statusCode(401)
        .body("errors[0].detail", equalTo("must be Bearer <operator token>"));
    // Refused, so not resumed.
    assertEquals(
        SagaStatus.STUCK, store.load(id).await().atMost(WAIT).orElseThrow().state().status());
  }
}
