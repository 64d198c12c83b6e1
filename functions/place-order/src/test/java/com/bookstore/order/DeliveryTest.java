package com.bookstore.order;

import static com.bookstore.kit.testing.CloudEventRequest.event;
import static com.bookstore.kit.testing.KafkaTestClient.header;
import static com.bookstore.kit.testing.KafkaTestClient.value;
import static com.bookstore.order.TestCatalog.BOOK_A;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bookstore.events.EventJson;
import com.bookstore.events.EventTypes;
import com.bookstore.events.Topics;
import com.bookstore.events.delivery.DeliveryAssigned;
import com.bookstore.events.delivery.DeliveryCancelled;
import com.bookstore.events.delivery.DeliveryDelivered;
import com.bookstore.events.delivery.DeliveryFailed;
import com.bookstore.events.delivery.DeliveryPickedUp;
import com.bookstore.events.delivery.DeliveryReassigned;
import com.bookstore.events.delivery.DeliveryRejected;
import com.bookstore.events.order.OrderConfirmed;
import com.bookstore.events.payment.Money;
import com.bookstore.events.saga.SagaFailed;
import com.bookstore.kit.CloudEvent;
import com.bookstore.kit.IdempotencyLedger;
import com.bookstore.kit.testing.CloudEventRequest;
import com.bookstore.kit.testing.KafkaTestClient;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Orders delivered by a courier: the address on {@code POST /orders} and on the order.place
 * command, its zone in order.placed and in {@code GET}, and the delivery facts in the history and
 * the delivery's state. Against the test catalog and the real Redis, PostgreSQL and Kafka.
 */
@QuarkusTest
@WithTestResource(value = TestCatalog.class, scope = TestResourceScope.GLOBAL)
class DeliveryTest {
  private static final String SENDER = "/other-system/shop";
  private static final String DISPATCH = "/bookstore/functions/dispatch-courier";

  @Inject RedisAPI redis;
  @Inject Pool pool;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  private static Map<String, Object> address(String street, String city, String postcode) {
    Map<String, Object> address = new HashMap<>();
    address.put("street", street);
    address.put("city", city);
    address.put("postcode", postcode);
    return address;
  }

  private static Map<String, Object> deliveredCart(Map<String, Object> address) {
    Map<String, Object> body = new HashMap<>(PlaceOrderTest.cart(BOOK_A, 1));
    body.put("deliveryAddress", address);
    return body;
  }

  private static CloudEventRequest fact(String type, String orderId, Object data) {
    return event(type)
        .source(DISPATCH)
        .attribute("partitionkey", orderId)
        .attribute("subject", orderId)
        .data(data);
  }

  private static void deliver(CloudEventRequest fact) {
    fact.post().then().statusCode(202);
  }

  private static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MILLIS);
  }

  /** A customer's delivered order to London (zone SW). */
  private record Placed(Customers.Customer customer, String orderId) {}

  private Placed placeDelivered() {
    Customers.Customer ada = Customers.loggedIn(redis);
    String orderId =
        ada.place(deliveredCart(address("10 Downing Street", "London", "SW1A 2AA")))
            .then()
            .statusCode(202)
            .extract()
            .path("orderId");
    return new Placed(ada, orderId);
  }

  @Test
  void anOrderWithAnAddressIsPlacedWithItsZoneInOrderPlacedAndInGet() throws Exception {
    Customers.Customer ada = Customers.loggedIn(redis);
    String orderId;
    try (KafkaTestClient kafka = new KafkaTestClient(bootstrap);
        KafkaTestClient.Tail events = kafka.tailEvents()) {
      Response placed =
          ada.place(deliveredCart(address(" 12 rue de la Roquette ", "Paris", "75011")));
      placed
          .then()
          .statusCode(202)
          .body("status", equalTo("PENDING"))
          .body("delivery.zone", equalTo("75"))
          .body("delivery.address.street", equalTo("12 rue de la Roquette"))
          .body("delivery.address.postcode", equalTo("75011"))
          .body("delivery.status", nullValue());
      orderId = placed.jsonPath().getString("orderId");
      String id = orderId;
      List<ConsumerRecord<String, byte[]>> found =
          events.await(
              r -> EventTypes.ORDER_PLACED.equals(header(r, "ce_type")) && id.equals(r.key()),
              1,
              Duration.ofSeconds(30));
      assertEquals(1, found.size(), "no order.placed keyed by " + orderId);
      JsonNode delivery = EventJson.mapper().readTree(value(found.get(0))).get("delivery");
      assertNotNull(delivery, "order.placed without its delivery");
      assertEquals("12 rue de la Roquette", delivery.get("street").asText());
      assertEquals("Paris", delivery.get("city").asText());
      assertEquals("75011", delivery.get("postcode").asText());
      assertEquals("75", delivery.get("zone").asText());
    }
    ada.order(orderId)
        .then()
        .statusCode(200)
        .body("status", equalTo("PENDING"))
        .body("delivery.address.street", equalTo("12 rue de la Roquette"))
        .body("delivery.address.city", equalTo("Paris"))
        .body("delivery.address.postcode", equalTo("75011"))
        .body("delivery.zone", equalTo("75"))
        .body("delivery.status", nullValue())
        .body("delivery.courierId", nullValue())
        .body("history", hasSize(1))
        .body("history[0].detail", containsString("to deliver in zone 75"));
    Row row =
        Db.rows(
                pool,
                "select delivery_street, delivery_postcode, delivery_zone"
                    + " from orders.customer_order where id = $1",
                orderId)
            .get(0);
    assertEquals("12 rue de la Roquette", row.getString("delivery_street"));
    assertEquals("75", row.getString("delivery_zone"));
  }

  @Test
  void anOrderWithoutAnAddressHasNoDelivery() {
    Customers.Customer ada = Customers.loggedIn(redis);
    String orderId =
        ada.place(PlaceOrderTest.cart(BOOK_A, 1))
            .then()
            .statusCode(202)
            .body("delivery", nullValue())
            .extract()
            .path("orderId");
    ada.order(orderId).then().statusCode(200).body("delivery", nullValue());
    assertEquals(
        0,
        Db.count(
            pool,
            "select count(*) from orders.customer_order where id = $1 and delivery_zone is not null",
            orderId));
  }

  @Test
  void aBadAddressIsRefusedNamingTheFieldAndNothingIsStored() {
    Customers.Customer ada = Customers.loggedIn(redis);
    // Not the schema's letters, digits, spaces and hyphens.
    ada.place(deliveredCart(address("1 High Street", "Leeds", "LS1 #4")))
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("type", equalTo("https://bookstore.example.com/problems/invalid-order"))
        .body("errors.field", contains("/deliveryAddress/postcode"))
        .body("errors[0].detail", containsString("LS1 #4"));
    // Within the pattern, but a numeric postcode needs two digits for its zone.
    ada.place(deliveredCart(address("1 High Street", "Leeds", "1A")))
        .then()
        .statusCode(400)
        .body("errors.field", contains("/deliveryAddress/postcode"))
        .body("errors[0].detail", containsString("'1A'"));
    // Too long, empty, missing, and not an object.
    ada.place(deliveredCart(address("x".repeat(201), " ", null)))
        .then()
        .statusCode(400)
        .body(
            "errors.field",
            containsInAnyOrder(
                "/deliveryAddress/street", "/deliveryAddress/city", "/deliveryAddress/postcode"));
    Map<String, Object> notAnObject = new HashMap<>(PlaceOrderTest.cart(BOOK_A, 1));
    notAnObject.put("deliveryAddress", "10 Downing Street");
    ada.place(notAnObject)
        .then()
        .statusCode(400)
        .body("errors.field", contains("/deliveryAddress"));
    assertEquals(0, Db.ordersOf(pool, ada.userId()));
  }

  @Test
  void theOrderPlaceCommandCarriesTheAddressAndABadPostcodeIsDeadLettered() throws Exception {
    String customer = "user-" + UUID.randomUUID();
    String badCustomer = "user-" + UUID.randomUUID();
    String badId = UUID.randomUUID().toString();
    try (KafkaTestClient kafka = new KafkaTestClient(bootstrap);
        KafkaTestClient.Tail events = kafka.tailEvents();
        KafkaTestClient.Tail deadLetters = kafka.tail(Topics.DEAD_LETTER)) {
      sendCommand(kafka, UUID.randomUUID().toString(), command(customer, "EH8 9YL"));
      List<ConsumerRecord<String, byte[]>> placed =
          events.await(
              r ->
                  EventTypes.ORDER_PLACED.equals(header(r, "ce_type"))
                      && value(r).contains(customer),
              1,
              Duration.ofSeconds(30));
      assertEquals(1, placed.size(), "no order.placed for " + customer);
      JsonNode delivery = EventJson.mapper().readTree(value(placed.get(0))).get("delivery");
      assertEquals("EH", delivery.get("zone").asText());
      assertEquals("EH8 9YL", delivery.get("postcode").asText());

      // Passes the schema's pattern, but has no zone: refused by place-order, naming the field.
      sendCommand(kafka, badId, command(badCustomer, "1-A"));
      List<ConsumerRecord<String, byte[]>> dead =
          deadLetters.await(r -> badId.equals(header(r, "ce_id")), 1, Duration.ofSeconds(30));
      assertEquals(1, dead.size(), "the command was not dead-lettered");
      String reason = header(dead.get(0), "dead-letter-reason");
      assertNotNull(reason);
      assertTrue(reason.contains("/deliveryAddress/postcode"), reason);
    }
    assertEquals(1, Db.ordersOf(pool, customer));
    assertEquals(0, Db.ordersOf(pool, badCustomer));
    // Over HTTP the schema refuses what breaks its limits, naming the field.
    event(EventTypes.ORDER_PLACE)
        .source(SENDER)
        .data(command(badCustomer, "!!"))
        .post()
        .then()
        .statusCode(400)
        .body("type", equalTo("https://bookstore.example.com/problems/schema-violation"))
        .body("errors.field", org.hamcrest.Matchers.hasItem("/deliveryAddress/postcode"));
    event(EventTypes.ORDER_PLACE)
        .source(SENDER)
        .data(command(badCustomer, "1-A"))
        .post()
        .then()
        .statusCode(400)
        .body("type", equalTo("https://bookstore.example.com/problems/invalid-order"))
        .body("errors[0].in", equalTo("data"))
        .body("errors[0].field", equalTo("/deliveryAddress/postcode"));
    assertEquals(0, Db.ordersOf(pool, badCustomer));
  }

  private static Map<String, Object> command(String customerId, String postcode) {
    return Map.of(
        "customerId",
        customerId,
        "email",
        customerId + "@example.com",
        "items",
        List.of(Map.of("isbn", BOOK_A, "quantity", 1)),
        "paymentMethod",
        "tok_visa",
        "deliveryAddress",
        address("1 Royal Mile", "Edinburgh", postcode));
  }

  private static void sendCommand(KafkaTestClient kafka, String id, Map<String, Object> data)
      throws Exception {
    String customerId = (String) data.get("customerId");
    kafka.sendEvent(
        customerId,
        Map.of(
            "ce_specversion",
            "1.0",
            "ce_id",
            id,
            "ce_source",
            SENDER,
            "ce_type",
            EventTypes.ORDER_PLACE,
            "ce_partitionkey",
            customerId,
            "content-type",
            "application/json"),
        EventJson.mapper().writeValueAsString(data));
  }

  @Test
  void deliveryFactsShowInTheHistoryAndInTheDeliveryAndLeaveTheOrderStatusAlone() {
    Placed p = placeDelivered();
    String orderId = p.orderId();
    String email = p.customer().email();
    deliver(
        fact(
            EventTypes.DELIVERY_ASSIGNED,
            orderId,
            new DeliveryAssigned(orderId, "courier-sw-1", "Camille", "SW", 1, email, now())));
    p.customer()
        .order(orderId)
        .then()
        .body("status", equalTo("PENDING"))
        .body("delivery.status", equalTo("ASSIGNED"))
        .body("delivery.courierId", equalTo("courier-sw-1"))
        .body("delivery.attempts", equalTo(1));
    deliver(
        fact(
            EventTypes.DELIVERY_REASSIGNED,
            orderId,
            new DeliveryReassigned(
                orderId,
                "courier-sw-2",
                "Louis",
                "courier-sw-1",
                2,
                "not picked up in time",
                email,
                now())));
    p.customer()
        .order(orderId)
        .then()
        .body("delivery.status", equalTo("REASSIGNED"))
        .body("delivery.courierId", equalTo("courier-sw-2"))
        .body("delivery.attempts", equalTo(2));
    deliver(
        fact(
            EventTypes.ORDER_CONFIRMED,
            orderId,
            new OrderConfirmed(
                orderId, p.customer().userId(), email, new Money(1250, "EUR"), now())));
    deliver(
        fact(
            EventTypes.DELIVERY_PICKED_UP,
            orderId,
            new DeliveryPickedUp(orderId, "courier-sw-2", email, now())));
    deliver(
        fact(
            EventTypes.DELIVERY_DELIVERED,
            orderId,
            new DeliveryDelivered(orderId, "courier-sw-2", email, now())));
    p.customer()
        .order(orderId)
        .then()
        .statusCode(200)
        .body("status", equalTo("CONFIRMED"))
        .body("delivery.status", equalTo("DELIVERED"))
        .body("delivery.courierId", equalTo("courier-sw-2"))
        .body("delivery.attempts", equalTo(2))
        .body("delivery.zone", equalTo("SW"))
        .body(
            "history.type",
            contains(
                EventTypes.ORDER_PLACED,
                EventTypes.DELIVERY_ASSIGNED,
                EventTypes.DELIVERY_REASSIGNED,
                EventTypes.ORDER_CONFIRMED,
                EventTypes.DELIVERY_PICKED_UP,
                EventTypes.DELIVERY_DELIVERED))
        .body("history[1].detail", equalTo("courier assigned: Camille (courier-sw-1), zone SW"))
        .body("history[2].detail", containsString("Louis (courier-sw-2) instead of courier-sw-1"))
        .body("history[4].detail", equalTo("parcel picked up by courier courier-sw-2"))
        .body("history[5].detail", equalTo("parcel delivered by courier courier-sw-2"));
    // A late fact (the first assignment delivered again under a new id) adds history, moves
    // nothing.
    deliver(
        fact(
            EventTypes.DELIVERY_ASSIGNED,
            orderId,
            new DeliveryAssigned(orderId, "courier-sw-1", "Camille", "SW", 1, email, now())));
    p.customer()
        .order(orderId)
        .then()
        .body("status", equalTo("CONFIRMED"))
        .body("delivery.status", equalTo("DELIVERED"))
        .body("delivery.courierId", equalTo("courier-sw-2"))
        .body("history", hasSize(7));
    assertEquals("CONFIRMED", Db.status(pool, orderId));
  }

  @Test
  void aRedeliveredDeliveryFactAddsNoSecondRowEvenAfterTheLedgerForgotIt() {
    Placed p = placeDelivered();
    String orderId = p.orderId();
    CloudEventRequest failed =
        fact(
            EventTypes.DELIVERY_FAILED,
            orderId,
            new DeliveryFailed(
                orderId,
                "courier-sw-1",
                "courier: address not found",
                1,
                p.customer().email(),
                now()));
    deliver(failed);
    deliver(failed);
    assertEquals(2, Db.history(pool, orderId));
    long forgotten =
        redis
            .del(
                List.of(
                    IdempotencyLedger.key(
                        "place-order",
                        new CloudEvent(
                            failed.id(),
                            DISPATCH,
                            EventTypes.DELIVERY_FAILED,
                            null,
                            null,
                            null,
                            null,
                            Map.of(),
                            null))))
            .await()
            .indefinitely()
            .toLong();
    assertEquals(1, forgotten, "the ledger entry of the fact was not where the kit keeps it");
    deliver(failed);
    assertEquals(2, Db.history(pool, orderId));
    p.customer()
        .order(orderId)
        .then()
        .body("status", equalTo("PENDING"))
        .body("delivery.status", equalTo("FAILED"))
        .body("delivery.attempts", equalTo(1))
        .body(
            "history[1].detail",
            equalTo("delivery failed after 1 attempt: courier: address not found"));
    // The saga's compensation cancels the delivery afterwards: FAILED says more, and stays.
    deliver(
        fact(
            EventTypes.DELIVERY_CANCELLED,
            orderId,
            new DeliveryCancelled(orderId, "delivery-failed", now())));
    p.customer()
        .order(orderId)
        .then()
        .body("delivery.status", equalTo("FAILED"))
        .body("history", hasSize(3))
        .body("history[2].detail", equalTo("delivery cancelled: delivery-failed"));
  }

  @Test
  void aRejectedDeliveryFailsTheDeliveredOrderSagaWhichCancelsTheOrder() {
    Placed p = placeDelivered();
    String orderId = p.orderId();
    deliver(
        fact(
            EventTypes.DELIVERY_REJECTED,
            orderId,
            new DeliveryRejected(orderId, "SW", "no-courier-for-zone")));
    deliver(
        fact(
            EventTypes.SAGA_FAILED,
            orderId,
            new SagaFailed(orderId, "order-delivered", "assign-courier", "no-courier")));
    p.customer()
        .order(orderId)
        .then()
        .body("status", equalTo("CANCELLING"))
        .body("delivery.status", equalTo("REJECTED"))
        .body("delivery.courierId", nullValue())
        .body("history[1].detail", equalTo("no courier for zone SW: no-courier-for-zone"));
  }

  @Test
  void aDeliveryFactOnItsTopicMovesTheDelivery() throws Exception {
    Placed p = placeDelivered();
    String orderId = p.orderId();
    try (KafkaTestClient kafka = new KafkaTestClient(bootstrap)) {
      kafka.sendEvent(
          orderId,
          Map.of(
              "ce_specversion",
              "1.0",
              "ce_id",
              UUID.randomUUID().toString(),
              "ce_source",
              DISPATCH,
              "ce_type",
              EventTypes.DELIVERY_PICKED_UP,
              "ce_partitionkey",
              orderId,
              "content-type",
              "application/json"),
          EventJson.mapper()
              .writeValueAsString(
                  new DeliveryPickedUp(orderId, "courier-sw-9", p.customer().email(), now())));
    }
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                Db.count(
                        pool,
                        "select count(*) from orders.customer_order where id = $1"
                            + " and delivery_status = 'PICKED_UP'",
                        orderId)
                    == 1);
    p.customer()
        .order(orderId)
        .then()
        .body("delivery.status", equalTo("PICKED_UP"))
        .body("delivery.courierId", equalTo("courier-sw-9"))
        .body("history[1].type", equalTo(EventTypes.DELIVERY_PICKED_UP));
  }
}
