package com.bookstore.notify;

import static com.bookstore.kit.testing.KafkaTestClient.header;
import static com.bookstore.kit.testing.KafkaTestClient.value;
import static com.bookstore.notify.Facts.confirmed;
import static com.bookstore.notify.Facts.event;
import static com.bookstore.notify.Facts.kafkaHeaders;
import static com.bookstore.notify.Facts.newEmail;
import static com.bookstore.notify.Facts.newOrder;
import static com.bookstore.notify.Facts.row;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.bookstore.events.EventJson;
import com.bookstore.events.EventTypes;
import com.bookstore.events.order.OrderConfirmed;
import com.bookstore.kit.testing.KafkaTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Kafka-direct mode: facts from the workflow topic, answers and dead letters onto the topics. */
@QuarkusTest
@QuarkusTestResource(MailServer.class)
class NotifyKafkaTest {

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @Test
  void theSameFactThreeTimesOnTheTopicAndOnceOverHttpSendsOneEmail() throws Exception {
    String order = newOrder();
    String email = newEmail();
    OrderConfirmed fact = confirmed(order, email);
    String json = EventJson.mapper().writeValueAsString(fact);
    try (KafkaTestClient kafka = new KafkaTestClient(bootstrap);
        KafkaTestClient.Tail events = kafka.tailEvents()) {
      String id = UUID.randomUUID().toString();
      // twice the same record (a redelivery), once re-emitted under a new id
      kafka.sendEvent(order, kafkaHeaders(EventTypes.ORDER_CONFIRMED, id, order), json);
      kafka.sendEvent(order, kafkaHeaders(EventTypes.ORDER_CONFIRMED, id, order), json);
      kafka.sendEvent(
          order,
          kafkaHeaders(EventTypes.ORDER_CONFIRMED, UUID.randomUUID().toString(), order),
          json);
      List<ConsumerRecord<String, byte[]>> answers =
          events.await(r -> sentFor(r, order), 3, Duration.ofSeconds(60));
      assertEquals(3, answers.size(), "notification.sent on the topic for " + order);
      event(fact).post().then().statusCode(200).header("ce-type", EventTypes.NOTIFICATION_SENT);

      for (ConsumerRecord<String, byte[]> answer : answers) {
        assertEquals(order, answer.key());
        assertEquals(order, header(answer, "ce_subject"));
      }
      assertEquals(
          1,
          answers.stream().map(r -> header(r, "ce_id")).collect(Collectors.toSet()).size(),
          "every delivery answers the same notification.sent");
    }
    assertEquals(1, MailServer.messagesTo(email).size(), "e-mails to " + email);
    assertEquals("SENT", row(order, "email").get("status"));
    assertEquals(1, row(order, "email").get("attempts"));
  }

  private static boolean sentFor(ConsumerRecord<String, byte[]> r, String order) {
    return EventTypes.NOTIFICATION_SENT.equals(header(r, "ce_type")) && value(r).contains(order);
  }
}
