package com.bookstore.notify;

import static com.bookstore.kit.testing.KafkaTestClient.header;
import static com.bookstore.kit.testing.KafkaTestClient.value;
import static com.bookstore.notify.Facts.cancelled;
import static com.bookstore.notify.Facts.confirmed;
import static com.bookstore.notify.Facts.event;
import static com.bookstore.notify.Facts.kafkaHeaders;
import static com.bookstore.notify.Facts.newEmail;
import static com.bookstore.notify.Facts.newOrder;
import static com.bookstore.notify.Facts.row;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bookstore.events.EventJson;
import com.bookstore.events.EventTypes;
import com.bookstore.events.Topics;
import com.bookstore.events.order.OrderCancelled;
import com.bookstore.events.order.OrderConfirmed;
import com.bookstore.kit.testing.KafkaTestClient;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** With {@code notify.webhook.url} set: an e-mail and a signed webhook call per fact, once each. */
@QuarkusTest
@QuarkusTestResource(MailServer.class)
@TestProfile(NotifyWebhookTest.WithWebhook.class)
class NotifyWebhookTest {

  public static class WithWebhook implements QuarkusTestProfile {
    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(new TestResourceEntry(WebhookReceiver.class));
    }

    /** A retry budget short enough for a test to see it spent. */
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "bookstore.kafka.retry-budget", "PT3S", "bookstore.kafka.max-backoff", "PT0.5S");
    }
  }

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @Test
  void webhookIsDeliveredOnceWithAValidSignatureEvenWhenTheFactComesAgain() throws Exception {
    String order = newOrder();
    String email = newEmail();
    OrderCancelled fact = cancelled(order, email, "out-of-stock");
    try (KafkaTestClient kafka = new KafkaTestClient(bootstrap);
        KafkaTestClient.Tail events = kafka.tailEvents()) {
      // the reply carries the first notification.sent; the webhook's goes onto the topic
      event(fact)
          .post()
          .then()
          .statusCode(200)
          .header("ce-type", EventTypes.NOTIFICATION_SENT)
          .body("channel", equalTo("email"));
      List<ConsumerRecord<String, byte[]>> webhookSent =
          events.await(r -> sentFor(r, order, "webhook"), 1, Duration.ofSeconds(60));
      assertEquals(1, webhookSent.size(), "webhook notification.sent on the topic");
      JsonNode sent = EventJson.mapper().readTree(value(webhookSent.get(0)));
      assertEquals(WebhookReceiver.reportedUrl(), sent.get("recipient").asText());
      assertFalse(value(webhookSent.get(0)).contains("token"), "the URL's token was published");

      event(fact).post().then().statusCode(200);
      event(fact).post().then().statusCode(200);
    }

    List<WebhookReceiver.Request> calls = WebhookReceiver.requestsFor(order);
    assertEquals(1, calls.size(), "webhook calls for " + order);
    WebhookReceiver.Request call = calls.get(0);
    assertEquals(
        hmacSha256(WebhookReceiver.SECRET, call.body()), call.header("Bookstore-Signature"));
    assertEquals(
        Notification.idFor(order, Milestone.Topic.ORDER_CANCELLED, Channel.WEBHOOK),
        call.header("Bookstore-Notification-Id"));
    assertTrue(call.header("Content-Type").startsWith("application/json"));
    JsonNode body = EventJson.mapper().readTree(call.body());
    assertEquals("order-cancelled", body.get("topic").asText());
    assertEquals(order, body.get("orderId").asText());
    assertEquals("customer-" + order, body.get("customerId").asText());
    assertEquals("out-of-stock", body.get("reason").asText());
    assertEquals(4250, body.get("total").get("cents").asLong());
    assertEquals("EUR", body.get("total").get("currency").asText());

    assertEquals(1, MailServer.messagesTo(email).size());
    assertEquals("SENT", row(order, "webhook").get("status"));
    assertEquals("SENT", row(order, "email").get("status"));
  }

  @Test
  void aConfirmationsWebhookBodyHasNoReason() throws Exception {
    String order = newOrder();
    OrderConfirmed fact = confirmed(order, newEmail());
    event(fact).post().then().statusCode(200);
    List<WebhookReceiver.Request> calls = WebhookReceiver.requestsFor(order);
    assertEquals(1, calls.size());
    JsonNode body = EventJson.mapper().readTree(calls.get(0).body());
    assertEquals("order-confirmed", body.get("topic").asText());
    assertFalse(body.has("reason"), body.toString());
  }

  @Test
  void webhookAnswering500OnTheTopicIsRetriedUntilDeliveredAndTheEmailGoesOutOnce()
      throws Exception {
    String order = newOrder();
    String email = newEmail();
    OrderConfirmed fact = confirmed(order, email);
    WebhookReceiver.failNext(order, 2);
    try (KafkaTestClient kafka = new KafkaTestClient(bootstrap);
        KafkaTestClient.Tail events = kafka.tailEvents()) {
      kafka.sendEvent(
          order,
          kafkaHeaders(EventTypes.ORDER_CONFIRMED, UUID.randomUUID().toString(), order),
          EventJson.mapper().writeValueAsString(fact));
      assertEquals(
          1, events.await(r -> sentFor(r, order, "webhook"), 1, Duration.ofSeconds(60)).size());
      assertEquals(
          1, events.await(r -> sentFor(r, order, "email"), 1, Duration.ofSeconds(5)).size());
    }
    assertEquals(3, WebhookReceiver.requestsFor(order).size(), "two 500s, then delivered");
    Map<String, Object> webhookRow = row(order, "webhook");
    assertEquals("SENT", webhookRow.get("status"));
    assertEquals(3, webhookRow.get("attempts"));
    assertEquals(1, MailServer.messagesTo(email).size(), "the e-mail went out once");
    assertEquals(1, row(order, "email").get("attempts"));
  }

  @Test
  void webhookAnswering500OverHttpIsARetryableFailureAndTheRetryDoesNotResendTheEmail() {
    String order = newOrder();
    String email = newEmail();
    OrderConfirmed fact = confirmed(order, email);
    WebhookReceiver.failNext(order, 1);
    event(fact)
        .post()
        .then()
        .statusCode(503)
        .body("detail", containsString("webhook to " + WebhookReceiver.reportedUrl()))
        .body("detail", containsString("answered 500"));
    assertEquals("SENT", row(order, "email").get("status"));
    Map<String, Object> failed = row(order, "webhook");
    assertEquals("FAILED", failed.get("status"));
    assertTrue(String.valueOf(failed.get("lastError")).contains("answered 500"), failed.toString());

    event(fact).post().then().statusCode(200).body("channel", equalTo("email"));
    assertEquals(2, WebhookReceiver.requestsFor(order).size());
    assertEquals("SENT", row(order, "webhook").get("status"));
    assertEquals(1, MailServer.messagesTo(email).size());
  }

  @Test
  void webhookFailingLongerThanTheRetryBudgetDeadLettersTheFactAndAReplayDeliversItOnce()
      throws Exception {
    String order = newOrder();
    String email = newEmail();
    OrderCancelled fact = cancelled(order, email, "payment-declined");
    String json = EventJson.mapper().writeValueAsString(fact);
    Map<String, String> headers =
        kafkaHeaders(EventTypes.ORDER_CANCELLED, UUID.randomUUID().toString(), order);
    WebhookReceiver.failNext(order, Integer.MAX_VALUE);
    try (KafkaTestClient kafka = new KafkaTestClient(bootstrap);
        KafkaTestClient.Tail events = kafka.tailEvents();
        KafkaTestClient.Tail deadLetters = kafka.tail(Topics.DEAD_LETTER)) {
      kafka.sendEvent(order, headers, json);
      List<ConsumerRecord<String, byte[]>> dead =
          deadLetters.await(
              r -> order.equals(r.key()) && "notify".equals(header(r, "dead-letter-function")),
              1,
              Duration.ofSeconds(60));
      assertEquals(1, dead.size(), "no dead letter for " + order);
      assertEquals("retries-spent", header(dead.get(0), "dead-letter-cause"));
      String reason = header(dead.get(0), "dead-letter-reason");
      assertTrue(reason.contains("retry budget of PT3S spent"), reason);
      assertTrue(reason.contains("webhook to " + WebhookReceiver.reportedUrl()), reason);
      assertTrue(reason.contains("answered 500"), reason);
      Map<String, Object> webhookRow = row(order, "webhook");
      assertEquals("FAILED", webhookRow.get("status"));
      int attempts = ((Number) webhookRow.get("attempts")).intValue();
      assertTrue(attempts >= 3, "retried within the budget: " + webhookRow);
      assertEquals(attempts, WebhookReceiver.requestsFor(order).size(), "one request an attempt");
      assertTrue(String.valueOf(webhookRow.get("lastError")).contains("answered 500"));
      // the e-mail went out on the first attempt and was not sent again by the retries
      assertEquals("SENT", row(order, "email").get("status"));
      assertEquals(1, row(order, "email").get("attempts"));
      assertEquals(1, MailServer.messagesTo(email).size());

      // the webhook is back; an operator replays the dead letter: the webhook is delivered, the
      // e-mail is not resent, and both notification.sent are emitted
      WebhookReceiver.failNext(order, 0);
      kafka.sendEvent(order, headers, json);
      assertEquals(
          1, events.await(r -> sentFor(r, order, "webhook"), 1, Duration.ofSeconds(60)).size());
      assertEquals(
          1, events.await(r -> sentFor(r, order, "email"), 1, Duration.ofSeconds(5)).size());
      assertEquals(attempts + 1, WebhookReceiver.requestsFor(order).size(), "then delivered");
    }
    assertEquals("SENT", row(order, "webhook").get("status"));
    assertEquals(1, MailServer.messagesTo(email).size(), "e-mails to " + email);
  }

  private static boolean sentFor(ConsumerRecord<String, byte[]> r, String order, String channel) {
    return EventTypes.NOTIFICATION_SENT.equals(header(r, "ce_type"))
        && value(r).contains(order)
        && value(r).contains("\"channel\":\"" + channel + "\"");
  }

  private static String hmacSha256(String key, byte[] body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
  }
}
