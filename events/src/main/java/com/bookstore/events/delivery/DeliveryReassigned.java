package com.bookstore.events.delivery;

import com.bookstore.events.OrderEvent;
import java.time.Instant;

/** Fact: the courier did not pick up in time and was replaced by another. */
public record DeliveryReassigned(
    String orderId,
    String courierId,
    String courierName,
    String previousCourierId,
    int attempt,
    String reason,
    String email,
    Instant reassignedAt)
    implements OrderEvent {}
