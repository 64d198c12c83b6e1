package com.bookstore.kit;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * Parent-based, with the background left out: a span with a parent follows its parent's decision
 * (so an order's trace is whole or absent, never cut), and a root is sampled unless it is a client
 * call (a PostgreSQL or Redis query) or a gRPC health check made outside any traced work: the
 * sweeps' and outbox relays' polls, every second in every function, would otherwise each be a trace
 * of one span. What they find and publish is traced (their send spans are roots).
 */
@Singleton
public class TraceSampler implements Sampler {
  private static final String GRPC_HEALTH = "grpc.health.v1.Health/";

  @Override
  public SamplingResult shouldSample(
      Context parentContext,
      String traceId,
      String name,
      SpanKind spanKind,
      Attributes attributes,
      List<LinkData> parentLinks) {
    SpanContext parent = Span.fromContext(parentContext).getSpanContext();
    if (parent.isValid()) {
      return parent.isSampled() ? SamplingResult.recordAndSample() : SamplingResult.drop();
    }
    if (spanKind == SpanKind.CLIENT || name.startsWith(GRPC_HEALTH)) {
      return SamplingResult.drop();
    }
    return SamplingResult.recordAndSample();
  }

  @Override
  public String getDescription() {
    return "BookstoreSampler{parent-based, background roots dropped}";
  }
}
