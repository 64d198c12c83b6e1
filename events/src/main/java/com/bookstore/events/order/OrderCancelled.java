package com.bookstore.events.order;

import com.bookstore.events.OrderEvent;
import com.bookstore.events.payment.Money;
import java.time.Instant;

/** Fact: the order saga failed and every completed step was compensated; the reason says why. */
public record OrderCancelled(
    String orderId,
    String customerId,
    String email,
    Money total,
    String reason,
    Instant cancelledAt)
    implements OrderEvent {}
