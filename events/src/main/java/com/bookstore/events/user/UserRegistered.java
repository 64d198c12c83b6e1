package com.bookstore.events.user;

import java.time.Instant;

/** Fact: a customer account exists. */
public record UserRegistered(
    String userId, String email, String displayName, Instant registeredAt) {}
