package com.bookstore.events.saga;

import java.time.Instant;

/**
 * Fact: the sweep found a saga whose step (or compensation, or hand-off) passed its deadline. The
 * saga's owner decides what that means; a deadline that has moved on makes this a no-op.
 */
public record SagaDeadlinePassed(String sagaId, Instant deadline) {}
