package com.bookstore.notify;

import com.bookstore.events.EventJson;
import com.bookstore.events.payment.Money;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * POSTs a milestone as JSON to the configured webhook. A 2xx answer means delivered; anything else
 * (or no answer in time) is a failure the caller retries. With a secret, the body is signed so the
 * receiver can tell it comes from us.
 */
@ApplicationScoped
public class WebhookChannel {
  /** {@code sha256=<hex HMAC-SHA256 of the raw body, keyed by notify.webhook.secret>}. */
  public static final String SIGNATURE_HEADER = "Bookstore-Signature";

  /** The notification id: the same on every attempt, so a receiver can drop a repeat. */
  public static final String NOTIFICATION_ID_HEADER = "Bookstore-Notification-Id";

  /**
   * The body: what happened to which order. Only what the milestone has: the order milestones carry
   * the customer and total, the delivery milestones the courier (and the attempt of a reassignment
   * or failure).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Payload(
      String topic,
      String orderId,
      String customerId,
      String reason,
      Money total,
      String courierId,
      String courierName,
      Integer attempt) {

    static Payload of(Milestone m) {
      return new Payload(
          m.topic().wire(),
          m.orderId(),
          m.customerId(),
          m.reason(),
          m.total(),
          m.courierId(),
          m.courierName(),
          m.attempt());
    }
  }

  private final Optional<String> url;
  private final Optional<String> secret;
  private final HttpClient client;

  WebhookChannel(NotifyConfig config, Vertx vertx) {
    this.url = config.webhook().url().map(WebhookChannel::checked);
    this.secret = config.webhook().secret();
    int timeout = (int) config.sendTimeout().toMillis();
    this.client =
        vertx.createHttpClient(
            new HttpClientOptions().setConnectTimeout(timeout).setKeepAlive(true));
  }

  /** A wrong URL should stop the start, not fail every event later. */
  private static String checked(String url) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("notify.webhook.url is not a URI: " + url, e);
    }
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
        || uri.getHost() == null) {
      throw new IllegalArgumentException("notify.webhook.url must be an http(s) URL: " + url);
    }
    return url;
  }

  /** The webhook URL, when one is configured. */
  public Optional<String> url() {
    return url;
  }

  /**
   * The URL as notify reports and stores it ({@code recipient} of {@code notification.sent}):
   * without user info and query, which often carry a token that must not travel on the topic.
   */
  public static String withoutCredentials(String url) {
    URI uri = URI.create(url);
    return uri.getScheme()
        + "://"
        + uri.getHost()
        + (uri.getPort() >= 0 ? ":" + uri.getPort() : "")
        + (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath());
  }

  public static byte[] body(Milestone milestone) {
    try {
      return EventJson.mapper().writeValueAsBytes(Payload.of(milestone));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the webhook body", e);
    }
  }

  public static String signature(String secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
    }
  }

  public Uni<Void> send(String notificationId, Milestone milestone, String target) {
    byte[] body = body(milestone);
    RequestOptions request =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setAbsoluteURI(target)
            .putHeader("Content-Type", "application/json")
            .putHeader(NOTIFICATION_ID_HEADER, notificationId);
    secret.ifPresent(s -> request.putHeader(SIGNATURE_HEADER, signature(s, body)));
    return client
        .request(request)
        .flatMap(r -> r.send(Buffer.buffer(body)))
        // Read the answer to the end, so its connection goes back to the pool.
        .flatMap(response -> response.body().map(b -> response.statusCode()))
        .flatMap(
            status ->
                status >= 200 && status < 300
                    ? Uni.createFrom().voidItem()
                    : Uni.createFrom()
                        .failure(new IllegalStateException("the webhook answered " + status)));
  }

  @PreDestroy
  void close() {
    client.closeAndForget();
  }
}
