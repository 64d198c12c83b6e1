package com.bookstore.events.courier;

import com.bookstore.events.OrderEvent;
import java.time.Instant;

/** A courier's system says: the parcel was handed over. */
public record CourierDelivered(String orderId, String courierId, Instant at)
    implements OrderEvent {}
