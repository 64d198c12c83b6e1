package com.bookstore.events.delivery;

import com.bookstore.events.OrderEvent;
import java.time.Instant;

/** Fact: the delivery is cancelled (or there was none) and its courier is free. */
public record DeliveryCancelled(String orderId, String reason, Instant cancelledAt)
    implements OrderEvent {}
