package com.bookstore.notify;

import static com.bookstore.notify.DeliveryFacts.event;
import static com.bookstore.notify.DeliveryFacts.failed;
import static com.bookstore.notify.DeliveryFacts.reassigned;
import static com.bookstore.notify.Facts.newEmail;
import static com.bookstore.notify.Facts.newOrder;
import static com.bookstore.notify.Facts.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.bookstore.events.EventJson;
import com.bookstore.events.delivery.DeliveryFailed;
import com.bookstore.events.delivery.DeliveryReassigned;
import com.bookstore.kit.testing.CloudEventRequest;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import org.junit.jupiter.api.Test;

/** With {@code notify.webhook.url} set: the delivery milestones reach the webhook once each too. */
@QuarkusTest
@QuarkusTestResource(MailServer.class)
@TestProfile(NotifyWebhookTest.WithWebhook.class)
class NotifyDeliveryWebhookTest {

  @Test
  void aFailedDeliveryIsOneWebhookCallWithTheReasonAndOneEmailEvenWhenItComesAgain()
      throws Exception {
    String order = newOrder();
    String email = newEmail();
    DeliveryFailed fact = failed(order, email, "courier: address not found");
    CloudEventRequest first = event(order, fact);
    first.post().then().statusCode(200);
    event(order, fact).id(first.id()).post().then().statusCode(200);
    event(order, fact).post().then().statusCode(200);

    List<WebhookReceiver.Request> calls = WebhookReceiver.requestsFor(order);
    assertEquals(1, calls.size(), "webhook calls for " + order);
    WebhookReceiver.Request call = calls.get(0);
    assertEquals(
        Notification.idFor(order, Milestone.Topic.DELIVERY_FAILED, Channel.WEBHOOK),
        call.header("Bookstore-Notification-Id"));
    assertEquals(
        WebhookChannel.signature(WebhookReceiver.SECRET, call.body()),
        call.header("Bookstore-Signature"));
    JsonNode body = EventJson.mapper().readTree(call.body());
    assertEquals("delivery-failed", body.get("topic").asText());
    assertEquals(order, body.get("orderId").asText());
    assertEquals("courier: address not found", body.get("reason").asText());
    assertEquals("courier-75-2", body.get("courierId").asText());
    assertEquals(2, body.get("attempt").asInt());
    assertFalse(body.has("total"), body.toString());
    assertFalse(body.has("customerId"), body.toString());

    assertEquals(1, MailServer.messagesTo(email).size(), "e-mails to " + email);
    assertEquals("SENT", row(order, "webhook").get("status"));
    assertEquals("SENT", row(order, "email").get("status"));
  }

  @Test
  void aReassignmentsWebhookNamesTheNewCourier() throws Exception {
    String order = newOrder();
    DeliveryReassigned fact = reassigned(order, newEmail(), "Louis", 2);
    event(order, fact).post().then().statusCode(200);
    event(order, fact).post().then().statusCode(200);
    List<WebhookReceiver.Request> calls = WebhookReceiver.requestsFor(order);
    assertEquals(1, calls.size(), "webhook calls for " + order);
    JsonNode body = EventJson.mapper().readTree(calls.get(0).body());
    assertEquals("delivery-reassigned", body.get("topic").asText());
    assertEquals("Louis", body.get("courierName").asText());
    assertEquals("courier-75-2", body.get("courierId").asText());
    assertEquals("not picked up in time", body.get("reason").asText());
  }
}
