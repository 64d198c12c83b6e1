package com.bookstore.events.payment;

import com.bookstore.events.OrderEvent;

/**
 * Command (a compensation): give the order's money back: void an authorization, refund a capture.
 * Succeeds when nothing was authorized.
 */
public record RefundPayment(String orderId, String reason) implements OrderEvent {}
