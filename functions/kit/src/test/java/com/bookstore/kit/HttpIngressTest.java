package com.bookstore.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bookstore.events.EventJson;
import com.bookstore.events.EventTypes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP ingress with the real pipeline, ledger (Redis) and publisher (Kafka) around a test
 * function, on a real HTTP server: what a Knative Broker sees.
 */
class HttpIngressTest {
  private static final String FUNCTION = "reserve-stock";
  private static final String TYPE = EventTypes.STOCK_RELEASE;
  private static final String SOURCE = "/tests/ingress";

  private final TestServers servers = new TestServers();
  private final AtomicInteger runs = new AtomicInteger();
  private final List<LogRecord> logged = Collections.synchronizedList(new ArrayList<>());
  private final java.util.logging.Logger ingressLog =
      java.util.logging.Logger.getLogger(HttpIngress.class.getName());
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          logged.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
  private EventPublisher publisher;
  private IdempotencyLedger ledger;
  private HttpServer server;

  /** Each event is answered by {@code answers} events whose ids derive from the incoming id. */
  private int start(int answers, String kafka, Duration concurrentWait) {
    KitConfig config = TestServers.config(FUNCTION, Duration.ofSeconds(30), concurrentWait);
    ledger = servers.ledger(config);
    publisher =
        new EventPublisher(config, TestServers.kafkaConfig(kafka), TestServers.tracing(config));
    CloudEventFunction function =
        inbound -> {
          runs.incrementAndGet();
          List<CloudEvent> out = new ArrayList<>();
          for (int i = 0; i < answers; i++) {
            out.add(
                new CloudEvent(
                    "answer-" + i + "-" + inbound.event().id(),
                    "/tests/ingress",
                    EventTypes.STOCK_RELEASED,
                    null,
                    null,
                    "application/json",
                    null,
                    Map.of(CloudEvent.PARTITION_KEY, "order-test"),
                    "{\"orderId\":\"order-test\"}".getBytes(StandardCharsets.UTF_8)));
          }
          return Uni.createFrom().item(new Answer(out));
        };
    EventPipeline pipeline =
        new EventPipeline(config, ledger, function, TestServers.metrics(config));
    HttpIngress ingress = new HttpIngress(pipeline, config, publisher, TestServers.tracing(config));
    Router router = Router.router(servers.core);
    ingress.routes(router);
    server =
        servers
            .core
            .createHttpServer()
            .requestHandler(router)
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .join();
    ingressLog.setLevel(Level.ALL);
    ingressLog.addHandler(capture);
    return server.actualPort();
  }

  @AfterEach
  void stop() {
    ingressLog.removeHandler(capture);
    if (server != null) {
      server.close().toCompletionStage().toCompletableFuture().join();
    }
    if (publisher != null) {
      publisher.close();
    }
    servers.close();
  }

  /** A stock.release event, binary mode unless {@code structured}. */
  private record Release(String id, String data, boolean structured) {
    Release structuredMode() {
      return new Release(id, data, true);
    }
  }

  private static Release release(String id, String data) {
    return new Release(id, data, false);
  }

  /** Posts with the JDK's client: the status, the headers and the body as text. */
  private static HttpResponse<String> post(int port, Release event) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
            .timeout(Duration.ofSeconds(30));
    String body;
    if (event.structured()) {
      ObjectNode envelope = EventJson.mapper().createObjectNode();
      envelope.put("specversion", "1.0");
      envelope.put("id", event.id());
      envelope.put("source", SOURCE);
      envelope.put("type", TYPE);
      envelope.put("datacontenttype", "application/json");
      envelope.set("data", EventJson.mapper().readTree(event.data()));
      body = envelope.toString();
      request.header("Content-Type", "application/cloudevents+json");
    } else {
      body = event.data();
      request
          .header("Content-Type", "application/json")
          .header("ce-specversion", "1.0")
          .header("ce-id", event.id())
          .header("ce-source", SOURCE)
          .header("ce-type", TYPE);
    }
    return HttpClient.newHttpClient()
        .send(
            request.POST(HttpRequest.BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private static String key(String id) {
    return IdempotencyLedger.key(
        FUNCTION, new CloudEvent(id, SOURCE, TYPE, null, null, null, null, Map.of(), null));
  }

  @Test
  void theSameEventInBinaryAndStructuredModeIsADuplicate() throws Exception {
    int port = start(1, TestServers.KAFKA, Duration.ofSeconds(5));
    String id = UUID.randomUUID().toString();
    HttpResponse<String> binary =
        post(port, release(id, "{\"orderId\":\"o-1\",\"reason\":\"PAYMENT_DECLINED\"}"));
    HttpResponse<String> structured =
        post(
            port,
            release(id, "{ \"reason\" : \"PAYMENT_DECLINED\",\n  \"orderId\" : \"o-1\" }")
                .structuredMode());

    assertEquals(200, binary.statusCode(), binary.body());
    assertEquals(200, structured.statusCode(), structured.body());
    assertEquals("answer-0-" + id, binary.headers().firstValue("ce-id").orElse(null));
    assertEquals(
        binary.headers().firstValue("ce-id").orElse(null),
        structured.headers().firstValue("ce-id").orElse(null));
    assertEquals(1, runs.get(), "the second delivery was answered from the ledger");
  }

  @Test
  void aReusedIdWithOtherDataIsA409Problem() throws Exception {
    int port = start(1, TestServers.KAFKA, Duration.ofSeconds(5));
    String id = UUID.randomUUID().toString();
    assertEquals(
        200,
        post(port, release(id, "{\"orderId\":\"o-1\",\"reason\":\"PAYMENT_DECLINED\"}"))
            .statusCode());

    HttpResponse<String> reused =
        post(port, release(id, "{\"orderId\":\"o-2\",\"reason\":\"PAYMENT_DECLINED\"}"));

    assertEquals(409, reused.statusCode(), reused.body());
    assertEquals(Problem.MEDIA_TYPE, reused.headers().firstValue("Content-Type").orElse(null));
    JsonNode problem = EventJson.mapper().readTree(reused.body());
    assertTrue(problem.path("type").asText().endsWith("/event-id-reused"), problem.toString());
    assertTrue(problem.path("detail").asText().contains(id), problem.toString());
    assertTrue(problem.path("detail").asText().contains("/tests/ingress"), problem.toString());
    assertEquals(1, runs.get());
  }

  @Test
  void aDeliveryInProgressIsA409LoggedWithoutAStackTrace() throws Exception {
    int port = start(1, TestServers.KAFKA, Duration.ofMillis(100));
    String id = UUID.randomUUID().toString();
    Release request = release(id, "{\"orderId\":\"o-1\",\"reason\":\"PAYMENT_DECLINED\"}");
    String key = key(id);
    // Another delivery holds the claim (a value without a digest: it waits, never conflicts).
    servers.setPx(key, "P:" + UUID.randomUUID(), 10_000);

    HttpResponse<String> busy = post(port, request);

    assertEquals(409, busy.statusCode(), busy.body());
    assertTrue(busy.body().contains("event-in-progress"), busy.body());
    List<LogRecord> loud =
        logged.stream()
            .filter(
                r -> r.getLevel().intValue() >= Level.WARNING.intValue() || r.getThrown() != null)
            .toList();
    assertEquals(List.of(), loud.stream().map(LogRecord::getMessage).toList());
    assertEquals(0, runs.get());
  }

  /**
   * A Knative reply carries one event; the rest go to Kafka. If they cannot be published, the
   * Broker must not see a 200 (it would not retry and they would be lost).
   */
  @Test
  void extraAnswersThatCannotBePublishedMeanA503NotA200() throws Exception {
    // Nothing listens on port 1: the producer gives up after its max.block.ms.
    int port = start(2, "127.0.0.1:1", Duration.ofSeconds(5));
    String id = UUID.randomUUID().toString();

    HttpResponse<String> response =
        post(port, release(id, "{\"orderId\":\"o-1\",\"reason\":\"PAYMENT_DECLINED\"}"));

    assertEquals(503, response.statusCode(), response.body());
    JsonNode problem = EventJson.mapper().readTree(response.body());
    assertTrue(
        problem.path("type").asText().endsWith("/temporarily-unavailable"), problem.toString());
    assertNotNull(
        servers.get(
            IdempotencyLedger.key(
                FUNCTION,
                new CloudEvent(
                    id, "/tests/ingress", TYPE, null, null, null, null, Map.of(), null))),
        "the answer stays in the ledger for the Broker's retry");
  }
}
