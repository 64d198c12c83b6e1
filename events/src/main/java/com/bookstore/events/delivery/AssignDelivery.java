package com.bookstore.events.delivery;

import com.bookstore.events.OrderEvent;

/**
 * Command: find a courier for the order's address and reserve them (saga-step, step
 * assign-courier).
 */
public record AssignDelivery(
    String orderId, String customerId, String email, DeliveryAddress address)
    implements OrderEvent {}
