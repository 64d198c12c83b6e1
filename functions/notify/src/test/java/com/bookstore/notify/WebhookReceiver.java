package com.bookstore.notify;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server (Vert.x) in the test JVM that receives the webhook: it records every request
 * and can be told to answer the next ones with 500.
 */
public class WebhookReceiver implements QuarkusTestResourceLifecycleManager {
  /**
   * Test-only key for this in-JVM receiver; real ones come from BOOKSTORE_NOTIFY_WEBHOOK_SECRET.
   */
  public static final String SECRET = "test-only-webhook-key";

  public static final String PATH = "/hooks/orders";

  /** A token in the query, as many webhook URLs carry one: notify must not publish it. */
  public static final String QUERY = "?token=test-only-token";

  public record Request(Map<String, String> headers, byte[] body) {
    public String header(String name) {
      return headers.get(name.toLowerCase());
    }

    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private static final ConcurrentLinkedQueue<Request> RECEIVED = new ConcurrentLinkedQueue<>();

  /** Per order id: how many more requests about it get 500 (other tests' orders are not hit). */
  private static final Map<String, AtomicInteger> FAILURES_TO_GIVE = new ConcurrentHashMap<>();

  private static Vertx vertx;
  private static int port;

  @Override
  public Map<String, String> start() {
    vertx = Vertx.vertx();
    HttpServer server =
        vertx
            .createHttpServer()
            .requestHandler(
                request ->
                    request.body(
                        body -> {
                          Map<String, String> headers = new java.util.HashMap<>();
                          request
                              .headers()
                              .forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
                          Request received = new Request(headers, body.result().getBytes());
                          RECEIVED.add(received);
                          boolean fail =
                              FAILURES_TO_GIVE.entrySet().stream()
                                  .filter(e -> received.text().contains("\"" + e.getKey() + "\""))
                                  .anyMatch(e -> e.getValue().getAndDecrement() > 0);
                          int status = fail ? 500 : 204;
                          request.response().setStatusCode(status).end();
                        }));
    try {
      port =
          server
              .listen(0, "127.0.0.1")
              .toCompletionStage()
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS)
              .actualPort();
    } catch (Exception e) {
      throw new IllegalStateException("webhook receiver did not start", e);
    }
    return Map.of(
        "notify.webhook.url",
        "http://127.0.0.1:" + port + PATH + QUERY,
        "notify.webhook.secret",
        SECRET);
  }

  @Override
  public void stop() {
    if (vertx != null) {
      vertx.close();
    }
  }

  /** The URL as notify should report it: no query. */
  public static String reportedUrl() {
    return "http://127.0.0.1:" + port + PATH;
  }

  /** The next {@code n} requests about this order get 500. */
  public static void failNext(String orderId, int n) {
    FAILURES_TO_GIVE.put(orderId, new AtomicInteger(n));
  }

  /** Every request whose body names this order. */
  public static List<Request> requestsFor(String orderId) {
    return RECEIVED.stream().filter(r -> r.text().contains("\"" + orderId + "\"")).toList();
  }
}
