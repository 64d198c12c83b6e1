package com.bookstore.events.delivery;

import com.bookstore.events.OrderEvent;
import java.time.Instant;

/** Fact: the delivery failed for good (the courier's reason, or every pickup attempt timed out). */
public record DeliveryFailed(
    String orderId, String courierId, String reason, int attempts, String email, Instant failedAt)
    implements OrderEvent {}
