package com.bookstore.events.payment;

import com.bookstore.events.OrderEvent;

/** Fact: the amount is taken. */
public record PaymentCaptured(String orderId, String authorizationId, Money amount)
    implements OrderEvent {}
