package com.bookstore.saga.step;

import com.bookstore.events.EventJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * What the functions that own an order's other records say about it, for the console's order view:
 * its payment (payment's {@code POST /payment-status}), its hold on stock (reserve-stock's {@code
 * POST /reservation}) and its notifications (notify's {@code POST /notifications}). Each owner is
 * asked over HTTP, as any client would (API composition; saga-step never reads another function's
 * tables). An owner that does not answer in time, or answers an error, gives a part with the error
 * and no data: the rest of the view still shows.
 */
@ApplicationScoped
public class OrderParts {

  /** Where the owners are. On Knative each is its Service's cluster-local name. */
  @ConfigMapping(prefix = "bookstore.console")
  public interface Config {
    /** payment's base URL. */
    @WithDefault("http://127.0.0.1:8083")
    URI paymentUrl();

    /** reserve-stock's base URL. */
    @WithDefault("http://127.0.0.1:8082")
    URI reserveStockUrl();

    /** notify's base URL. */
    @WithDefault("http://127.0.0.1:8088")
    URI notifyUrl();

    /**
     * How long an owner may take to answer, connecting included (a Knative Service scaled to zero
     * starts first).
     */
    @WithDefault("10s")
    Duration timeout();
  }

  /**
   * One owner's answer: {@code source} is the URL asked, {@code data} its JSON, or {@code error}
   * what went wrong (never both).
   */
  @RegisterForReflection
  public record Part(String source, JsonNode data, String error) {}

  /** An order's parts, one per owner. */
  @RegisterForReflection
  public record Parts(Part payment, Part reservation, Part notifications) {}

  private final Config config;
  private final HttpClient client;

  OrderParts(Vertx vertx, Config config) {
    this.config = config;
    this.client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setConnectTimeout((int) config.timeout().toMillis())
                .setMaxPoolSize(8));
  }

  @PreDestroy
  void close() {
    client.close();
  }

  /** The three parts of one order, asked at once. */
  public Uni<Parts> of(String orderId) {
    return Uni.combine()
        .all()
        .unis(
            ask(config.paymentUrl(), "/payment-status", orderId),
            ask(config.reserveStockUrl(), "/reservation", orderId),
            ask(config.notifyUrl(), "/notifications", orderId).map(OrderParts::withoutSecrets))
        .with(Parts::new);
  }

  private Uni<Part> ask(URI base, String path, String orderId) {
    String url = base.toString().replaceAll("/+$", "") + path;
    String body = EventJson.mapper().createObjectNode().put("orderId", orderId).toString();
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setAbsoluteURI(url)
            .setIdleTimeout(config.timeout().toMillis())
            .putHeader("Content-Type", "application/json")
            .putHeader("Accept", "application/json");
    return Uni.createFrom()
        .completionStage(
            () ->
                client
                    .request(options)
                    .compose(request -> request.send(body))
                    .compose(
                        response ->
                            response
                                .body()
                                .map(
                                    b ->
                                        Map.entry(
                                            response.statusCode(),
                                            b.toString(StandardCharsets.UTF_8))))
                    .toCompletionStage())
        .ifNoItem()
        .after(config.timeout())
        .failWith(() -> new IllegalStateException("no answer within " + config.timeout()))
        .map(answer -> part(url, answer.getKey(), answer.getValue()))
        .onFailure()
        .recoverWithItem(f -> new Part(url, null, "not reachable: " + describe(f)));
  }

  private static Part part(String url, int status, String body) {
    if (status != 200) {
      return new Part(url, null, "answered " + status + ": " + abbreviate(body));
    }
    try {
      return new Part(url, EventJson.mapper().readTree(body), null);
    } catch (java.io.IOException e) {
      return new Part(url, null, "answered 200 with a body that is not JSON: " + abbreviate(body));
    }
  }

  /**
   * A webhook's URL may carry its credentials (a token in the path or query, a user in the
   * authority): the console shows only its scheme, host and port. E-mail addresses stay; the
   * order's own view shows the customer's address already.
   */
  static Part withoutSecrets(Part part) {
    if (part.data() == null || !part.data().isArray()) {
      return part;
    }
    for (JsonNode n : part.data()) {
      if (n instanceof ObjectNode o
          && "webhook".equals(o.path("channel").asText())
          && o.hasNonNull("recipient")) {
        o.put("recipient", origin(o.get("recipient").asText()));
      }
    }
    return part;
  }

  static String origin(String url) {
    try {
      URI u = URI.create(url);
      if (u.getScheme() == null || u.getHost() == null) {
        return "(a webhook URL)";
      }
      return u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort());
    } catch (IllegalArgumentException e) {
      return "(a webhook URL)";
    }
  }

  private static String describe(Throwable f) {
    String m = f.getMessage();
    return m == null || m.isBlank() ? f.getClass().getSimpleName() : m;
  }

  private static String abbreviate(String s) {
    String flat = s.replaceAll("\\s+", " ").strip();
    return flat.length() <= 300 ? flat : flat.substring(0, 300) + "...";
  }
}
