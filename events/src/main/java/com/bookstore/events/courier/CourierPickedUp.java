package com.bookstore.events.courier;

import com.bookstore.events.OrderEvent;
import java.time.Instant;

/** A courier's system says: the courier picked up the order's parcel. */
public record CourierPickedUp(String orderId, String courierId, Instant at) implements OrderEvent {}
