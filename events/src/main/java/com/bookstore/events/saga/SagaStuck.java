package com.bookstore.events.saga;

/**
 * Fact: a command that must succeed went unanswered or refused through its whole attempt budget; an
 * operator must look. {@code kind} is {@code action} or {@code compensation}.
 */
public record SagaStuck(String sagaId, String saga, String step, String kind, int attempts) {}
