package com.bookstore.events.payment;

import com.bookstore.events.OrderEvent;

/**
 * Fact: the provider refused, or there was nothing to capture. {@code reason}: {@code
 * card-declined}, {@code insufficient-funds}, {@code limit-exceeded}, {@code not-authorized}.
 */
public record PaymentDeclined(String orderId, String reason) implements OrderEvent {}
