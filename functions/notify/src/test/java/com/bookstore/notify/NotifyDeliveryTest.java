package com.bookstore.notify;

import static com.bookstore.notify.DeliveryFacts.assigned;
import static com.bookstore.notify.DeliveryFacts.delivered;
import static com.bookstore.notify.DeliveryFacts.event;
import static com.bookstore.notify.DeliveryFacts.failed;
import static com.bookstore.notify.DeliveryFacts.pickedUp;
import static com.bookstore.notify.DeliveryFacts.reassigned;
import static com.bookstore.notify.Facts.newEmail;
import static com.bookstore.notify.Facts.newOrder;
import static com.bookstore.notify.Facts.rows;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bookstore.events.EventJson;
import com.bookstore.events.EventTypes;
import com.bookstore.events.delivery.DeliveryFailed;
import com.bookstore.kit.testing.CloudEventRequest;
import com.bookstore.kit.testing.KafkaTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The delivery milestones over HTTP CloudEvents and the Kafka topics, against a real SMTP server in
 * the test JVM and the real PostgreSQL, Redis and Kafka: one e-mail per fact, however often it
 * comes, worded for the customer.
 */
@QuarkusTest
@QuarkusTestResource(MailServer.class)
class NotifyDeliveryTest {

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  /** The same event twice (the ledger answers) and the fact re-emitted under a new id. */
  private static void deliverThreeTimes(String order, Object fact) {
    CloudEventRequest first = event(order, fact);
    first.post().then().statusCode(200);
    event(order, fact).id(first.id()).post().then().statusCode(200);
    event(order, fact).post().then().statusCode(200);
  }

  private static MimeMessage onlyMail(String email) {
    List<MimeMessage> mails = MailServer.messagesTo(email);
    assertEquals(1, mails.size(), "e-mails to " + email);
    return mails.get(0);
  }

  @Test
  void aCourierAssignedSendsOneEmailNamingTheCourierEvenWhenTheFactComesThreeTimes()
      throws Exception {
    String order = newOrder();
    String email = newEmail();
    deliverThreeTimes(order, assigned(order, email, "Camille"));
    MimeMessage mail = onlyMail(email);
    assertEquals(
        "A courier is on the way for your order " + order + ": Camille", mail.getSubject());
    String text = MailServer.text(mail);
    assertTrue(text.contains("a courier is on the way for your order " + order), text);
    assertTrue(text.contains("Camille will collect it"), text);
    assertTrue(MailServer.html(mail).contains("<strong>Camille</strong>"), MailServer.html(mail));
    String id = Notification.idFor(order, Milestone.Topic.DELIVERY_ASSIGNED, Channel.EMAIL);
    assertEquals("<" + id + "@bookstore.example.com>", mail.getMessageID());
    List<Map<String, Object>> rows = rows(order);
    assertEquals(1, rows.size(), "rows " + rows);
    assertEquals("delivery-assigned", rows.get(0).get("topic"));
    assertEquals("SENT", rows.get(0).get("status"));
    assertEquals(1, rows.get(0).get("attempts"));
    assertEquals(id, rows.get(0).get("notificationId"));
  }

  @Test
  void everyDeliveryMilestoneIsOneEmailWordedForTheCustomer() throws Exception {
    String order = newOrder();
    String email = newEmail();
    deliverThreeTimes(order, assigned(order, email, "Camille"));
    deliverThreeTimes(order, reassigned(order, email, "Louis", 2));
    deliverThreeTimes(order, pickedUp(order, email));
    deliverThreeTimes(order, delivered(order, email));
    List<MimeMessage> mails = MailServer.messagesTo(email);
    assertEquals(4, mails.size(), "e-mails to " + email);
    assertEquals(
        List.of(
            "A courier is on the way for your order " + order + ": Camille",
            "A new courier for your order " + order + ": Louis",
            "Your order " + order + " is on its way",
            "Your order " + order + " was delivered"),
        mails.stream().map(NotifyDeliveryTest::subject).toList());
    String reassignedText = MailServer.text(mails.get(1));
    assertTrue(reassignedText.contains("Louis takes over"), reassignedText);
    assertTrue(reassignedText.contains("not picked up in time"), reassignedText);
    assertTrue(MailServer.text(mails.get(3)).contains("was delivered"));
    List<Map<String, Object>> rows = rows(order);
    assertEquals(
        List.of(
            "delivery-assigned", "delivery-reassigned", "delivery-picked-up", "delivery-delivered"),
        rows.stream().map(r -> r.get("topic")).toList());
    assertTrue(rows.stream().allMatch(r -> "SENT".equals(r.get("status"))), rows.toString());
    assertTrue(rows.stream().allMatch(r -> Integer.valueOf(1).equals(r.get("attempts"))));
  }

  @Test
  void eachReassignmentIsItsOwnNotification() {
    String order = newOrder();
    String email = newEmail();
    deliverThreeTimes(order, reassigned(order, email, "Louis", 2));
    deliverThreeTimes(order, reassigned(order, email, "Chloe", 3));
    List<MimeMessage> mails = MailServer.messagesTo(email);
    assertEquals(2, mails.size(), "e-mails to " + email);
    assertEquals("A new courier for your order " + order + ": Louis", subject(mails.get(0)));
    assertEquals("A new courier for your order " + order + ": Chloe", subject(mails.get(1)));
    assertEquals(2, rows(order).size());
    assertFalse(
        Notification.idFor(order, Milestone.Topic.DELIVERY_REASSIGNED, 2, Channel.EMAIL)
            .equals(
                Notification.idFor(order, Milestone.Topic.DELIVERY_REASSIGNED, 3, Channel.EMAIL)));
  }

  @Test
  void aFailedDeliverySendsOneEmailWithTheReason() throws Exception {
    String order = newOrder();
    String email = newEmail();
    deliverThreeTimes(order, failed(order, email, "courier: address not found"));
    MimeMessage mail = onlyMail(email);
    assertEquals("We could not deliver your order " + order, mail.getSubject());
    String text = MailServer.text(mail);
    assertTrue(text.contains("Reason: courier: address not found."), text);
    assertTrue(MailServer.html(mail).contains("courier: address not found"));
    assertEquals("delivery-failed", rows(order).get(0).get("topic"));
  }

  @Test
  void theSameDeliveryFactRedeliveredOnTheTopicSendsOneEmail() throws Exception {
    String order = newOrder();
    String email = newEmail();
    String marker = newOrder();
    String markerEmail = newEmail();
    String json = EventJson.mapper().writeValueAsString(delivered(order, email));
    String id = UUID.randomUUID().toString();
    try (KafkaTestClient kafka = new KafkaTestClient(bootstrap)) {
      // twice the same record (a redelivery), once re-emitted under a new id
      kafka.sendEvent(order, headers(EventTypes.DELIVERY_DELIVERED, id, order), json);
      kafka.sendEvent(order, headers(EventTypes.DELIVERY_DELIVERED, id, order), json);
      kafka.sendEvent(
          order, headers(EventTypes.DELIVERY_DELIVERED, UUID.randomUUID().toString(), order), json);
      // then another order's fact under the same key, so on the same partition: the kit runs one
      // key's records in order, so once its mail is out the three before it have been handled
      kafka.sendEvent(
          order,
          headers(EventTypes.DELIVERY_DELIVERED, UUID.randomUUID().toString(), order),
          EventJson.mapper().writeValueAsString(delivered(marker, markerEmail)));
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> MailServer.messagesTo(markerEmail).size() == 1);
    MimeMessage mail = onlyMail(email);
    assertEquals("Your order " + order + " was delivered", mail.getSubject());
    assertEquals("SENT", Facts.row(order, "email").get("status"));
    assertEquals(1, Facts.row(order, "email").get("attempts"));
  }

  @Test
  void deliveryFactsAreRoutedToNotifyAndCheckedAgainstTheirSchema() {
    // A delivery.failed without its e-mail is refused naming the field, like the order facts.
    DeliveryFailed fact = failed(newOrder(), newEmail(), "x");
    event(fact.orderId(), fact)
        .data(
            "{\"orderId\":\"o-1\",\"courierId\":null,\"reason\":\"x\",\"attempts\":1,"
                + "\"failedAt\":\"2026-01-01T00:00:00Z\"}")
        .post()
        .then()
        .statusCode(400)
        .body("type", org.hamcrest.Matchers.containsString("schema-violation"))
        .body("errors[0].detail", org.hamcrest.Matchers.containsString("email"));
    // A delivery fact notify does not take (rejected: the order's cancellation tells the customer).
    CloudEventRequest.event(EventTypes.DELIVERY_REJECTED)
        .data("{\"orderId\":\"o-1\",\"zone\":\"75\",\"reason\":\"no-courier-for-zone\"}")
        .post()
        .then()
        .statusCode(400)
        .body("detail", org.hamcrest.Matchers.containsString("notify does not take"));
  }

  private static Map<String, String> headers(String type, String id, String order) {
    return Map.of(
        "ce_specversion", "1.0",
        "ce_id", id,
        "ce_source", DeliveryFacts.SOURCE,
        "ce_type", type,
        "ce_subject", order,
        "ce_partitionkey", order,
        "content-type", "application/json");
  }

  private static String subject(MimeMessage m) {
    try {
      return m.getSubject();
    } catch (jakarta.mail.MessagingException e) {
      throw new IllegalStateException(e);
    }
  }
}
