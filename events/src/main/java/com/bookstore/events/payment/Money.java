package com.bookstore.events.payment;

/** An amount in the currency's minor units (cents), with its ISO 4217 code. */
public record Money(long cents, String currency) {}
