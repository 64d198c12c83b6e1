package com.bookstore.events.delivery;

import com.bookstore.events.OrderEvent;

/**
 * Command (compensation): cancel the order's delivery and free its courier; succeeds when there is
 * none.
 */
public record CancelDelivery(String orderId, String reason) implements OrderEvent {}
