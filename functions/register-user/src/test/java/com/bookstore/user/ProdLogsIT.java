package com.bookstore.user;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bookstore.events.EventJson;
import com.bookstore.events.EventTypes;
import com.bookstore.events.user.RegisterUser;
import com.bookstore.kit.testing.CloudEventRequest;
import com.bookstore.kit.testing.KafkaTestClient;
import com.bookstore.kit.testing.PrivateKafka;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged app in the prod profile (as on a cluster: JSON logs), its log written by the file
 * handler that Quarkus' launcher turns on ({@code target/quarkus.log}; the kit puts the same filter
 * and formatter on the console and the file handler). One run of real flows with secrets of its own
 * (a registration with a known e-mail and password over HTTP, a login and its session token, an
 * event id reused with the e-mail as subject, which the ingress logs as a warning, and a bad
 * registration over Kafka, which is dead-lettered with a warning), then the log is read: every line
 * is JSON, the lines about an event carry its id, type, trace id and span id, and no line holds the
 * e-mail, the password or the token. Kafka is a broker of the test's own, so this consumer group
 * never reads the shared stack's topics.
 */
@QuarkusIntegrationTest
@TestProfile(ProdLogsIT.Prod.class)
class ProdLogsIT {
  static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String SPAN_ID = "00f067aa0ba902b7";
  static final String TRACEPARENT = "00-" + TRACE_ID + "-" + SPAN_ID + "-01";
  static final String EMAIL = "log-" + UUID.randomUUID() + "@example.com";
  static final String PASSWORD = "Log-Secret-" + UUID.randomUUID();
  static final String REUSED_ID = "reused-" + UUID.randomUUID();
  static final String KAFKA_ID = "kafka-" + UUID.randomUUID();
  static String token;

  public static class Prod implements QuarkusTestProfile {
    // Asked for more than once (the launch, RestAssured): one port for both.
    private static final int HTTP_PORT = freePort();

    @Override
    public Map<String, String> getConfigOverrides() {
      String host = System.getenv().getOrDefault("BOOKSTORE_PG_HOST", "127.0.0.1");
      String port = System.getenv().getOrDefault("BOOKSTORE_PG_PORT", "15432");
      String db = System.getenv().getOrDefault("BOOKSTORE_PG_DB", "bookstore") + "_test";
      Map<String, String> m = new LinkedHashMap<>();
      m.put("quarkus.http.test-port", String.valueOf(HTTP_PORT));
      m.put("bookstore.environment", "logs-it");
      m.put(
          "quarkus.redis.hosts",
          System.getenv().getOrDefault("BOOKSTORE_REDIS_URL", "redis://127.0.0.1:16379") + "/1");
      m.put("quarkus.datasource.reactive.url", "postgresql://" + host + ":" + port + "/" + db);
      m.put("quarkus.datasource.jdbc.url", "jdbc:postgresql://" + host + ":" + port + "/" + db);
      // The prod profile leaves migrations to their own step; the test database gets them here.
      m.put("quarkus.flyway.migrate-at-start", "true");
      // Our own debug lines too: an operator may turn them on, and they must not leak either.
      m.put("quarkus.log.category.\"com.bookstore\".level", "DEBUG");
      return m;
    }

    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(new TestResourceEntry(OwnKafka.class));
    }
  }

  public static class OwnKafka implements QuarkusTestResourceLifecycleManager {
    static PrivateKafka kafka;

    @Override
    public Map<String, String> start() {
      kafka =
          new PrivateKafka(
              Path.of("../.."), Path.of("target/private-kafka-logs"), freePort(), freePort());
      kafka.start();
      kafka.createTopicsOf("register-user");
      return Map.of("kafka.bootstrap.servers", kafka.bootstrap());
    }

    @Override
    public void stop() {
      kafka.close();
    }
  }

  /** Once for the class, but per test: Quarkus points RestAssured at the app only before each. */
  @BeforeEach
  void runTheFlowsOnce() {
    if (token == null) {
      runTheFlows();
    }
  }

  private static void runTheFlows() {
    CloudEventRequest.event(EventTypes.USER_REGISTER)
        .attribute("traceparent", TRACEPARENT)
        .data(new RegisterUser(EMAIL, PASSWORD, "Logged Reader"))
        .post()
        .then()
        .statusCode(200);
    token =
        given()
            .contentType("application/json")
            .body(Map.of("email", EMAIL, "password", PASSWORD))
            .post("/login")
            .then()
            .statusCode(200)
            .extract()
            .path("token");
    assertTrue(token != null && token.length() > 10, "no token");
    given().contentType("application/json").body(Map.of("token", token)).post("/session");
    given().contentType("application/json").body(Map.of("token", token)).post("/logout");
    // The same source and id with other content: the ingress warns, naming the event (whose
    // subject here is the e-mail).
    CloudEventRequest first =
        CloudEventRequest.event(EventTypes.USER_REGISTER)
            .id(REUSED_ID)
            .attribute("subject", EMAIL)
            .attribute("traceparent", TRACEPARENT)
            .data(new RegisterUser(EMAIL, PASSWORD, "First"));
    first.post().then().statusCode(200);
    CloudEventRequest.event(EventTypes.USER_REGISTER)
        .id(REUSED_ID)
        .attribute("subject", EMAIL)
        .attribute("traceparent", TRACEPARENT)
        .data(new RegisterUser(EMAIL, PASSWORD + "-other", "Second"))
        .post()
        .then()
        .statusCode(409);
    // Over Kafka: a registration without its password, against the schema: dead-lettered.
    try (KafkaTestClient kafka = new KafkaTestClient(OwnKafka.kafka.bootstrap())) {
      Map<String, String> h = new LinkedHashMap<>();
      h.put("ce_specversion", "1.0");
      h.put("ce_id", KAFKA_ID);
      h.put("ce_source", "/tests/logs");
      h.put("ce_type", EventTypes.USER_REGISTER);
      h.put("ce_subject", EMAIL);
      h.put("ce_traceparent", TRACEPARENT);
      h.put("content-type", "application/json");
      kafka.sendEvent(KAFKA_ID, h, "{\"email\":\"" + EMAIL + "\"}");
    }
    await("the Kafka record's dead-letter warning")
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                linesAbout(KAFKA_ID).stream()
                    .anyMatch(l -> "WARN".equals(l.path("level").asText())));
  }

  @Test
  void everyLineIsJsonAndEventLinesCarryTheEventsIdsAndTrace() {
    List<String> raw = rawLines();
    assertFalse(raw.isEmpty(), "no log captured");
    for (String line : raw) {
      assertTrue(parse(line) != null, "not a JSON log line: " + line);
    }
    for (String id : List.of(REUSED_ID, KAFKA_ID)) {
      List<JsonNode> lines = linesAbout(id);
      assertFalse(lines.isEmpty(), "no line about " + id);
      for (JsonNode l : lines) {
        JsonNode mdc = l.path("mdc");
        assertEquals(EventTypes.USER_REGISTER, mdc.path("eventType").asText(), l.toString());
        assertEquals(TRACE_ID, mdc.path("traceId").asText(), l.toString());
        // the line is logged inside the kit's handling span, a child of the event's traceparent:
        // quarkus-opentelemetry puts that span's id in spanId and the event's in parentId
        assertEquals(SPAN_ID, mdc.path("parentId").asText(), l.toString());
        assertTrue(mdc.path("spanId").asText().matches("[0-9a-f]{16}"), l.toString());
        assertNotEquals(SPAN_ID, mdc.path("spanId").asText(), l.toString());
      }
    }
  }

  @Test
  void noLineHoldsTheRunsEmailPasswordOrToken() {
    String log = String.join("\n", rawLines());
    List<String> found = new ArrayList<>();
    for (String secret : List.of(EMAIL, EMAIL.toLowerCase(), PASSWORD, token)) {
      if (log.contains(secret)) {
        found.add(secret);
      }
    }
    assertTrue(found.isEmpty(), "secrets in the log: " + found);
    // and not only because nothing was logged: the warnings about those events are there, masked
    assertTrue(log.contains("***@***"), "no masked address: the warnings did not name the event");
  }

  private static List<JsonNode> linesAbout(String eventId) {
    List<JsonNode> out = new ArrayList<>();
    for (String line : rawLines()) {
      JsonNode n = parse(line);
      if (n != null && eventId.equals(n.path("mdc").path("eventId").asText())) {
        out.add(n);
      }
    }
    return out;
  }

  private static List<String> rawLines() {
    try {
      Path log = Path.of("target/quarkus.log");
      return Files.exists(log)
          ? Files.readAllLines(log, StandardCharsets.UTF_8).stream()
              .filter(l -> !l.isBlank())
              .toList()
          : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode parse(String line) {
    try {
      JsonNode n = EventJson.mapper().readTree(line);
      return n != null && n.isObject() ? n : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
