package com.bookstore.events.courier;

import com.bookstore.events.OrderEvent;
import java.time.Instant;

/** A courier's system says: the delivery failed for good, with the courier's reason. */
public record CourierFailed(String orderId, String courierId, String reason, Instant at)
    implements OrderEvent {}
