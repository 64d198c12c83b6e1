package com.bookstore.events.payment;

/** Fact: the amount is held; the capture will take it. */
public record PaymentAuthorized(String orderId, String authorizationId, Money amount) {}
