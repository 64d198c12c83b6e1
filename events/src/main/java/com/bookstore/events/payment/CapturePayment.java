package com.bookstore.events.payment;

import com.bookstore.events.OrderEvent;

/** Command: take the authorized amount. */
public record CapturePayment(String orderId) implements OrderEvent {}
