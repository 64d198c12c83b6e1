package com.bookstore.order;

import com.bookstore.events.order.PlaceOrder;
import com.bookstore.kit.SessionCheck;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Native images keep only the reflection they are told about. The kit registers every event
 * payload; the session record that the kit's SessionCheck reads from Redis with Jackson is not
 * among them, and every order request reads one. The order.place command's records are listed here
 * too until the kit's NativeReflection lists them (its owner adds them there).
 */
@RegisterForReflection(
    targets = {SessionCheck.Session.class, PlaceOrder.class, PlaceOrder.Item.class})
public final class OrderReflection {
  private OrderReflection() {}
}
