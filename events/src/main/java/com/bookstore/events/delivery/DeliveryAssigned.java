package com.bookstore.events.delivery;

import com.bookstore.events.OrderEvent;
import java.time.Instant;

/** Fact: a courier who covers the zone was reserved for the order (the first assignment). */
public record DeliveryAssigned(
    String orderId,
    String courierId,
    String courierName,
    String zone,
    int attempt,
    String email,
    Instant assignedAt)
    implements OrderEvent {}
