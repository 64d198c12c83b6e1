package com.bookstore.events.delivery;

import com.bookstore.events.OrderEvent;

/** Fact: no courier covers the zone or has room; the order saga fails and compensates. */
public record DeliveryRejected(String orderId, String zone, String reason) implements OrderEvent {}
