package com.bookstore.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bookstore.events.EventTypes;
import com.bookstore.events.Routing.Functions;
import com.bookstore.events.Topology;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The order saga end to end: the nine functions as separate processes (the packaged apps) in
 * Kafka-direct mode on the real broker, Redis and PostgreSQL of the local stack; outcomes checked
 * in the databases, on the topic and in the SMTP server's mailbox.
 *
 * <p>The tests run in order: the last one replays every event of the run and checks that nothing
 * happens twice, so it needs the others' orders.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OrderSagaEndToEndTest {
  private static final Duration FINAL_WITHIN = Duration.ofSeconds(60);
  private static final String ADMIN_TOKEN = "e2e-admin-" + UUID.randomUUID();

  /**
   * Short enough that the never-answering payment is timed out quickly, long enough for tok_slow.
   */
  private static final String AUTHORIZE_LIMIT = "PT5S";

  private static final Map<String, String> ENV = System.getenv();
  private static final String RUN = Long.toString(System.currentTimeMillis(), 36);

  private static Stack stack;
  private static Apps apps;
  private static TopicWatcher watcher;
  private static Http http;
  private static Bookstore store;
  private static Mailbox mailbox;
  private static long runStartedAt;
  private static Shop.Customer customer;

  /** Every order this run placed, for the replay check. */
  private static final List<String> ORDERS = new ArrayList<>();

  @BeforeAll
  static void startTheBookstore() {
    stack = Stack.fromEnvironment();
    http = new Http();
    mailbox =
        Mailbox.fromEnvironment(ENV, http)
            .orElseThrow(() -> new IllegalStateException("no BOOKSTORE_MAIL_API_URL: stack env?"));
    apps = Apps.create(stack, "e2e");
    List<App> all = new ArrayList<>();
    for (App app : App.BOOKSTORE) {
      App configured =
          switch (app.function()) {
            case Functions.CATALOG -> app.withEnv("CATALOG_ADMIN_TOKEN", ADMIN_TOKEN);
            case Functions.SAGA_STEP, Functions.COMPENSATE ->
                app.withProperty("saga.order.time-limit.authorize-payment", AUTHORIZE_LIMIT);
            default -> app;
          };
      all.add(configured);
    }
    runStartedAt = System.currentTimeMillis();
    watcher = TopicWatcher.start(stack.kafkaBootstrap());
    apps.start(all);
    store = Bookstore.of(http, apps);
    customer = new Shop(store).customers(1, "e2e-" + RUN).get(0);
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
  @Order(1)
  void happyPathIsConfirmedWithStockCommittedPaymentCapturedAndOneNotification() throws Exception {
    String isbn = book(1999, 5);
    int mailsBefore = mailbox.count(customer.email());

    String orderId = place(List.of(new Bookstore.Line(isbn, 2)), "tok_visa");
    OrderTrace.Final last = awaitFinal(orderId);

    assertTrue(last.confirmed(), "confirmed, got " + last);
    awaitOrderStatus(orderId, "CONFIRMED");
    assertEquals("COMPLETED", sagaStatus(orderId));
    assertEquals(List.of(3, 0), stockLevel(isbn), "5 on hand, 2 sold, none held");
    assertEquals("CAPTURED", paymentStatus(orderId));
    assertEquals(3998L, capturedCents(orderId));
    awaitNotifications(orderId, 1);
    assertTrue(
        watcher.await(() -> mailbox.count(customer.email()) == mailsBefore + 1, FINAL_WITHIN),
        "one e-mail to the customer");
    JsonNode order = store.order(orderId, customer.token()).expect(200, "GET order").json();
    assertEquals("CONFIRMED", order.path("status").asText());
    assertTrue(order.path("history").size() >= 5, "history: " + order.path("history"));
  }

  @Test
  @Order(2)
  void outOfStockIsCancelledNothingChargedAndNotified() throws Exception {
    String isbn = book(2500, 1);

    String orderId = place(List.of(new Bookstore.Line(isbn, 3)), "tok_visa");
    OrderTrace.Final last = awaitFinal(orderId);

    assertEquals(EventTypes.ORDER_CANCELLED, last.type());
    assertEquals("out-of-stock", last.reason());
    awaitOrderStatus(orderId, "CANCELLED");
    assertEquals("COMPENSATED", sagaStatus(orderId));
    assertEquals(0, watcher.trace(orderId).distinct(EventTypes.PAYMENT_AUTHORIZE), "never charged");
    assertEquals(null, paymentStatus(orderId), "no payment row");
    assertEquals(List.of(1, 0), stockLevel(isbn));
    awaitNotifications(orderId, 1);
  }

  @Test
  @Order(3)
  void declinedPaymentReleasesTheStockAndCancels() throws Exception {
    String isbn = book(1500, 4);

    String orderId = place(List.of(new Bookstore.Line(isbn, 2)), "tok_declined");
    OrderTrace.Final last = awaitFinal(orderId);

    assertEquals(EventTypes.ORDER_CANCELLED, last.type());
    assertEquals("payment-declined", last.reason());
    awaitOrderStatus(orderId, "CANCELLED");
    assertEquals(1, watcher.trace(orderId).distinct(EventTypes.STOCK_RELEASE), "stock released");
    assertEquals(List.of(4, 0), stockLevel(isbn), "every copy back");
    assertEquals("DECLINED", paymentStatus(orderId));
    awaitNotifications(orderId, 1);
  }

  @Test
  @Order(4)
  void paymentThatNeverAnswersIsTimedOutBySweepAndCompensated() throws Exception {
    String isbn = book(1200, 3);

    String orderId = place(List.of(new Bookstore.Line(isbn, 1)), "tok_no_answer");
    OrderTrace.Final last = awaitFinal(orderId);

    assertEquals(EventTypes.ORDER_CANCELLED, last.type());
    assertEquals("authorize-payment timed out", last.reason());
    OrderTrace trace = watcher.trace(orderId);
    assertTrue(trace.distinct(EventTypes.SAGA_DEADLINE_PASSED) >= 1, "the sweep found it");
    assertEquals(1, trace.distinct(EventTypes.PAYMENT_REFUND), "refund sent: it may have acted");
    assertEquals(1, trace.distinct(EventTypes.STOCK_RELEASE), "then the stock released");
    assertEquals(List.of(3, 0), stockLevel(isbn));
    awaitOrderStatus(orderId, "CANCELLED");
    assertEquals("COMPENSATED", sagaStatus(orderId));
    awaitNotifications(orderId, 1);
  }

  @Test
  @Order(5)
  void orderPlacedByAnotherSystemWithKcatIsPricedByTheCatalogAndProcessedLikeAnyOther()
      throws Exception {
    String isbn = book(1000, 2);
    String commandId = "partner-" + RUN + "-" + UUID.randomUUID();
    // The partner's own customer: a system outside the bookstore has no session, only its id.
    String partnerCustomer = "partner-customer-" + RUN;
    // The sender names books and quantities, never prices: place-order prices the cart.
    String data =
        """
        {"customerId":"%s","email":"%s","items":[{"isbn":"%s","quantity":1}],
         "paymentMethod":"tok_visa"}
        """
            .formatted(partnerCustomer, customer.email(), isbn)
            .replace("\n", "");
    kcat(
        data,
        partnerCustomer,
        "ce_specversion=1.0",
        "ce_id=" + commandId,
        "ce_source=/partner/shop",
        "ce_type=" + EventTypes.ORDER_PLACE,
        "ce_partitionkey=" + partnerCustomer,
        "content-type=application/json");
    String sql =
        "select o.id from orders.customer_order o join orders.order_line l on l.order_id = o.id"
            + " where l.isbn = ?";
    assertTrue(watcher.await(() -> oneOrNull(sql, isbn) != null, FINAL_WITHIN), "order placed");
    String orderId = one(sql, isbn);
    ORDERS.add(orderId);
    assertEquals(
        "1000", one("select total_cents from orders.customer_order where id = ?", orderId));

    OrderTrace.Final last = awaitFinal(orderId);

    assertTrue(last.confirmed(), "confirmed, got " + last);
    assertEquals("COMPLETED", sagaStatus(orderId));
    assertEquals(List.of(1, 0), stockLevel(isbn));
    assertEquals("CAPTURED", paymentStatus(orderId));
    awaitNotifications(orderId, 1);
  }

  @Test
  @Order(6)
  void aFunctionKilledInTheMiddleOfASagaAndRestartedStillCompletesIt() throws Exception {
    String isbn = book(1800, 3);

    // tok_slow: the provider answers after two seconds, so the orchestrator is killed while the
    // saga waits for the payment; the answer arrives while it is down.
    String orderId = place(List.of(new Bookstore.Line(isbn, 1)), "tok_slow");
    assertTrue(
        watcher.await(
            () -> watcher.trace(orderId).distinct(EventTypes.PAYMENT_AUTHORIZE) == 1, FINAL_WITHIN),
        "the saga reached the payment step");
    apps.kill(Functions.SAGA_STEP);
    assertTrue(watcher.trace(orderId).finalEvent().isEmpty(), "not finished when killed");
    assertTrue(
        watcher.await(
            () -> watcher.trace(orderId).distinct(EventTypes.PAYMENT_AUTHORIZED) == 1,
            FINAL_WITHIN),
        "the payment answered while saga-step was down");
    apps.restart(Functions.SAGA_STEP);

    OrderTrace.Final last = awaitFinal(orderId);

    assertTrue(last.confirmed(), "confirmed after the restart, got " + last);
    assertEquals(List.of(2, 0), stockLevel(isbn));
    assertEquals("CAPTURED", paymentStatus(orderId));
    assertEquals(1, watcher.trace(orderId).distinctFinals());
  }

  /**
   * Every event of this run delivered again: each consuming function's group is moved back to the
   * offsets at the start of the run and restarted. Nothing may happen twice.
   */
  @Test
  @Order(7)
  void everyEventOfTheRunDeliveredTwiceHasNoDoubleEffect() throws Exception {
    assertTrue(ORDERS.size() >= 6, "the earlier tests placed their orders: " + ORDERS);
    Map<String, String> outcomeBefore = new HashMap<>();
    Map<String, Integer> historyBefore = new HashMap<>();
    for (String orderId : ORDERS) {
      outcomeBefore.put(
          orderId,
          sagaStatus(orderId) + "/" + paymentStatus(orderId) + "/" + capturedCents(orderId));
      historyBefore.put(orderId, historyRows(orderId));
    }
    int mails = mailbox.count(customer.email());
    long notificationRows = notificationRows();
    long stockSum = totalStock();

    List<String> consumers = apps.apps().stream().filter(App::consumes).map(App::function).toList();
    for (String function : consumers) {
      apps.stop(function);
    }
    rewindGroups(consumers, runStartedAt);
    for (String function : consumers) {
      apps.restart(function);
    }
    for (String function : consumers) {
      String group = App.named(function).consumerGroup(apps.environment());
      assertTrue(
          watcher.await(
              () -> apps.groups().lag(group, App.named(function).topics()) == 0, FINAL_WITHIN),
          function + " caught up with the replay");
    }
    // Let the last redelivered records' effects (if any) land before looking.
    Thread.sleep(2000);

    for (String orderId : ORDERS) {
      assertEquals(
          outcomeBefore.get(orderId),
          sagaStatus(orderId) + "/" + paymentStatus(orderId) + "/" + capturedCents(orderId),
          orderId);
      assertEquals(historyBefore.get(orderId), historyRows(orderId), "history of " + orderId);
      assertEquals(1, watcher.trace(orderId).distinctFinals(), "one final event id " + orderId);
    }
    assertEquals(mails, mailbox.count(customer.email()), "no second e-mail");
    assertEquals(notificationRows, notificationRows(), "no second notification");
    assertEquals(stockSum, totalStock(), "stock unchanged");
    assertTrue(
        duplicates(consumers) > 0,
        "the restarted functions answered the replay from their ledgers");
  }

  // --- helpers ---------------------------------------------------------------------------------

  private static String place(List<Bookstore.Line> lines, String paymentMethod) {
    Http.Response r =
        store.placeOrder(customer.token(), lines, paymentMethod).join().expect(202, "POST /orders");
    String orderId = r.text("orderId");
    ORDERS.add(orderId);
    return orderId;
  }

  private static OrderTrace.Final awaitFinal(String orderId) {
    assertTrue(
        watcher.awaitFinal(List.of(orderId), FINAL_WITHIN),
        "order " + orderId + " reached no final state in " + FINAL_WITHIN.toSeconds() + " s");
    return watcher.trace(orderId).finalEvent().orElseThrow();
  }

  private static void awaitNotifications(String orderId, int count) {
    assertTrue(
        watcher.await(
            () -> watcher.trace(orderId).distinct(EventTypes.NOTIFICATION_SENT) >= count,
            FINAL_WITHIN),
        "notification.sent for " + orderId);
    assertEquals(count, watcher.trace(orderId).distinct(EventTypes.NOTIFICATION_SENT));
  }

  private static String book(long cents, int copies) {
    return TestData.book(http, store, ADMIN_TOKEN, "End to End " + RUN, cents, copies);
  }

  private static void kcat(String value, String key, String... headers)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(
                "kcat",
                "-P",
                "-b",
                stack.kafkaBootstrap(),
                "-t",
                Topology.topicOf(EventTypes.ORDER_PLACE),
                "-k",
                key));
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

  private static void rewindGroups(List<String> functions, long toEpochMillis) throws Exception {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
    try (Admin admin = Admin.create(p)) {
      List<String> topics = TopicWatcher.eventTopics();
      Map<TopicPartition, OffsetSpec> when = new HashMap<>();
      for (TopicPartition tp : apps.groups().partitions(topics)) {
        when.put(tp, OffsetSpec.forTimestamp(toEpochMillis));
      }
      Map<TopicPartition, OffsetAndMetadata> start = new HashMap<>();
      Map<TopicPartition, Long> ends = apps.groups().endOffsets(topics);
      admin
          .listOffsets(when)
          .all()
          .get(30, TimeUnit.SECONDS)
          .forEach(
              (tp, info) ->
                  start.put(
                      tp, new OffsetAndMetadata(info.offset() < 0 ? ends.get(tp) : info.offset())));
      for (String function : functions) {
        String group = App.named(function).consumerGroup(apps.environment());
        List<String> own = App.named(function).topics();
        Map<TopicPartition, OffsetAndMetadata> its = new HashMap<>(start);
        its.keySet().removeIf(tp -> !own.contains(tp.topic()));
        admin.alterConsumerGroupOffsets(group, its).all().get(30, TimeUnit.SECONDS);
      }
    }
  }

  /** Redeliveries answered from the idempotency ledger since these functions (re)started. */
  private static long duplicates(List<String> functions) {
    long sum = 0;
    for (String function : functions) {
      sum += store.kitStats(function).expect(200, "kit stats").json().path("duplicates").asLong();
    }
    return sum;
  }

  private static List<Integer> stockLevel(String isbn) {
    JsonNode level = store.stockLevel(isbn).join().expect(200, "stock level").json();
    return List.of(level.path("onHand").asInt(), level.path("reserved").asInt());
  }

  private static String sagaStatus(String orderId) throws SQLException {
    return one("select status from saga.saga where id = ?", orderId);
  }

  private static String paymentStatus(String orderId) throws SQLException {
    return one("select status from payment.payment where order_id = ?", orderId);
  }

  private static Long capturedCents(String orderId) throws SQLException {
    String cents =
        one(
            "select amount_cents::text from payment.payment where order_id = ? and status ="
                + " 'CAPTURED'",
            orderId);
    return cents == null ? null : Long.valueOf(cents);
  }

  private static int historyRows(String orderId) throws SQLException {
    return Integer.parseInt(
        one("select count(*)::text from orders.order_history where order_id = ?", orderId));
  }

  private static long notificationRows() throws SQLException {
    return Long.parseLong(
        one(
            "select count(*)::text from notify.notification where order_id = any(string_to_array(?,"
                + " ','))",
            String.join(",", ORDERS)));
  }

  private static long totalStock() throws SQLException {
    return Long.parseLong(
        one(
            "select coalesce(sum(on_hand * 1000 + reserved), 0)::text from stock.stock_level"
                + " where isbn like ?",
            "979%"));
  }

  /** place-order follows the saga's facts on their own topics: its view catches up shortly. */
  private static void awaitOrderStatus(String orderId, String status) {
    String sql = "select status from orders.customer_order where id = ?";
    assertTrue(
        watcher.await(() -> status.equals(oneOrNull(sql, orderId)), FINAL_WITHIN),
        "place-order says " + status + " for " + orderId + ", got " + oneOrNull(sql, orderId));
  }

  private static String oneOrNull(String sql, String parameter) {
    try {
      return one(sql, parameter);
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  private static String one(String sql, String parameter) throws SQLException {
    return TestData.one(sql, parameter);
  }
}
