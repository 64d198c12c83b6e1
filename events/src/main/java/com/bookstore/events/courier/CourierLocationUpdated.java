package com.bookstore.events.courier;

import com.bookstore.events.OrderEvent;
import java.time.Instant;

/**
 * A courier's system says: the courier carrying the order is here. Frequent; only the latest
 * counts.
 */
public record CourierLocationUpdated(
    String orderId, String courierId, double latitude, double longitude, Instant at)
    implements OrderEvent {}
