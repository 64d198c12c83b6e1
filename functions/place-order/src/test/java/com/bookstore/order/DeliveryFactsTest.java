package com.bookstore.order;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bookstore.events.EventJson;
import com.bookstore.events.EventTypes;
import com.bookstore.events.delivery.DeliveryFailed;
import com.bookstore.events.delivery.DeliveryReassigned;
import com.bookstore.events.saga.SagaFailed;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What the delivery facts mean for an order, and the delivery address of a request. */
class DeliveryFactsTest {

  private static OrderFacts.Fact read(String type, Object data) {
    return OrderFacts.read(type, EventJson.mapper().valueToTree(data)).orElseThrow();
  }

  @Test
  void aReassignmentMovesTheDeliveryButNotTheOrder() {
    OrderFacts.Fact fact =
        read(
            EventTypes.DELIVERY_REASSIGNED,
            new DeliveryReassigned(
                "o-1", "c-2", "Louis", "c-1", 2, "late", "a@b.c", Instant.EPOCH));
    assertNull(fact.moveTo());
    assertEquals(DeliveryStatus.REASSIGNED, fact.delivery().status());
    assertEquals("c-2", fact.delivery().courierId());
    assertEquals(2, fact.delivery().attempts());
  }

  @Test
  void aFailureWithoutACourierKeepsTheCourierItHad() {
    OrderFacts.Fact fact =
        read(
            EventTypes.DELIVERY_FAILED,
            new DeliveryFailed(
                "o-1", null, "not picked up after 3 attempts", 3, "a@b.c", Instant.EPOCH));
    assertNull(fact.delivery().courierId());
    assertEquals("delivery failed after 3 attempts: not picked up after 3 attempts", fact.detail());
  }

  @Test
  void theDeliveryOnlyMovesFurtherAlong() {
    int assigned = DeliveryStatus.ASSIGNED.progress(1);
    int second = DeliveryStatus.REASSIGNED.progress(2);
    int third = DeliveryStatus.REASSIGNED.progress(3);
    int pickedUp = DeliveryStatus.PICKED_UP.progress(0);
    int cancelled = DeliveryStatus.CANCELLED.progress(0);
    assertTrue(assigned < second && second < third && third < pickedUp && pickedUp < cancelled);
    for (DeliveryStatus last :
        new DeliveryStatus[] {
          DeliveryStatus.DELIVERED, DeliveryStatus.FAILED, DeliveryStatus.REJECTED
        }) {
      assertTrue(cancelled < last.progress(0), last.name());
      // final states do not replace each other
      assertEquals(DeliveryStatus.DELIVERED.progress(0), last.progress(5));
    }
  }

  @Test
  void theDeliveredOrderSagasFailureCancelsTheOrder() {
    assertEquals(
        OrderStatus.CANCELLING,
        read(
                EventTypes.SAGA_FAILED,
                new SagaFailed("o-1", "order-delivered", "assign-courier", "no-courier"))
            .moveTo());
  }

  private static Cart parse(String json) {
    return OrderForm.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void anAddressIsReadWithItsZoneAndChangesTheFingerprint() {
    String items =
        "\"items\":[{\"isbn\":\"9780000000001\",\"quantity\":1}],\"paymentMethod\":\"t\"";
    Cart shop = parse("{" + items + "}");
    Cart delivered =
        parse(
            "{"
                + items
                + ",\"deliveryAddress\":{\"street\":\" 1 Main St \",\"city\":\"Leeds\","
                + "\"postcode\":\"ls1 4ap\"}}");
    assertNull(shop.delivery());
    assertEquals("1 Main St", delivered.delivery().street());
    assertEquals("LS", delivered.delivery().zone());
    assertTrue(!shop.fingerprint().equals(delivered.fingerprint()));
    // an explicit null is collection at the shop, the same request as none
    assertEquals(
        shop.fingerprint(), parse("{" + items + ",\"deliveryAddress\":null}").fingerprint());
  }

  @Test
  void aZoneIsNotTheCustomersToGive() {
    OrderProblem p =
        assertThrows(
            OrderProblem.class,
            () ->
                parse(
                    "{\"items\":[{\"isbn\":\"9780000000001\",\"quantity\":1}],\"paymentMethod\":\"t\","
                        + "\"deliveryAddress\":{\"street\":\"s\",\"city\":\"c\",\"postcode\":\"75011\","
                        + "\"zone\":\"XX\"}}"));
    assertEquals("/deliveryAddress/zone", p.problem().errors().get(0).field());
  }
}
