package com.bookstore.events.notification;

import java.time.Instant;

/**
 * Fact: a customer was told about an order milestone. {@code channel} is {@code email} or {@code
 * webhook}; {@code topic} the milestone ({@code order-confirmed}, {@code order-cancelled}).
 */
public record NotificationSent(
    String notificationId,
    String orderId,
    String channel,
    String recipient,
    String topic,
    Instant sentAt) {}
