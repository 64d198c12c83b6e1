package com.bookstore.events.delivery;

import com.bookstore.events.OrderEvent;
import java.time.Instant;

/** Fact (from the sweep): a delivery ready for pickup was not picked up by its deadline. */
public record DeliveryPickupOverdue(String orderId, int attempt, Instant deadline)
    implements OrderEvent {}
