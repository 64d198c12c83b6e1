package com.bookstore.events.payment;

/** Fact: the amount is taken. */
public record PaymentCaptured(String orderId, String authorizationId, Money amount) {}
