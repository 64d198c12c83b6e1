package com.bookstore.dispatch;

import static com.bookstore.kit.testing.CloudEventRequest.event;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bookstore.events.EventTypes;
import com.bookstore.events.courier.CourierDelivered;
import com.bookstore.events.courier.CourierFailed;
import com.bookstore.events.courier.CourierLocationUpdated;
import com.bookstore.events.courier.CourierPickedUp;
import com.bookstore.events.delivery.AssignDelivery;
import com.bookstore.events.delivery.CancelDelivery;
import com.bookstore.events.delivery.DeliveryAddress;
import com.bookstore.events.delivery.DeliveryPickupOverdue;
import com.bookstore.events.delivery.DispatchDelivery;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * dispatch-courier over HTTP CloudEvents against the real PostgreSQL and Redis. Each test makes its
 * own zone and couriers (a fresh random zone), so tests do not share couriers.
 */
@QuarkusTest
class DispatchCourierTest {
  private static final String TOKEN = "test-dispatch-token";

  // ---- helpers --------------------------------------------------------------------------------

  private static String zone() {
    // Four characters from a fresh UUID, upper-cased: a zone nobody else in the run uses.
    String hex = UUID.randomUUID().toString().replace("-", "").toUpperCase();
    return "Z" + hex.substring(0, 3);
  }

  private static String courier(String zone, int capacity) {
    String id = "courier-" + UUID.randomUUID();
    putCourier(id, List.of(zone), capacity, true).then().statusCode(201);
    return id;
  }

  private static Response putCourier(
      String id, List<String> zones, int capacity, boolean available) {
    return given()
        .header("Authorization", "Bearer " + TOKEN)
        .contentType(ContentType.JSON)
        .body(
            Map.of(
                "name",
                "Test " + id.substring(8, 12),
                "zones",
                zones,
                "capacity",
                capacity,
                "available",
                available))
        .put("/admin/couriers/" + id);
  }

  private static String order() {
    return "order-" + UUID.randomUUID();
  }

  private static Response assign(String order, String zone) {
    return event(EventTypes.DELIVERY_ASSIGN)
        .attribute("partitionkey", order)
        .data(
            new AssignDelivery(
                order,
                "user-1",
                "ada@example.com",
                new DeliveryAddress("1 rue X", "Paris", zone + "1", zone)))
        .post();
  }

  private static Response dispatch(String order) {
    return event(EventTypes.DELIVERY_DISPATCH).data(new DispatchDelivery(order)).post();
  }

  private static Response pickedUp(String order, String courier) {
    return event(EventTypes.COURIER_PICKED_UP)
        .source("/couriers/test")
        .data(new CourierPickedUp(order, courier, Instant.now()))
        .post();
  }

  private static Response delivered(String order, String courier) {
    return event(EventTypes.COURIER_DELIVERED)
        .source("/couriers/test")
        .data(new CourierDelivered(order, courier, Instant.now()))
        .post();
  }

  private static Response located(String order, String courier, double lat, Instant at) {
    return event(EventTypes.COURIER_LOCATION_UPDATED)
        .source("/couriers/test")
        .data(new CourierLocationUpdated(order, courier, lat, 2.35, at))
        .post();
  }

  private static Response overdue(String order, int attempt) {
    return event(EventTypes.DELIVERY_PICKUP_OVERDUE)
        .data(new DeliveryPickupOverdue(order, attempt, Instant.now()))
        .post();
  }

  private static JsonPath delivery(String order) {
    return given().get("/deliveries/" + order).then().statusCode(200).extract().jsonPath();
  }

  private static int active(String courier) {
    List<Map<String, Object>> all =
        given().get("/couriers").then().statusCode(200).extract().jsonPath().getList("$");
    return all.stream()
        .filter(c -> courier.equals(c.get("id")))
        .map(c -> (Integer) c.get("active"))
        .findFirst()
        .orElseThrow();
  }

  // ---- assignment -----------------------------------------------------------------------------

  @Test
  void assignsACourierOfTheZoneAndCountsTheDeliveryAgainstTheirCapacity() {
    String zone = zone();
    String courier = courier(zone, 2);
    String order = order();
    assign(order, zone)
        .then()
        .statusCode(200)
        .header("ce-type", EventTypes.DELIVERY_ASSIGNED)
        .header("ce-subject", order)
        .body("courierId", equalTo(courier))
        .body("zone", equalTo(zone))
        .body("attempt", equalTo(1));
    assertEquals(1, active(courier));
    assertEquals("ASSIGNED", delivery(order).getString("status"));
  }

  @Test
  void manyConcurrentRequestsForOneFreeCourierGiveExactlyOneAssignment() throws Exception {
    String zone = zone();
    String courier = courier(zone, 1);
    int n = 40;
    ExecutorService pool = Executors.newFixedThreadPool(16);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<String>> answers = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String order = order();
      answers.add(
          pool.submit(
              () -> {
                go.await();
                return assign(order, zone).then().statusCode(200).extract().header("ce-type");
              }));
    }
    go.countDown();
    int assigned = 0;
    int rejected = 0;
    for (Future<String> f : answers) {
      String type = f.get();
      if (EventTypes.DELIVERY_ASSIGNED.equals(type)) {
        assigned++;
      } else if (EventTypes.DELIVERY_REJECTED.equals(type)) {
        rejected++;
      }
    }
    pool.shutdown();
    assertEquals(1, assigned, "assignments");
    assertEquals(n - 1, rejected, "rejections");
    assertEquals(1, active(courier));
  }

  @Test
  void noCourierForTheZoneIsRejectedWithTheReasonAndAFullZoneWithAnother() {
    String empty = zone();
    assign(order(), empty)
        .then()
        .header("ce-type", EventTypes.DELIVERY_REJECTED)
        .body("reason", equalTo("no-courier-for-zone"))
        .body("zone", equalTo(empty));
    String zone = zone();
    String courier = courier(zone, 1);
    assign(order(), zone).then().header("ce-type", EventTypes.DELIVERY_ASSIGNED);
    assign(order(), zone)
        .then()
        .header("ce-type", EventTypes.DELIVERY_REJECTED)
        .body("reason", equalTo("no-courier-available"));
    putCourier(courier, List.of(zone), 5, false).then().statusCode(200);
    assign(order(), zone)
        .then()
        .header("ce-type", EventTypes.DELIVERY_REJECTED)
        .body("reason", equalTo("no-courier-available"));
  }

  @Test
  void aRedeliveredAssignAnswersTheSameCourierAndReservesNoOneElse() {
    String zone = zone();
    String first = courier(zone, 5);
    String order = order();
    var request =
        event(EventTypes.DELIVERY_ASSIGN)
            .data(
                new AssignDelivery(
                    order,
                    "user-1",
                    "ada@example.com",
                    new DeliveryAddress("1 rue X", "Paris", zone, zone)));
    String id1 = request.post().then().statusCode(200).extract().header("ce-id");
    // the same command with a fresh id (as after Redis forgot it): the row answers
    var again =
        event(EventTypes.DELIVERY_ASSIGN)
            .data(
                new AssignDelivery(
                    order,
                    "user-1",
                    "ada@example.com",
                    new DeliveryAddress("1 rue X", "Paris", zone, zone)));
    again
        .post()
        .then()
        .header("ce-type", EventTypes.DELIVERY_ASSIGNED)
        .body("courierId", equalTo(first));
    assertEquals(id1, request.post().then().extract().header("ce-id"), "ledger answer");
    assertEquals(1, active(first));
  }

  // ---- the ride --------------------------------------------------------------------------------

  @Test
  void pickedUpThenDeliveredFreesTheCourierAndListsEveryStepWithItsTime() {
    String zone = zone();
    String courier = courier(zone, 1);
    String order = order();
    assign(order, zone).then().header("ce-type", EventTypes.DELIVERY_ASSIGNED);
    dispatch(order).then().statusCode(202);
    assertEquals("READY", delivery(order).getString("status"));
    pickedUp(order, courier)
        .then()
        .statusCode(200)
        .header("ce-type", EventTypes.DELIVERY_PICKED_UP)
        .body("email", equalTo("ada@example.com"));
    located(order, courier, 48.85, Instant.now()).then().statusCode(202);
    delivered(order, courier)
        .then()
        .statusCode(200)
        .header("ce-type", EventTypes.DELIVERY_DELIVERED);
    JsonPath d = delivery(order);
    assertEquals("DELIVERED", d.getString("status"));
    assertEquals(courier, d.getString("courierId"));
    assertEquals(48.85, d.getDouble("lastLocation.latitude"), 1e-9);
    assertEquals(List.of("assigned", "ready", "picked-up", "delivered"), d.getList("steps.step"));
    assertTrue(d.getList("steps.at").stream().allMatch(t -> t != null));
    assertEquals(0, active(courier));
  }

  @Test
  void onlyTheLatestLocationIsKeptWhateverOrderTheUpdatesArriveIn() {
    String zone = zone();
    String courier = courier(zone, 1);
    String order = order();
    assign(order, zone);
    dispatch(order);
    Instant t = Instant.parse("2026-12-03T10:00:00Z");
    located(order, courier, 48.0, t.plusSeconds(10)).then().statusCode(202);
    located(order, courier, 47.0, t).then().statusCode(202);
    located(order, courier, 49.0, t.plusSeconds(20)).then().statusCode(202);
    located(order, courier, 46.0, t.plusSeconds(5)).then().statusCode(202);
    JsonPath d = delivery(order);
    assertEquals(49.0, d.getDouble("lastLocation.latitude"), 1e-9);
    assertEquals(List.of("assigned", "ready"), d.getList("steps.step"), "no history of locations");
  }

  @Test
  void aCourierWhoFailsAfterPickupFailsTheDeliveryWithTheirReason() {
    String zone = zone();
    String courier = courier(zone, 1);
    String order = order();
    assign(order, zone);
    dispatch(order);
    pickedUp(order, courier);
    event(EventTypes.COURIER_FAILED)
        .source("/couriers/test")
        .data(new CourierFailed(order, courier, "address not found", Instant.now()))
        .post()
        .then()
        .statusCode(200)
        .header("ce-type", EventTypes.DELIVERY_FAILED)
        .body("reason", equalTo("courier: address not found"))
        .body("courierId", equalTo(courier));
    assertEquals("FAILED", delivery(order).getString("status"));
    assertEquals(0, active(courier));
  }

  // ---- pickup timeouts --------------------------------------------------------------------------

  @Test
  void aCourierWhoDoesNotPickUpInTimeIsReplacedByAnotherOfTheZone() {
    String zone = zone();
    String first = courier(zone, 1);
    String order = order();
    assign(order, zone).then().body("courierId", equalTo(first));
    String second = courier(zone, 1);
    dispatch(order);
    awaitPickupDue(order);
    overdue(order, 1)
        .then()
        .statusCode(200)
        .header("ce-type", EventTypes.DELIVERY_REASSIGNED)
        .body("courierId", equalTo(second))
        .body("previousCourierId", equalTo(first))
        .body("attempt", equalTo(2));
    assertEquals(0, active(first));
    assertEquals(1, active(second));
    // the first courier's late pickup is refused; the new one's counts
    pickedUp(order, first)
        .then()
        .statusCode(422)
        .body("type", startsWith("https://bookstore.example.com/problems/wrong-courier"));
    pickedUp(order, second).then().statusCode(200).header("ce-type", EventTypes.DELIVERY_PICKED_UP);
    // the same overdue event again (a second sweep) changes nothing
    overdue(order, 1).then().statusCode(202);
    assertEquals(2, delivery(order).getInt("attempts"));
  }

  @Test
  void whenEveryAttemptTimesOutTheDeliveryFails() {
    String zone = zone();
    List<String> couriers =
        List.of(courier(zone, 1), courier(zone, 1), courier(zone, 1), courier(zone, 1));
    String order = order();
    assign(order, zone);
    dispatch(order);
    for (int attempt = 1; attempt <= 2; attempt++) {
      awaitPickupDue(order);
      overdue(order, attempt).then().header("ce-type", EventTypes.DELIVERY_REASSIGNED);
    }
    awaitPickupDue(order);
    overdue(order, 3)
        .then()
        .statusCode(200)
        .header("ce-type", EventTypes.DELIVERY_FAILED)
        .body("attempts", equalTo(3))
        .body("reason", startsWith("not picked up in time; no pickup after 3"));
    JsonPath d = delivery(order);
    assertEquals("FAILED", d.getString("status"));
    assertEquals(3, d.getList("couriersTried").size());
    for (String c : couriers) {
      assertEquals(0, active(c), c);
    }
  }

  @Test
  void anOverdueEventBeforeTheDeadlineIsNotAnsweredForGood() {
    String zone = zone();
    courier(zone, 1);
    courier(zone, 1);
    String order = order();
    assign(order, zone);
    // not dispatched yet: no pickup clock; and once dispatched, not yet due
    overdue(order, 1).then().statusCode(202);
    assertEquals("ASSIGNED", delivery(order).getString("status"));
  }

  private static void awaitPickupDue(String order) {
    Instant deadline = Instant.parse(delivery(order).getString("pickupDeadline"));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> Instant.now().isAfter(deadline.plusMillis(200)));
  }

  // ---- refused couriers' events
  // ------------------------------------------------------------------

  @Test
  void unknownDeliveryWrongCourierAndOutOfOrderAreRefusedEachWithItsReasonAndChangeNothing() {
    String zone = zone();
    String courier = courier(zone, 1);
    String order = order();
    assign(order, zone).then().body("courierId", equalTo(courier));
    String stranger = courier(zone, 1);
    dispatch(order);
    delivered("order-nobody-" + UUID.randomUUID(), courier)
        .then()
        .statusCode(422)
        .body("type", equalTo("https://bookstore.example.com/problems/unknown-delivery"));
    pickedUp(order, stranger)
        .then()
        .statusCode(422)
        .body("type", equalTo("https://bookstore.example.com/problems/wrong-courier"))
        .body("detail", org.hamcrest.Matchers.containsString(courier));
    delivered(order, courier)
        .then()
        .statusCode(422)
        .body("type", equalTo("https://bookstore.example.com/problems/out-of-order"))
        .body("detail", org.hamcrest.Matchers.containsString("READY"));
    located(order, stranger, 10.0, Instant.now())
        .then()
        .statusCode(422)
        .body("type", equalTo("https://bookstore.example.com/problems/wrong-courier"));
    JsonPath d = delivery(order);
    assertEquals("READY", d.getString("status"));
    assertTrue(d.get("lastLocation") == null, "no location from the stranger");
    assertEquals(List.of("assigned", "ready"), d.getList("steps.step"));
  }

  // ---- cancellation
  // -------------------------------------------------------------------------------

  @Test
  void cancellingFreesTheCourierAndACancelWithoutDeliveryStillAnswers() {
    String zone = zone();
    String courier = courier(zone, 1);
    String order = order();
    assign(order, zone);
    event(EventTypes.DELIVERY_CANCEL)
        .data(new CancelDelivery(order, "capture-payment timed out"))
        .post()
        .then()
        .statusCode(200)
        .header("ce-type", EventTypes.DELIVERY_CANCELLED);
    assertEquals("CANCELLED", delivery(order).getString("status"));
    assertEquals(0, active(courier));
    String never = order();
    event(EventTypes.DELIVERY_CANCEL)
        .data(new CancelDelivery(never, "no-courier"))
        .post()
        .then()
        .header("ce-type", EventTypes.DELIVERY_CANCELLED);
    // a late assign after the cancel reserves nobody
    assign(never, zone).then().statusCode(202);
    assertEquals(0, active(courier));
  }

  // ---- admin API
  // ------------------------------------------------------------------------------------

  @Test
  void theAdminApiWantsTheTokenAndNamesEveryBadField() {
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("name", "X", "zones", List.of("75"), "capacity", 1))
        .put("/admin/couriers/c1")
        .then()
        .statusCode(401);
    given()
        .header("Authorization", "Bearer " + TOKEN)
        .contentType(ContentType.JSON)
        .body(Map.of("name", "", "zones", List.of("paris"), "capacity", -1))
        .put("/admin/couriers/c1")
        .then()
        .statusCode(400)
        .body("errors.field", org.hamcrest.Matchers.hasItems("/name", "/zones/0", "/capacity"));
    given()
        .header("Authorization", "Bearer " + TOKEN)
        .contentType(ContentType.JSON)
        .body(Map.of("available", false))
        .put("/admin/couriers/nobody-" + UUID.randomUUID() + "/availability")
        .then()
        .statusCode(404);
  }

  @Test
  void anUnavailableCourierGetsNoNewDeliveriesButKeepsTheirs() {
    String zone = zone();
    String courier = courier(zone, 3);
    String kept = order();
    assign(kept, zone).then().body("courierId", equalTo(courier));
    given()
        .header("Authorization", "Bearer " + TOKEN)
        .contentType(ContentType.JSON)
        .body(Map.of("available", false))
        .put("/admin/couriers/" + courier + "/availability")
        .then()
        .statusCode(200)
        .body("available", equalTo(false));
    assign(order(), zone).then().header("ce-type", EventTypes.DELIVERY_REJECTED);
    dispatch(kept);
    pickedUp(kept, courier).then().header("ce-type", EventTypes.DELIVERY_PICKED_UP);
  }
}
