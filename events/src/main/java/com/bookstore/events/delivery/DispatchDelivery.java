package com.bookstore.events.delivery;

import com.bookstore.events.OrderEvent;

/**
 * Command: the order is paid and its copies are sold: the courier may pick it up; the pickup time
 * limit starts.
 */
public record DispatchDelivery(String orderId) implements OrderEvent {}
