package com.bookstore.user;

import static com.bookstore.kit.testing.KafkaTestClient.header;
import static com.bookstore.kit.testing.KafkaTestClient.value;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bookstore.events.EventTypes;
import com.bookstore.events.Topics;
import com.bookstore.events.Topology;
import com.bookstore.kit.testing.KafkaTestClient;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.redis.client.RedisAPI;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Kafka-direct mode on the real broker: ce_ headers in, answers and dead letters out. */
@QuarkusTest
class RegisterUserKafkaTest {
  private static final String REGISTER_TOPIC = Topology.topicOf(EventTypes.USER_REGISTER);

  private static final Duration WAIT = Duration.ofSeconds(30);

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @Inject RedisAPI redis;

  KafkaTestClient kafka;
  KafkaTestClient.Tail events;
  KafkaTestClient.Tail deadLetters;

  @BeforeEach
  void open() {
    kafka = new KafkaTestClient(bootstrap);
    events = kafka.tailEvents();
    deadLetters = kafka.tail(Topics.DEAD_LETTER);
  }

  @AfterEach
  void close() {
    events.close();
    deadLetters.close();
    kafka.close();
  }

  static Map<String, String> binaryHeaders(String id, String type) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("ce_specversion", "1.0");
    h.put("ce_id", id);
    h.put("ce_source", "/tests/kafka");
    h.put("ce_type", type);
    h.put("content-type", "application/json");
    return h;
  }

  static String registration(String email) {
    return "{\"email\":\"" + email + "\",\"password\":\"" + RegisterUserHttpTest.PASSWORD + "\"}";
  }

  /** The user.registered answer for this e-mail address. */
  static Predicate<ConsumerRecord<String, byte[]>> registeredFor(String email) {
    return r ->
        value(r) != null
            && value(r).contains(email)
            && EventTypes.USER_REGISTERED.equals(header(r, "ce_type"));
  }

  static boolean isAnswer(String type) {
    return EventTypes.USER_REGISTERED.equals(type)
        || EventTypes.USER_REGISTRATION_REJECTED.equals(type);
  }

  @Test
  void binaryCloudEventOnTheTopicIsAnsweredOnTheTopic() {
    String email = RegisterUserHttpTest.newEmail();
    String key = "signup-" + UUID.randomUUID();
    kafka.sendEvent(
        key,
        binaryHeaders(UUID.randomUUID().toString(), EventTypes.USER_REGISTER),
        registration(email));
    List<ConsumerRecord<String, byte[]>> answers = events.await(registeredFor(email), 1, WAIT);
    assertEquals(1, answers.size(), "no user.registered for " + email);
    ConsumerRecord<String, byte[]> answer = answers.get(0);
    assertEquals(key, answer.key(), "partitionkey is the record key");
    assertEquals(key, header(answer, "ce_partitionkey"));
    assertEquals("/bookstore/functions/register-user", header(answer, "ce_source"));
    assertEquals("application/json", header(answer, "content-type"));
    assertNotNull(header(answer, "ce_id"));
  }

  @Test
  void structuredCloudEventOnTheTopicIsAnswered() {
    String email = RegisterUserHttpTest.newEmail();
    String envelope =
        "{\"specversion\":\"1.0\",\"id\":\""
            + UUID.randomUUID()
            + "\",\"source\":\"/tests/kafka\","
            + "\"type\":\""
            + EventTypes.USER_REGISTER
            + "\",\"datacontenttype\":\"application/json\","
            + "\"data\":"
            + registration(email)
            + "}";
    kafka.sendEvent("k-" + email, Map.of("content-type", "application/cloudevents+json"), envelope);
    assertEquals(1, events.await(registeredFor(email), 1, WAIT).size());
  }

  @Test
  void redeliveredRecordIsAnsweredOnceInEffectWithTheSameAnswer() {
    String email = RegisterUserHttpTest.newEmail();
    Map<String, String> headers =
        binaryHeaders(UUID.randomUUID().toString(), EventTypes.USER_REGISTER);
    kafka.sendEvent(email, headers, registration(email));
    kafka.sendEvent(email, headers, registration(email));
    List<ConsumerRecord<String, byte[]>> answers =
        events.await(
            r -> value(r) != null && value(r).contains(email) && isAnswer(header(r, "ce_type")),
            2,
            WAIT);
    assertEquals(2, answers.size(), "each delivery is answered");
    assertEquals(EventTypes.USER_REGISTERED, header(answers.get(0), "ce_type"));
    assertEquals(EventTypes.USER_REGISTERED, header(answers.get(1), "ce_type"));
    assertEquals(header(answers.get(0), "ce_id"), header(answers.get(1), "ce_id"));
    assertEquals(value(answers.get(0)), value(answers.get(1)));
  }

  @Test
  void recordThatIsNotACloudEventLandsOnTheDeadLetterTopicWithTheReason() {
    String marker = "not-a-cloudevent-" + UUID.randomUUID();
    kafka.send(
        REGISTER_TOPIC,
        marker,
        Map.of("content-type", "application/json"),
        "{\"hello\":\"" + marker + "\"}");
    List<ConsumerRecord<String, byte[]>> dead =
        deadLetters.await(r -> marker.equals(r.key()), 1, WAIT);
    assertEquals(1, dead.size(), "not dead-lettered");
    ConsumerRecord<String, byte[]> letter = dead.get(0);
    assertTrue(
        header(letter, "dead-letter-reason").contains("not a CloudEvent"),
        header(letter, "dead-letter-reason"));
    assertEquals("bad-event", header(letter, "dead-letter-cause"));
    assertEquals(REGISTER_TOPIC, header(letter, "dead-letter-topic"));
    assertNotNull(header(letter, "dead-letter-offset"));
    assertNotNull(header(letter, "dead-letter-partition"));
    assertEquals("register-user", header(letter, "dead-letter-function"));
    assertTrue(value(letter).contains(marker), "the original value is kept");
  }

  @Test
  void schemaViolationLandsOnTheDeadLetterTopicNamingTheField() {
    String id = UUID.randomUUID().toString();
    kafka.sendEvent(
        id, binaryHeaders(id, EventTypes.USER_REGISTER), "{\"password\":\"Correct-Horse-42\"}");
    List<ConsumerRecord<String, byte[]>> dead =
        deadLetters.await(r -> id.equals(header(r, "ce_id")), 1, WAIT);
    assertEquals(1, dead.size(), "not dead-lettered");
    String problem = header(dead.get(0), "dead-letter-problem");
    assertTrue(problem.startsWith("schema-violation"), problem);
    assertTrue(problem.contains("/email"), problem);
  }

  @Test
  void typeOutsideTheCatalogueLandsOnTheDeadLetterTopic() {
    String id = UUID.randomUUID().toString();
    kafka.send(REGISTER_TOPIC, id, binaryHeaders(id, "com.example.unheard-of.v1"), "{}");
    List<ConsumerRecord<String, byte[]>> dead =
        deadLetters.await(r -> id.equals(header(r, "ce_id")), 1, WAIT);
    assertEquals(1, dead.size(), "not dead-lettered");
    assertTrue(header(dead.get(0), "dead-letter-problem").startsWith("unknown-event-type"));
  }

  @Test
  void anotherTypeOnItsTopicIsDeadLetteredNamingTheTopicItBelongsOn() {
    String id = UUID.randomUUID().toString();
    kafka.send(
        REGISTER_TOPIC,
        id,
        binaryHeaders(id, EventTypes.USER_REGISTERED),
        "{\"userId\":\""
            + UUID.randomUUID()
            + "\",\"email\":\"a@b.co\",\"registeredAt\":\"2026-11-22T10:00:00Z\"}");
    List<ConsumerRecord<String, byte[]>> dead =
        deadLetters.await(r -> id.equals(header(r, "ce_id")), 1, WAIT);
    assertEquals(1, dead.size(), "not dead-lettered");
    String reason = header(dead.get(0), "dead-letter-reason");
    assertTrue(
        reason.contains("belongs on " + Topology.topicOf(EventTypes.USER_REGISTERED)), reason);
  }

  /**
   * A redelivered record whose claim is still held (its first holder was SIGKILLed mid-record) is
   * run once the claim expires, never dead-lettered for it: the wait is a technical condition a
   * later attempt cures. The claim outlives the old retry schedule (5 attempts, about 6.5 s).
   */
  @Test
  void aRecordWhoseClaimIsHeldByADeadHolderRunsOnceTheClaimExpires() {
    String email = RegisterUserHttpTest.newEmail();
    String id = UUID.randomUUID().toString();
    String key = "idem:register-user:" + "/tests/kafka".length() + ":/tests/kafka:" + id;
    redis.set(List.of(key, "P:" + UUID.randomUUID(), "PX", "12000")).await().indefinitely();
    long sent = System.nanoTime();
    kafka.send(
        REGISTER_TOPIC, email, binaryHeaders(id, EventTypes.USER_REGISTER), registration(email));
    List<ConsumerRecord<String, byte[]>> answers =
        events.await(
            r -> isAnswer(header(r, "ce_type")) && value(r).contains(email),
            1,
            Duration.ofSeconds(45));
    assertEquals(1, answers.size(), "answered once the dead holder's claim expired");
    assertEquals(EventTypes.USER_REGISTERED, header(answers.get(0), "ce_type"));
    assertTrue(
        System.nanoTime() - sent >= Duration.ofSeconds(10).toNanos(),
        "it waited for the claim instead of running past it");
    assertEquals(
        0, deadLetters.collect(r -> id.equals(header(r, "ce_id")), Duration.ofMillis(500)).size());
  }

  /**
   * An answer Kafka will not take is retried until it is on its topic, never dead-lettered: the
   * ledger already holds the answer, so a dead letter would lose it. The answer topic's
   * max.message.bytes is set below the answer's size, so the broker refuses every produce
   * (MESSAGE_TOO_LARGE) until it is set back.
   */
  @Test
  void anAnswerKafkaRefusesIsRetriedUntilItIsOnTheTopicNeverDeadLettered() throws Exception {
    String answerTopic = Topology.topicOf(EventTypes.USER_REGISTERED);
    String email = RegisterUserHttpTest.newEmail();
    String id = UUID.randomUUID().toString();
    long retriesBefore = retries();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, answerTopic);
      ConfigEntry tiny = new ConfigEntry("max.message.bytes", "64");
      admin
          .incrementalAlterConfigs(
              Map.of(topic, List.of(new AlterConfigOp(tiny, AlterConfigOp.OpType.SET))))
          .all()
          .get(30, TimeUnit.SECONDS);
      try {
        kafka.send(
            REGISTER_TOPIC,
            email,
            binaryHeaders(id, EventTypes.USER_REGISTER),
            registration(email));
        // two failed attempts: the produce failed, and so did its retry
        await().atMost(Duration.ofSeconds(45)).until(() -> retries() >= retriesBefore + 2);
        assertEquals(
            0,
            events
                .collect(
                    r -> isAnswer(header(r, "ce_type")) && value(r).contains(email),
                    Duration.ofMillis(200))
                .size(),
            "nothing reached the topic while Kafka refused");
      } finally {
        admin
            .incrementalAlterConfigs(
                Map.of(topic, List.of(new AlterConfigOp(tiny, AlterConfigOp.OpType.DELETE))))
            .all()
            .get(30, TimeUnit.SECONDS);
      }
    }
    List<ConsumerRecord<String, byte[]>> answers =
        events.await(r -> isAnswer(header(r, "ce_type")) && value(r).contains(email), 1, WAIT);
    assertEquals(1, answers.size(), "answered once Kafka took it again");
    assertEquals(EventTypes.USER_REGISTERED, header(answers.get(0), "ce_type"));
    assertEquals(
        0, deadLetters.collect(r -> id.equals(header(r, "ce_id")), Duration.ofMillis(500)).size());
  }

  @Test
  void qMetricsCountEachEventByTypeAndOutcomeTimeItAndCountDeadLettersByReason() {
    String type = EventTypes.USER_REGISTER;
    Map<String, String> processed =
        Map.of("function", "register-user", "type", type, "outcome", "processed");
    Map<String, String> duplicate =
        Map.of("function", "register-user", "type", type, "outcome", "duplicate");
    Map<String, String> refused =
        Map.of("function", "register-user", "type", type, "outcome", "refused");
    Map<String, String> other =
        Map.of("function", "register-user", "type", "other", "outcome", "refused");
    Map<String, String> schema = Map.of("function", "register-user", "reason", "schema-violation");
    Map<String, String> timed = Map.of("function", "register-user", "type", type);
    double processedBefore = metric("bookstore_events_total", processed);
    double duplicateBefore = metric("bookstore_events_total", duplicate);
    double refusedBefore = metric("bookstore_events_total", refused);
    double otherBefore = metric("bookstore_events_total", other);
    double deadBefore = metric("bookstore_dead_letters_total", schema);
    double timedBefore = metric("bookstore_event_handling_seconds_count", timed);

    String email = RegisterUserHttpTest.newEmail();
    Map<String, String> headers = binaryHeaders(UUID.randomUUID().toString(), type);
    kafka.sendEvent(email, headers, registration(email));
    kafka.sendEvent(email, headers, registration(email)); // the same event again
    String bad = UUID.randomUUID().toString();
    kafka.sendEvent(bad, binaryHeaders(bad, type), "{\"password\":\"Correct-Horse-42\"}");
    // not a CloudEvent at all: refused, under no type of its own
    kafka.send(REGISTER_TOPIC, "junk-" + bad, Map.of("content-type", "application/json"), "{}");

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertEquals(
                  processedBefore + 1, metric("bookstore_events_total", processed), "processed");
              assertEquals(
                  duplicateBefore + 1, metric("bookstore_events_total", duplicate), "duplicate");
              assertEquals(refusedBefore + 1, metric("bookstore_events_total", refused), "refused");
              assertEquals(otherBefore + 1, metric("bookstore_events_total", other), "other");
              assertEquals(
                  deadBefore + 1, metric("bookstore_dead_letters_total", schema), "dead letters");
              assertEquals(
                  timedBefore + 2,
                  metric("bookstore_event_handling_seconds_count", timed),
                  "handling timed");
            });
    // a histogram, so that dashboards can take any percentile over any set of pods
    assertTrue(
        given().get("/q/metrics").asString().contains("bookstore_event_handling_seconds_bucket{"),
        "handling time as a histogram");
  }

  /**
   * The value of the sample of {@code name} on {@code /q/metrics} (Prometheus text format) whose
   * labels include {@code labels}; 0 when there is none yet.
   */
  static double metric(String name, Map<String, String> labels) {
    String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
    for (String line : text.split("\n")) {
      if (!line.startsWith(name + "{")) {
        continue;
      }
      // the labels end at the first brace: an exemplar ("# {trace_id=...} 1.0 <time>") may follow
      int close = line.indexOf('}');
      Map<String, String> found = new java.util.HashMap<>();
      for (String pair : line.substring(name.length() + 1, close).split("\",")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          found.put(
              pair.substring(0, eq).replace(",", "").strip(),
              pair.substring(eq + 2).replace("\"", ""));
        }
      }
      if (found.entrySet().containsAll(labels.entrySet())) {
        return Double.parseDouble(line.substring(close + 1).strip().split(" ")[0]);
      }
    }
    return 0;
  }

  /** The kit's retry count, from its stats endpoint. */
  private static long retries() {
    return given().get("/kit/stats").then().statusCode(200).extract().jsonPath().getLong("retries");
  }
}
