package com.bookstore.events.payment;

import com.bookstore.events.OrderEvent;

/** Fact: the order holds none of the customer's money; {@code amount} is what was given back. */
public record PaymentRefunded(String orderId, Money amount) implements OrderEvent {}
