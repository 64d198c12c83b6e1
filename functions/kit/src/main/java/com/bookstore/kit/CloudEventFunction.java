package com.bookstore.kit;

import io.smallrye.mutiny.Uni;

/**
 * A deployable's event handler. The kit has already decoded the event, checked it is one this
 * function takes (the routing table), validated its data against the schema and claimed its
 * idempotency key; the function maps it to domain code and the result to an answer.
 *
 * <p>Business outcomes are answers ({@code user.registration-rejected}); technical failures are
 * {@link FunctionException}s.
 */
public interface CloudEventFunction {
  Uni<Answer> handle(InboundEvent event);
}
