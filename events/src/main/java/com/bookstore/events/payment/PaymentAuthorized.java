package com.bookstore.events.payment;

import com.bookstore.events.OrderEvent;

/** Fact: the amount is held; the capture will take it. */
public record PaymentAuthorized(String orderId, String authorizationId, Money amount)
    implements OrderEvent {}
