package com.bookstore.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bookstore.events.EventTypes;
import com.bookstore.events.Routing.Functions;
import com.bookstore.events.Topics;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The delivery workflow end to end: the ten functions as separate processes in Kafka-direct mode on
 * the local stack's real servers; the test plays the couriers' own systems, producing their
 * CloudEvents with kcat onto the couriers' topic (binary and structured mode), as an outside system
 * does. Outcomes are checked in the functions' tables, on the topics and in the mailbox. Each test
 * has its own zone and couriers, made through dispatch-courier's admin API.
 */
class DeliveryEndToEndTest {
  private static final Duration WITHIN = Duration.ofSeconds(60);
  private static final String CATALOG_TOKEN = "e2e-admin-" + UUID.randomUUID();
  private static final String DISPATCH_TOKEN = "e2e-dispatch-" + UUID.randomUUID();
  private static final Map<String, String> ENV = System.getenv();
  private static final String RUN = Long.toString(System.currentTimeMillis(), 36);

  private static Stack stack;
  private static Apps apps;
  private static TopicWatcher watcher;
  private static Http http;
  private static Bookstore store;
  private static Mailbox mailbox;
  private static Shop.Customer customer;

  @BeforeAll
  static void startTheBookstore() {
    stack = Stack.fromEnvironment();
    http = new Http();
    mailbox =
        Mailbox.fromEnvironment(ENV, http)
            .orElseThrow(() -> new IllegalStateException("no BOOKSTORE_MAIL_API_URL: stack env?"));
    apps = Apps.create(stack, "e2e-delivery");
    List<App> all = new ArrayList<>();
    for (App app : App.BOOKSTORE) {
      all.add(
          switch (app.function()) {
            case Functions.CATALOG -> app.withEnv("CATALOG_ADMIN_TOKEN", CATALOG_TOKEN);
            // short pickup limit, so timeouts and reassignment happen within a test
            case Functions.DISPATCH_COURIER ->
                app.withEnv("DISPATCH_ADMIN_TOKEN", DISPATCH_TOKEN)
                    .withProperty("dispatch.pickup-time-limit", "PT3S")
                    .withProperty("dispatch.max-attempts", "2");
            default -> app;
          });
    }
    watcher = TopicWatcher.start(stack.kafkaBootstrap());
    apps.start(all);
    store = Bookstore.of(http, apps);
    customer = new Shop(store).customers(1, "e2e-delivery-" + RUN).get(0);
  }

  @AfterAll
  static void stopTheBookstore() {
    if (watcher != null) {
      watcher.close();
    }
    if (apps != null) {
      apps.close();
    }
  }

  @Test
  void aDeliveredOrderIsConfirmedWithOneNotificationPerMilestone() throws Exception {
    String zone = zone();
    String courier = courier(zone);
    String isbn = book(1500, 3);
    int mailsBefore = mailbox.count(customer.email());

    String orderId = place(isbn, 1, zone);
    awaitOnTopic(orderId, EventTypes.DELIVERY_DISPATCH);
    assertEquals(
        courier, one("select courier_id from dispatch.delivery where order_id = ?", orderId));
    // binary mode: ce_ headers
    courierBinary(EventTypes.COURIER_PICKED_UP, orderId, courier, "");
    // structured mode: the whole CloudEvent as the record's value
    courierStructured(
        EventTypes.COURIER_LOCATION_UPDATED,
        orderId,
        courier,
        ",\"latitude\":48.8686,\"longitude\":2.3314");
    courierStructured(EventTypes.COURIER_DELIVERED, orderId, courier, "");

    OrderTrace.Final last = awaitFinal(orderId);
    assertTrue(last.confirmed(), "confirmed, got " + last);
    assertEquals("COMPLETED", one("select status from saga.saga where id = ?", orderId));
    assertEquals("order-delivered", one("select definition from saga.saga where id = ?", orderId));
    assertEquals(
        "DELIVERED", one("select status from dispatch.delivery where order_id = ?", orderId));
    assertEquals(
        "48.8686", one("select latitude::text from dispatch.delivery where order_id = ?", orderId));
    assertEquals("CAPTURED", one("select status from payment.payment where order_id = ?", orderId));
    assertEquals(List.of(2, 0), stockLevel(isbn), "3 on hand, 1 sold");
    // assigned, picked up, delivered, confirmed: one notification each
    awaitNotifications(orderId, 4);
    assertTrue(
        watcher.await(() -> mailbox.count(customer.email()) >= mailsBefore + 4, WITHIN),
        "four e-mails");
    JsonNode delivery =
        http.get(store.url(Functions.DISPATCH_COURIER, "/deliveries/" + orderId))
            .expect(200, "GET delivery")
            .json();
    assertEquals("DELIVERED", delivery.path("status").asText());
    assertEquals(1, delivery.path("attempts").asInt());
    List<String> steps = new ArrayList<>();
    delivery.path("steps").forEach(s -> steps.add(s.path("step").asText()));
    assertEquals(List.of("assigned", "ready", "picked-up", "delivered"), steps);
  }

  @Test
  void noCourierForTheZoneCancelsTheOrderNeverChargingItAndPutsTheStockBack() throws Exception {
    String zone = zone(); // nobody covers it
    String isbn = book(1200, 2);

    String orderId = place(isbn, 2, zone);
    OrderTrace.Final last = awaitFinal(orderId);

    assertEquals(EventTypes.ORDER_CANCELLED, last.type());
    assertEquals("no-courier", last.reason());
    OrderTrace trace = watcher.trace(orderId);
    assertEquals(1, trace.distinct(EventTypes.DELIVERY_REJECTED));
    assertEquals(0, trace.distinct(EventTypes.PAYMENT_CAPTURE), "never captured");
    assertEquals(0, trace.distinct(EventTypes.DELIVERY_CANCEL), "no delivery to cancel");
    assertEquals(1, trace.distinct(EventTypes.PAYMENT_REFUND), "the authorization voided");
    assertEquals(List.of(2, 0), stockLevel(isbn), "every copy back");
    assertEquals("COMPENSATED", one("select status from saga.saga where id = ?", orderId));
    awaitNotifications(orderId, 1);
  }

  @Test
  void aCourierWhoNeverPicksUpIsReplacedAndTheNextOneDelivers() throws Exception {
    String zone = zone();
    String first = courier(zone);
    String isbn = book(900, 1);

    String orderId = place(isbn, 1, zone);
    awaitOnTopic(orderId, EventTypes.DELIVERY_DISPATCH);
    assertEquals(
        first, one("select courier_id from dispatch.delivery where order_id = ?", orderId));
    String second = courier(zone);
    awaitOnTopic(orderId, EventTypes.DELIVERY_REASSIGNED);
    assertEquals(
        second, one("select courier_id from dispatch.delivery where order_id = ?", orderId));
    courierBinary(EventTypes.COURIER_PICKED_UP, orderId, second, "");
    courierBinary(EventTypes.COURIER_DELIVERED, orderId, second, "");

    assertTrue(awaitFinal(orderId).confirmed());
    assertEquals(
        "2", one("select attempts::text from dispatch.delivery where order_id = ?", orderId));
    // assigned, reassigned, picked up, delivered, confirmed
    awaitNotifications(orderId, 5);
  }

  @Test
  void whenEveryPickupTimesOutTheDeliveryFailsAndTheOrderIsRefundedAndRestocked() throws Exception {
    String zone = zone();
    courier(zone);
    String isbn = book(1100, 2);

    String orderId = place(isbn, 1, zone);
    awaitOnTopic(orderId, EventTypes.DELIVERY_DISPATCH);
    courier(zone); // the second attempt's courier, who does not pick up either
    OrderTrace.Final last = awaitFinal(orderId);

    assertEquals(EventTypes.ORDER_CANCELLED, last.type());
    assertEquals("delivery-failed", last.reason());
    OrderTrace trace = watcher.trace(orderId);
    assertEquals(1, trace.distinct(EventTypes.DELIVERY_REASSIGNED));
    assertEquals(1, trace.distinct(EventTypes.DELIVERY_FAILED));
    assertEquals(1, trace.distinct(EventTypes.PAYMENT_CAPTURED), "charged before the delivery");
    assertEquals("REFUNDED", one("select status from payment.payment where order_id = ?", orderId));
    assertEquals(List.of(2, 0), stockLevel(isbn), "the sold copy back in stock");
    // assigned, reassigned, failed, cancelled
    awaitNotifications(orderId, 4);
  }

  @Test
  void aCourierWhoFailsAfterPickupGetsTheOrderRefundedRestockedAndTheCustomerTold()
      throws Exception {
    String zone = zone();
    String courier = courier(zone);
    String isbn = book(1300, 1);

    String orderId = place(isbn, 1, zone);
    awaitOnTopic(orderId, EventTypes.DELIVERY_DISPATCH);
    courierBinary(EventTypes.COURIER_PICKED_UP, orderId, courier, "");
    awaitOnTopic(orderId, EventTypes.DELIVERY_PICKED_UP);
    courierStructured(
        EventTypes.COURIER_FAILED, orderId, courier, ",\"reason\":\"address not found\"");

    OrderTrace.Final last = awaitFinal(orderId);
    assertEquals(EventTypes.ORDER_CANCELLED, last.type());
    assertEquals("delivery-failed", last.reason());
    assertEquals("REFUNDED", one("select status from payment.payment where order_id = ?", orderId));
    assertEquals(List.of(1, 0), stockLevel(isbn));
    assertEquals("FAILED", one("select status from dispatch.delivery where order_id = ?", orderId));
    assertEquals(
        "courier: address not found",
        one("select reason from dispatch.delivery where order_id = ?", orderId));
    // assigned, picked up, failed, cancelled
    awaitNotifications(orderId, 4);
  }

  @Test
  void unknownDeliveryWrongCourierAndOutOfOrderGoToTheDeadLettersEachWithItsReason()
      throws Exception {
    String zone = zone();
    String courier = courier(zone);
    String isbn = book(1000, 1);
    String orderId = place(isbn, 1, zone);
    awaitOnTopic(orderId, EventTypes.DELIVERY_DISPATCH);
    String stranger = courier(zone);

    String unknown = "order-nobody-" + UUID.randomUUID();
    String id1 = courierBinary(EventTypes.COURIER_PICKED_UP, unknown, courier, "");
    String id2 = courierBinary(EventTypes.COURIER_PICKED_UP, orderId, stranger, "");
    String id3 = courierBinary(EventTypes.COURIER_DELIVERED, orderId, courier, "");

    Map<String, String> reasons = new HashMap<>();
    assertTrue(
        watcher.await(
            () -> {
              reasons.putAll(deadLetterReasons(List.of(id1, id2, id3)));
              return reasons.size() == 3;
            },
            WITHIN),
        "three dead letters, got " + reasons);
    assertTrue(reasons.get(id1).startsWith("unknown-delivery"), reasons.get(id1));
    assertTrue(reasons.get(id2).startsWith("wrong-courier"), reasons.get(id2));
    assertTrue(reasons.get(id3).startsWith("out-of-order"), reasons.get(id3));
    assertEquals("READY", one("select status from dispatch.delivery where order_id = ?", orderId));
    assertEquals(
        courier, one("select courier_id from dispatch.delivery where order_id = ?", orderId));
    assertEquals(0, watcher.trace(orderId).distinct(EventTypes.DELIVERY_PICKED_UP));
    // the order goes on: the assigned courier picks up and delivers
    courierBinary(EventTypes.COURIER_PICKED_UP, orderId, courier, "");
    courierBinary(EventTypes.COURIER_DELIVERED, orderId, courier, "");
    assertTrue(awaitFinal(orderId).confirmed());
  }

  @Test
  void aFloodOfLocationUpdatesKeepsOnlyTheLatestAndDoesNotHoldUpOtherOrders() throws Exception {
    String zone = zone();
    String courier = courier(zone);
    // baseline: how long placed -> dispatched takes on this machine, in this run, with no flood
    // (after one order that warms the path up, which is not counted)
    placedToDispatchMillis(zone);
    long baseline = 0;
    for (int i = 0; i < 3; i++) {
      baseline = Math.max(baseline, placedToDispatchMillis(zone));
    }
    // four deliveries on the road, each of whose couriers reports 500 positions at once
    List<String> riding = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      String orderId = place(book(800, 1), 1, zone);
      awaitOnTopic(orderId, EventTypes.DELIVERY_DISPATCH);
      courierBinary(EventTypes.COURIER_PICKED_UP, orderId, courier, "");
      awaitOnTopic(orderId, EventTypes.DELIVERY_PICKED_UP);
      riding.add(orderId);
    }
    StringBuilder flood = new StringBuilder();
    Instant t0 = Instant.parse("2026-12-03T12:00:00Z");
    int perDelivery = 500;
    for (int i = 0; i < perDelivery; i++) {
      for (String orderId : riding) {
        flood
            .append(orderId)
            .append('|')
            .append(
                ("{\"specversion\":\"1.0\",\"id\":\"loc-%s-%d\",\"source\":\"/couriers/e2e\","
                        + "\"type\":\"%s\",\"datacontenttype\":\"application/json\",\"data\":"
                        + "{\"orderId\":\"%s\",\"courierId\":\"%s\",\"latitude\":%s,"
                        + "\"longitude\":2.35,\"at\":\"%s\"}}")
                    .formatted(
                        orderId,
                        i,
                        EventTypes.COURIER_LOCATION_UPDATED,
                        orderId,
                        courier,
                        Double.toString(40 + i / 100.0),
                        t0.plusSeconds(i)))
            .append('\n');
      }
    }
    kcatLines(flood.toString(), "content-type=application/cloudevents+json");
    // while the flood is being read: other orders run as usual
    long flooded = 0;
    for (int i = 0; i < 3; i++) {
      flooded = Math.max(flooded, placedToDispatchMillis(zone));
    }
    String last = Double.toString(40 + (perDelivery - 1) / 100.0);
    for (String orderId : riding) {
      assertTrue(
          watcher.await(
              () -> {
                try {
                  return last.equals(
                      one(
                          "select latitude::text from dispatch.delivery where order_id = ?",
                          orderId));
                } catch (SQLException e) {
                  throw new IllegalStateException(e);
                }
              },
              WITHIN),
          "the latest location of " + orderId);
      assertEquals(
          "2",
          one(
              "select count(*)::text from dispatch.delivery_step where order_id = ? and step in ('assigned','picked-up')",
              orderId),
          "no history row per location");
    }
    System.out.printf(
        "location flood: %d updates; placed -> dispatched max %d ms without, %d ms during%n",
        perDelivery * riding.size(), baseline, flooded);
    assertTrue(
        flooded <= 3 * baseline + 2000,
        "orders during the flood took up to "
            + flooded
            + " ms, against "
            + baseline
            + " ms without");
  }

  /** Places an order for delivery to {@code zone}; how long until saga-step dispatched it. */
  private static long placedToDispatchMillis(String zone) {
    String isbn = book(700, 1);
    long start = System.currentTimeMillis();
    String orderId = place(isbn, 1, zone);
    awaitOnTopic(orderId, EventTypes.DELIVERY_DISPATCH);
    return System.currentTimeMillis() - start;
  }

  // --- helpers ---------------------------------------------------------------------------------

  /** A zone nobody else uses: four letters, so a postcode "<zone> 1AA" has it as its zone. */
  private static String zone() {
    StringBuilder z = new StringBuilder();
    ThreadLocalRandom r = ThreadLocalRandom.current();
    for (int i = 0; i < 4; i++) {
      z.append((char) ('A' + r.nextInt(26)));
    }
    return z.toString();
  }

  private static String courier(String zone) {
    String id = "e2e-courier-" + UUID.randomUUID();
    http.putJson(
            store.url(Functions.DISPATCH_COURIER, "/admin/couriers/" + id),
            Map.of(
                "name", "Courier " + id.substring(12, 16), "zones", List.of(zone), "capacity", 50),
            "Authorization",
            "Bearer " + DISPATCH_TOKEN)
        .expect(201, "add courier");
    return id;
  }

  private static String place(String isbn, int quantity, String zone) {
    return store
        .placeOrder(
            customer.token(),
            List.of(new Bookstore.Line(isbn, quantity)),
            "tok_visa",
            new Bookstore.Address("1 Test Street", "Testtown", zone + " 1AA"))
        .join()
        .expect(202, "POST /orders")
        .text("orderId");
  }

  private static void awaitOnTopic(String orderId, String type) {
    assertTrue(
        watcher.await(() -> watcher.trace(orderId).distinct(type) >= 1, WITHIN),
        type + " for " + orderId);
  }

  private static OrderTrace.Final awaitFinal(String orderId) {
    assertTrue(watcher.awaitFinal(List.of(orderId), WITHIN), "no final state for " + orderId);
    return watcher.trace(orderId).finalEvent().orElseThrow();
  }

  private static void awaitNotifications(String orderId, int count) {
    assertTrue(
        watcher.await(
            () -> watcher.trace(orderId).distinct(EventTypes.NOTIFICATION_SENT) >= count, WITHIN),
        count
            + " notification.sent for "
            + orderId
            + ", got "
            + watcher.trace(orderId).distinct(EventTypes.NOTIFICATION_SENT));
    assertEquals(count, watcher.trace(orderId).distinct(EventTypes.NOTIFICATION_SENT));
  }

  /** A courier's event in binary mode, as their system writes it; its id. */
  private static String courierBinary(String type, String orderId, String courier, String extra)
      throws IOException, InterruptedException {
    String id = "courier-event-" + UUID.randomUUID();
    String data =
        "{\"orderId\":\"%s\",\"courierId\":\"%s\",\"at\":\"%s\"%s}"
            .formatted(orderId, courier, Instant.now(), extra);
    kcat(
        data,
        orderId,
        "ce_specversion=1.0",
        "ce_id=" + id,
        "ce_source=/couriers/e2e",
        "ce_type=" + type,
        "content-type=application/json");
    return id;
  }

  /** A courier's event in structured mode: the CloudEvent as the record's value. */
  private static String courierStructured(String type, String orderId, String courier, String extra)
      throws IOException, InterruptedException {
    String id = "courier-event-" + UUID.randomUUID();
    String envelope =
        ("{\"specversion\":\"1.0\",\"id\":\"%s\",\"source\":\"/couriers/e2e\",\"type\":\"%s\","
                + "\"datacontenttype\":\"application/json\",\"data\":{\"orderId\":\"%s\","
                + "\"courierId\":\"%s\",\"at\":\"%s\"%s}}")
            .formatted(id, type, orderId, courier, Instant.now(), extra);
    kcat(envelope, orderId, "content-type=application/cloudevents+json");
    return id;
  }

  private static void kcat(String value, String key, String... headers)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of("kcat", "-P", "-b", stack.kafkaBootstrap(), "-t", Topics.COURIERS, "-k", key));
    for (String h : headers) {
      command.add("-H");
      command.add(h);
    }
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().write(value.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "kcat finished");
    assertEquals(
        0, p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  /** Many records at once, one a line as {@code key|value}, with the same headers. */
  private static void kcatLines(String lines, String... headers)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of("kcat", "-P", "-b", stack.kafkaBootstrap(), "-t", Topics.COURIERS, "-K", "|"));
    for (String h : headers) {
      command.add("-H");
      command.add(h);
    }
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().write(lines.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "kcat finished");
    assertEquals(
        0, p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  /** The dead-letter-reason of the dead letters of these ce_ids, read off the topic with kcat. */
  private static Map<String, String> deadLetterReasons(List<String> ids) {
    try {
      Process p =
          new ProcessBuilder(
                  "kcat",
                  "-C",
                  "-b",
                  stack.kafkaBootstrap(),
                  "-t",
                  Topics.DEAD_LETTER,
                  "-o",
                  "beginning",
                  "-e",
                  "-q",
                  "-f",
                  "%h\\n")
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(30, TimeUnit.SECONDS);
      Map<String, String> found = new HashMap<>();
      for (String line : out.split("\n")) {
        for (String id : ids) {
          if (line.contains("ce_id=" + id + ",") || line.endsWith("ce_id=" + id)) {
            for (String h : line.split(",")) {
              if (h.startsWith("dead-letter-reason=")) {
                found.put(id, h.substring("dead-letter-reason=".length()));
              }
            }
          }
        }
      }
      return found;
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String book(long cents, int copies) {
    return TestData.book(http, store, CATALOG_TOKEN, "Delivered " + RUN, cents, copies);
  }

  private static List<Integer> stockLevel(String isbn) {
    assertTrue(
        watcher.await(
            () -> {
              JsonNode l = store.stockLevel(isbn).join().expect(200, "stock level").json();
              return l.path("reserved").asInt() == 0;
            },
            WITHIN),
        "no copies held for " + isbn);
    JsonNode level = store.stockLevel(isbn).join().expect(200, "stock level").json();
    return List.of(level.path("onHand").asInt(), level.path("reserved").asInt());
  }

  private static String one(String sql, String parameter) throws SQLException {
    return TestData.one(sql, parameter);
  }
}
