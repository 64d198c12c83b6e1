package com.bookstore.events.delivery;

import com.bookstore.events.OrderEvent;
import java.time.Instant;

/** Fact: the parcel was handed to the customer. */
public record DeliveryDelivered(String orderId, String courierId, String email, Instant deliveredAt)
    implements OrderEvent {}
