package com.bookstore.events.saga;

/**
 * Fact: a step of a saga failed or timed out; compensation is owed. {@code sagaId} is the order id
 * for the order saga.
 */
public record SagaFailed(String sagaId, String saga, String step, String reason) {}
