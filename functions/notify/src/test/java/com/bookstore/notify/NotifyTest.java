package com.bookstore.notify;

import static com.bookstore.notify.Facts.cancelled;
import static com.bookstore.notify.Facts.confirmed;
import static com.bookstore.notify.Facts.event;
import static com.bookstore.notify.Facts.newEmail;
import static com.bookstore.notify.Facts.newOrder;
import static com.bookstore.notify.Facts.row;
import static com.bookstore.notify.Facts.rows;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bookstore.events.EventTypes;
import com.bookstore.events.order.OrderCancelled;
import com.bookstore.events.order.OrderConfirmed;
import com.bookstore.kit.testing.CloudEventRequest;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * notify over HTTP CloudEvents, against a real SMTP server in the test JVM and the real PostgreSQL
 * and Redis. No webhook is configured in this profile: one notification per fact.
 */
@QuarkusTest
@QuarkusTestResource(MailServer.class)
class NotifyTest {

  @Inject AgroalDataSource db;

  @Test
  void orderConfirmedSendsOneEmailToTheCustomerNamingTheOrderAndTotal() throws Exception {
    String order = newOrder();
    String email = newEmail();
    Response answer = event(confirmed(order, email)).post();
    answer
        .then()
        .statusCode(200)
        .header("ce-type", EventTypes.NOTIFICATION_SENT)
        .header("ce-subject", order)
        .header("ce-partitionkey", order)
        .header("ce-source", "/bookstore/functions/notify")
        .body("orderId", equalTo(order))
        .body("channel", equalTo("email"))
        .body("recipient", equalTo(email))
        .body("topic", equalTo("order-confirmed"));
    String notificationId = answer.jsonPath().getString("notificationId");

    List<MimeMessage> mails = MailServer.messagesTo(email);
    assertEquals(1, mails.size(), "e-mails to " + email);
    MimeMessage mail = mails.get(0);
    assertEquals("Your order " + order + " is confirmed", mail.getSubject());
    assertTrue(MailServer.text(mail).contains(order), MailServer.text(mail));
    assertTrue(MailServer.text(mail).contains("EUR 42.50"), MailServer.text(mail));
    assertTrue(MailServer.html(mail).contains("<strong>" + order + "</strong>"));
    assertEquals("<" + notificationId + "@bookstore.example.com>", mail.getMessageID());

    List<Map<String, Object>> rows = rows(order);
    assertEquals(1, rows.size(), "rows " + rows);
    assertEquals("SENT", rows.get(0).get("status"));
    assertEquals(1, rows.get(0).get("attempts"));
    assertEquals(notificationId, rows.get(0).get("notificationId"));
  }

  @Test
  void theSameFactDeliveredThreeTimesSendsOneEmailAndAnswersTheSameNotificationSent() {
    String order = newOrder();
    String email = newEmail();
    OrderConfirmed fact = confirmed(order, email);
    CloudEventRequest first = event(fact);
    Response a = first.post();
    // the same event again (the ledger answers), the fact re-emitted under another id (the table
    // answers), and in structured mode
    Response b = event(fact).id(first.id()).post();
    Response c = event(fact).post();
    Response d = event(fact).structured().post();
    for (Response r : List.of(a, b, c, d)) {
      r.then().statusCode(200).header("ce-type", EventTypes.NOTIFICATION_SENT);
    }
    String id = a.header("ce-id");
    assertEquals(id, b.header("ce-id"));
    assertEquals(id, c.header("ce-id"));
    assertEquals(id, d.header("ce-id"));
    String sentAt = a.jsonPath().getString("sentAt");
    assertEquals(sentAt, c.jsonPath().getString("sentAt"));
    assertEquals(sentAt, d.jsonPath().getString("sentAt"));

    assertEquals(1, MailServer.messagesTo(email).size(), "e-mails to " + email);
    Map<String, Object> row = row(order, "email");
    assertEquals("SENT", row.get("status"));
    assertEquals(1, row.get("attempts"));
  }

  @Test
  void tenConcurrentDeliveriesOfOneFactUnderDifferentIdsSendOneEmail() throws Exception {
    String order = newOrder();
    String email = newEmail();
    OrderConfirmed fact = confirmed(order, email);
    ExecutorService pool = Executors.newFixedThreadPool(10);
    List<Integer> statuses;
    try {
      List<Future<Integer>> answers = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        answers.add(pool.submit(() -> event(fact).post().statusCode()));
      }
      statuses = new ArrayList<>();
      for (Future<Integer> answer : answers) {
        statuses.add(answer.get());
      }
    } finally {
      pool.shutdown();
    }
    // the one that claimed it, and those that came after it was sent, answer 200; one that came
    // while it was being sent is told to retry (409), never sends
    assertTrue(statuses.stream().allMatch(s -> s == 200 || s == 409), statuses.toString());
    assertTrue(statuses.contains(200), statuses.toString());
    assertEquals(1, MailServer.messagesTo(email).size(), "e-mails to " + email);
    assertEquals("SENT", row(order, "email").get("status"));
  }

  @Test
  void orderCancelledEmailSaysTheReasonInPlainWords() throws Exception {
    String order = newOrder();
    String email = newEmail();
    event(cancelled(order, email, "out-of-stock"))
        .post()
        .then()
        .statusCode(200)
        .header("ce-type", EventTypes.NOTIFICATION_SENT)
        .body("topic", equalTo("order-cancelled"))
        .body("recipient", equalTo(email));
    List<MimeMessage> mails = MailServer.messagesTo(email);
    assertEquals(1, mails.size());
    assertEquals("Your order " + order + " was cancelled", mails.get(0).getSubject());
    String text = MailServer.text(mails.get(0));
    assertTrue(text.contains("because some books were out of stock"), text);
    assertTrue(text.contains(order), text);
    assertTrue(MailServer.html(mails.get(0)).contains("some books were out of stock"));
  }

  @Test
  void aConfirmationAndACancellationOfOneOrderAreTwoNotifications() {
    String order = newOrder();
    String email = newEmail();
    event(confirmed(order, email)).post().then().statusCode(200);
    event(cancelled(order, email, "payment-declined")).post().then().statusCode(200);
    assertEquals(2, MailServer.messagesTo(email).size());
    assertEquals(2, rows(order).size());
  }

  @Test
  void smtpDownIsARetryableFailureRecordedOnTheRowAndSentOnceWhenTheServerIsBack()
      throws Exception {
    String order = newOrder();
    String email = newEmail();
    OrderCancelled fact = cancelled(order, email, "payment-declined");
    CloudEventRequest delivery = event(fact);
    MailServer.down();
    try {
      for (int attempt = 1; attempt <= 2; attempt++) {
        // the same delivery again, as Knative retries it: a failure leaves no answer behind
        event(fact)
            .id(delivery.id())
            .post()
            .then()
            .statusCode(503)
            .contentType("application/problem+json")
            .body("type", containsString("temporarily-unavailable"))
            .body("detail", containsString("email to " + email + " failed"));
        Map<String, Object> row = row(order, "email");
        assertEquals("FAILED", row.get("status"));
        assertEquals(attempt, row.get("attempts"));
        assertTrue(
            String.valueOf(row.get("lastError")).contains("email to " + email), row.toString());
      }
    } finally {
      MailServer.up();
    }
    event(fact)
        .id(delivery.id())
        .post()
        .then()
        .statusCode(200)
        .header("ce-type", EventTypes.NOTIFICATION_SENT);
    assertEquals(1, MailServer.messagesTo(email).size(), "e-mails to " + email);
    Map<String, Object> row = row(order, "email");
    assertEquals("SENT", row.get("status"));
    assertEquals(3, row.get("attempts"));
    assertNull(row.get("lastError"));
    // and nothing more on a later delivery
    event(fact).post().then().statusCode(200);
    assertEquals(1, MailServer.messagesTo(email).size());
  }

  @Test
  void aPendingNotificationLeftByACrashIsSentAgainWithTheSameMessageId() throws Exception {
    String order = newOrder();
    String email = newEmail();
    String id = Notification.idFor(order, Milestone.Topic.ORDER_CONFIRMED, Channel.EMAIL);
    insertPending(id, order, email, "now() - interval '1 minute'");
    event(confirmed(order, email))
        .post()
        .then()
        .statusCode(200)
        .body("notificationId", equalTo(id));
    List<MimeMessage> mails = MailServer.messagesTo(email);
    assertEquals(1, mails.size());
    assertEquals("<" + id + "@bookstore.example.com>", mails.get(0).getMessageID());
    Map<String, Object> row = row(order, "email");
    assertEquals("SENT", row.get("status"));
    assertEquals(2, row.get("attempts"));
  }

  @Test
  void aPendingNotificationUnderAnotherDeliverysLeaseIsNotSentTwice() throws Exception {
    String order = newOrder();
    String email = newEmail();
    String id = Notification.idFor(order, Milestone.Topic.ORDER_CONFIRMED, Channel.EMAIL);
    insertPending(id, order, email, "now() + interval '1 minute'");
    event(confirmed(order, email))
        .post()
        .then()
        .statusCode(409)
        .body("type", containsString("event-in-progress"))
        .body("detail", containsString("email"));
    assertEquals(0, MailServer.messagesTo(email).size());
    assertEquals("PENDING", row(order, "email").get("status"));
  }

  @Test
  void aFactMissingItsEmailIsRefusedNamingTheField() {
    event(confirmed(newOrder(), newEmail()))
        .data(
            "{\"orderId\":\"o-1\",\"customerId\":\"c-1\",\"total\":{\"cents\":1,\"currency\":\"EUR\"},"
                + "\"confirmedAt\":\"2026-01-01T00:00:00Z\"}")
        .post()
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("type", containsString("schema-violation"))
        .body("errors[0].in", equalTo("data"))
        .body("errors[0].detail", containsString("email"));
  }

  @Test
  void anEventTypeNotifyDoesNotTakeIsRefused() {
    CloudEventRequest.event(EventTypes.STOCK_RESERVE)
        .data("{\"orderId\":\"o-1\",\"items\":[{\"isbn\":\"9780000000001\",\"quantity\":1}]}")
        .post()
        .then()
        .statusCode(400)
        .body("type", containsString("unknown-event-type"))
        .body("detail", containsString("notify does not take"));
  }

  @Test
  void malformedJsonIsRefusedWithWhereItBroke() {
    event(confirmed(newOrder(), newEmail()))
        .data("{\"orderId\": ")
        .post()
        .then()
        .statusCode(400)
        .body("type", containsString("malformed-json"));
  }

  @Test
  void postgresRefusingToRecordASentMailIsRetriedWithinTheLeaseAndTheMailIsNotSentTwice()
      throws Exception {
    String order = newOrder();
    String email = newEmail();
    // A trigger refuses to mark this order's notification SENT, counting each refusal in a
    // sequence (nextval survives the rolled-back statement): PostgreSQL away right after the send.
    String tag = "refuse_" + order.substring(order.length() - 12);
    sql(
        "create sequence notify." + tag,
        "create function notify."
            + tag
            + "() returns trigger language plpgsql as $$ begin if new.status = 'SENT' and"
            + " new.order_id = '"
            + order
            + "' then perform nextval('notify."
            + tag
            + "'); raise exception 'test refuses SENT for %', new.order_id; end if; return new;"
            + " end $$",
        "create trigger "
            + tag
            + " before update on notify.notification for each row execute function notify."
            + tag
            + "()");
    CompletableFuture<Response> answer;
    try {
      answer = CompletableFuture.supplyAsync(() -> event(confirmed(order, email)).post());
      // the mail went out, and recording it was refused more than once without the fact failing
      await().atMost(Duration.ofSeconds(30)).until(() -> refusals(tag) >= 2 || answer.isDone());
      assertTrue(!answer.isDone(), "the fact failed after the first refused record");
      assertEquals(1, MailServer.messagesTo(email).size(), "e-mails to " + email);
      assertEquals("PENDING", row(order, "email").get("status"));
    } finally {
      sql(
          "drop trigger " + tag + " on notify.notification",
          "drop function notify." + tag + "()",
          "drop sequence notify." + tag);
    }
    answer
        .get(30, TimeUnit.SECONDS)
        .then()
        .statusCode(200)
        .header("ce-type", EventTypes.NOTIFICATION_SENT);
    assertEquals(1, MailServer.messagesTo(email).size(), "e-mails to " + email);
    Map<String, Object> row = row(order, "email");
    assertEquals("SENT", row.get("status"));
    assertEquals(1, row.get("attempts"));
  }

  private void sql(String... statements) throws SQLException {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
      }
    }
  }

  private long refusals(String sequence) throws SQLException {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("select last_value, is_called from notify." + sequence)) {
      r.next();
      return r.getBoolean(2) ? r.getLong(1) : 0;
    }
  }

  private void insertPending(String id, String order, String email, String leaseUntil)
      throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "insert into notify.notification (id, order_id, topic, channel, recipient, status,"
                    + " attempts, lease_until, created_at, updated_at) values (?, ?,"
                    + " 'order-confirmed', 'email', ?, 'PENDING', 1, "
                    + leaseUntil
                    + ", now(), now())")) {
      s.setString(1, id);
      s.setString(2, order);
      s.setString(3, email);
      s.executeUpdate();
    }
  }
}
