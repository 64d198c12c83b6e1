package com.bookstore.events.order;

import com.bookstore.events.OrderEvent;
import com.bookstore.events.payment.Money;
import java.time.Instant;
import java.util.List;

/**
 * Fact: a customer placed an order; it is pending until the order saga confirms or cancels it.
 * Carries everything the saga needs to send its commands, so no step looks the order up.
 */
public record OrderPlaced(
    String orderId,
    String customerId,
    String email,
    List<OrderLine> items,
    Money total,
    String paymentMethod,
    Instant placedAt)
    implements OrderEvent {}
