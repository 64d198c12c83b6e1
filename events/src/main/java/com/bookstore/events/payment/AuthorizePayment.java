package com.bookstore.events.payment;

import com.bookstore.events.OrderEvent;

/**
 * Command: hold the order's amount on the customer's payment method. {@code paymentMethod} is the
 * provider's token for a card or wallet, never card data.
 */
public record AuthorizePayment(
    String orderId, String customerId, Money amount, String paymentMethod) implements OrderEvent {}
