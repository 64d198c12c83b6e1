package com.bookstore.events.payment;

/** Command: take the authorized amount. */
public record CapturePayment(String orderId) {}
