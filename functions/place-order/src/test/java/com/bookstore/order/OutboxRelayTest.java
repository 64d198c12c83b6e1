package com.bookstore.order;

import static com.bookstore.kit.testing.KafkaTestClient.header;
import static com.bookstore.order.TestCatalog.BOOK_A;
import static com.bookstore.order.TestCatalog.BOOK_A_CENTS;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.bookstore.events.EventTypes;
import com.bookstore.events.order.OrderLine;
import com.bookstore.events.payment.Money;
import com.bookstore.kit.SessionCheck;
import com.bookstore.kit.testing.KafkaTestClient;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The outbox relay: an order stored with its outbox row but never published (the process died
 * between the commit and the publish) is published by the relay, keyed by its order.
 */
@QuarkusTest
@WithTestResource(value = TestCatalog.class, scope = TestResourceScope.GLOBAL)
class OutboxRelayTest {

  @Inject OrderStore store;
  @Inject Pool pool;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  /** Stores an order exactly as a request does, and publishes nothing: a crash after the commit. */
  private Placement storedButNotPublished(Instant placedAt) {
    String userId = "user-" + UUID.randomUUID();
    Placement placement =
        Placement.of(
            "place-order",
            OrderIds.next(),
            new SessionCheck.Session(
                userId, userId + "@example.com", Instant.now().plusSeconds(60)),
            new Pricing.PricedCart(
                List.of(new OrderLine(BOOK_A, 1, new Money(BOOK_A_CENTS, "EUR"))),
                new Money(BOOK_A_CENTS, "EUR"),
                "tok_visa"),
            null,
            null,
            placedAt.truncatedTo(ChronoUnit.MICROS));
    assertEquals(true, store.insert(placement).await().indefinitely());
    return placement;
  }

  private long published(String orderId) {
    return Db.count(
        pool,
        "select count(*) from orders.outbox where order_id = $1 and published_at is not null",
        orderId);
  }

  @Test
  void theRelayPublishesAnOrderWhosePublishWasSkipped() {
    try (KafkaTestClient kafka = new KafkaTestClient(bootstrap);
        KafkaTestClient.Tail events = kafka.tailEvents()) {
      Placement orphan = storedButNotPublished(Instant.now().minusSeconds(60));
      String orderId = orphan.orderId();
      List<ConsumerRecord<String, byte[]>> found =
          events.await(
              r -> EventTypes.ORDER_PLACED.equals(header(r, "ce_type")) && orderId.equals(r.key()),
              1,
              Duration.ofSeconds(30));
      assertEquals(1, found.size(), "the relay did not publish order.placed for " + orderId);
      assertEquals(orphan.event().id(), header(found.get(0), "ce_id"));
      assertEquals(orderId, header(found.get(0), "ce_subject"));
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> published(orderId) == 1);
    }
  }

  @Test
  void aFreshUnpublishedRowIsLeftToItsRequestDuringTheGracePeriod() {
    try (KafkaTestClient kafka = new KafkaTestClient(bootstrap);
        KafkaTestClient.Tail events = kafka.tailEvents()) {
      Placement fresh = storedButNotPublished(Instant.now());
      String orderId = fresh.orderId();
      // The grace is 5 s: for the first 2 s the relay must not touch the row.
      List<ConsumerRecord<String, byte[]>> early =
          events.collect(
              r -> EventTypes.ORDER_PLACED.equals(header(r, "ce_type")) && orderId.equals(r.key()),
              Duration.ofSeconds(2));
      assertEquals(0, early.size());
      assertEquals(0, published(orderId));
      // After the grace it is published all the same.
      List<ConsumerRecord<String, byte[]>> late =
          events.await(
              r -> EventTypes.ORDER_PLACED.equals(header(r, "ce_type")) && orderId.equals(r.key()),
              1,
              Duration.ofSeconds(30));
      assertEquals(1, late.size());
    }
  }
}
