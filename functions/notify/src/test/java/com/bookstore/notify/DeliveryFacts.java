package com.bookstore.notify;

import com.bookstore.events.EventTypes;
import com.bookstore.events.delivery.DeliveryAssigned;
import com.bookstore.events.delivery.DeliveryDelivered;
import com.bookstore.events.delivery.DeliveryFailed;
import com.bookstore.events.delivery.DeliveryPickedUp;
import com.bookstore.events.delivery.DeliveryReassigned;
import com.bookstore.kit.testing.CloudEventRequest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The delivery facts notify takes, as dispatch-courier emits them. */
final class DeliveryFacts {
  private DeliveryFacts() {}

  static final String SOURCE = "/bookstore/functions/dispatch-courier";

  private static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MILLIS);
  }

  static DeliveryAssigned assigned(String order, String email, String courierName) {
    return new DeliveryAssigned(order, "courier-75-1", courierName, "75", 1, email, now());
  }

  static DeliveryReassigned reassigned(
      String order, String email, String courierName, int attempt) {
    return new DeliveryReassigned(
        order,
        "courier-75-" + attempt,
        courierName,
        "courier-75-" + (attempt - 1),
        attempt,
        "not picked up in time",
        email,
        now());
  }

  static DeliveryPickedUp pickedUp(String order, String email) {
    return new DeliveryPickedUp(order, "courier-75-2", email, now());
  }

  static DeliveryDelivered delivered(String order, String email) {
    return new DeliveryDelivered(order, "courier-75-2", email, now());
  }

  static DeliveryFailed failed(String order, String email, String reason) {
    return new DeliveryFailed(order, "courier-75-2", reason, 2, email, now());
  }

  static String typeOf(Object fact) {
    if (fact instanceof DeliveryAssigned) {
      return EventTypes.DELIVERY_ASSIGNED;
    }
    if (fact instanceof DeliveryReassigned) {
      return EventTypes.DELIVERY_REASSIGNED;
    }
    if (fact instanceof DeliveryPickedUp) {
      return EventTypes.DELIVERY_PICKED_UP;
    }
    if (fact instanceof DeliveryDelivered) {
      return EventTypes.DELIVERY_DELIVERED;
    }
    if (fact instanceof DeliveryFailed) {
      return EventTypes.DELIVERY_FAILED;
    }
    throw new IllegalArgumentException("not a delivery fact: " + fact);
  }

  static CloudEventRequest event(String order, Object fact) {
    return CloudEventRequest.event(typeOf(fact))
        .source(SOURCE)
        .attribute("partitionkey", order)
        .attribute("subject", order)
        .data(fact);
  }
}
