package com.bookstore.e2e;

import com.bookstore.events.EventJson;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * JSON over HTTP for the end-to-end runs: the functions' plain JSON endpoints (Funqy, admin,
 * orders) and binary-mode CloudEvents. One HTTP/1.1 client (keep-alive, a connection per request in
 * flight); the async calls are what the workload uses to keep a steady rate.
 */
public final class Http {

  /** An answer: status, the raw body, and the body as JSON ({@code MissingNode} if it is not). */
  public record Response(int status, String body, JsonNode json, Map<String, String> headers) {

    public boolean ok() {
      return status >= 200 && status < 300;
    }

    /** The answer, or an exception that names the request's status and body. */
    public Response expect(int wanted, String what) {
      if (status != wanted) {
        throw new IllegalStateException(
            what + ": expected HTTP " + wanted + ", got " + status + " " + abbreviate(body));
      }
      return this;
    }

    public String text(String field) {
      JsonNode n = json.path(field);
      return n.isMissingNode() || n.isNull() ? null : n.asText();
    }
  }

  private final HttpClient client;
  private final Duration timeout;

  public Http(Duration timeout) {
    this.timeout = timeout;
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  public Http() {
    this(Duration.ofSeconds(30));
  }

  public Response get(URI uri, String... headers) {
    return send(builder(uri, headers).GET().build());
  }

  public Response postJson(URI uri, Object body, String... headers) {
    return send(jsonPost(uri, body, headers));
  }

  public Response putJson(URI uri, Object body, String... headers) {
    return send(
        builder(uri, headers)
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofByteArray(json(body)))
            .build());
  }

  public CompletableFuture<Response> postJsonAsync(URI uri, Object body, String... headers) {
    return sendAsync(jsonPost(uri, body, headers));
  }

  /**
   * A binary-mode CloudEvent: {@code ce-*} headers from {@code attributes} (e.g. {@code id}, {@code
   * type}, {@code source}, {@code partitionkey}; {@code specversion} is added), JSON data.
   */
  public Response postCloudEvent(URI uri, Map<String, String> attributes, Object data) {
    HttpRequest.Builder b =
        builder(uri)
            .header("ce-specversion", "1.0")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(json(data)));
    attributes.forEach((k, v) -> b.header("ce-" + k, v));
    return send(b.build());
  }

  private HttpRequest jsonPost(URI uri, Object body, String... headers) {
    return builder(uri, headers)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(json(body)))
        .build();
  }

  private HttpRequest.Builder builder(URI uri, String... headers) {
    if (headers.length % 2 != 0) {
      throw new IllegalArgumentException("headers come in name, value pairs");
    }
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout);
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return b;
  }

  private Response send(HttpRequest request) {
    try {
      return sendAsync(request).join();
    } catch (CompletionException e) {
      throw new IllegalStateException(
          request.method() + " " + request.uri() + " failed: " + e.getCause(), e.getCause());
    }
  }

  private CompletableFuture<Response> sendAsync(HttpRequest request) {
    return client
        .sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .thenApply(
            r ->
                new Response(
                    r.statusCode(),
                    r.body(),
                    parse(r.body()),
                    Map.copyOf(
                        r.headers().map().entrySet().stream()
                            .collect(
                                java.util.stream.Collectors.toMap(
                                    Map.Entry::getKey, e -> String.join(",", e.getValue()))))));
  }

  static byte[] json(Object body) {
    if (body instanceof byte[] bytes) {
      return bytes;
    }
    try {
      return body instanceof String s
          ? s.getBytes(java.nio.charset.StandardCharsets.UTF_8)
          : EventJson.mapper().writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write JSON: " + e.getMessage(), e);
    }
  }

  static JsonNode parse(String body) {
    if (body == null || body.isBlank()) {
      return MissingNode.getInstance();
    }
    try {
      return EventJson.mapper().readTree(body);
    } catch (IOException e) {
      return MissingNode.getInstance();
    }
  }

  static String abbreviate(String s) {
    if (s == null) {
      return "";
    }
    return s.length() > 400 ? s.substring(0, 400) + "..." : s;
  }
}
