package com.bookstore.order;

import com.bookstore.kit.SessionCheck;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Native images keep only the reflection they are told about. The kit registers every event
 * payload; the session record that the kit's SessionCheck reads from Redis with Jackson is not
 * among them, and every order request reads one.
 */
@RegisterForReflection(targets = {SessionCheck.Session.class})
public final class OrderReflection {
  private OrderReflection() {}
}
