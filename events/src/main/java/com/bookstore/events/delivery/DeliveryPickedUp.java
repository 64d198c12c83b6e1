package com.bookstore.events.delivery;

import com.bookstore.events.OrderEvent;
import java.time.Instant;

/** Fact: the courier has the parcel. */
public record DeliveryPickedUp(String orderId, String courierId, String email, Instant pickedUpAt)
    implements OrderEvent {}
