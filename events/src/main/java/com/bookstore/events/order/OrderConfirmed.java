package com.bookstore.events.order;

import com.bookstore.events.OrderEvent;
import com.bookstore.events.payment.Money;
import java.time.Instant;

/** Fact: every step of the order saga succeeded: stock sold, payment captured. */
public record OrderConfirmed(
    String orderId, String customerId, String email, Money total, Instant confirmedAt)
    implements OrderEvent {}
