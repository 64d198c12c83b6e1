package com.bookstore.order;

import com.bookstore.events.delivery.DeliveryAddress;
import com.bookstore.events.delivery.DeliveryAssigned;
import com.bookstore.events.delivery.DeliveryCancelled;
import com.bookstore.events.delivery.DeliveryDelivered;
import com.bookstore.events.delivery.DeliveryFailed;
import com.bookstore.events.delivery.DeliveryPickedUp;
import com.bookstore.events.delivery.DeliveryReassigned;
import com.bookstore.events.delivery.DeliveryRejected;
import com.bookstore.events.order.PlaceOrder;
import com.bookstore.kit.SessionCheck;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Native images keep only the reflection they are told about. The kit registers every event
 * payload; the session record that the kit's SessionCheck reads from Redis with Jackson is not
 * among them, and every order request reads one. The order.place command's records are listed here
 * too until the kit's NativeReflection lists them (its owner adds them there), and so are the
 * delivery's records (the address in order.placed, the delivery facts this function follows).
 */
@RegisterForReflection(
    targets = {
      SessionCheck.Session.class,
      PlaceOrder.class,
      PlaceOrder.Item.class,
      PlaceOrder.Address.class,
      DeliveryAddress.class,
      DeliveryAssigned.class,
      DeliveryRejected.class,
      DeliveryReassigned.class,
      DeliveryPickedUp.class,
      DeliveryDelivered.class,
      DeliveryFailed.class,
      DeliveryCancelled.class
    })
public final class OrderReflection {
  private OrderReflection() {}
}
