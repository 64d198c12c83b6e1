package com.bookstore.kit;

import com.bookstore.events.EventJson;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /kit/stats}: what this function did with the events it was given since it started, as
 * one small JSON object for scripts and the workload's summary: the sums over every tag of the
 * {@link KitMetrics} meters (the same figures, by type and outcome, are on {@code /q/metrics}).
 * {@code duplicates} are redeliveries answered from the idempotency ledger without running the
 * function again.
 */
@ApplicationScoped
public class KitStats {
  private final KitConfig config;
  private final KitMetrics metrics;

  KitStats(KitConfig config, KitMetrics metrics) {
    this.config = config;
    this.metrics = metrics;
  }

  public Map<String, Object> snapshot() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("function", config.functionName());
    out.put("processed", metrics.sum(KitMetrics.EVENTS, "outcome", "processed"));
    out.put("duplicates", metrics.sum(KitMetrics.EVENTS, "outcome", "duplicate"));
    out.put("unguarded", metrics.sum(KitMetrics.UNGUARDED, null, null));
    out.put("deadLettered", metrics.sum(KitMetrics.DEAD_LETTERS, null, null));
    out.put("retries", metrics.sum(KitMetrics.RETRIES, null, null));
    out.put("recordsRead", metrics.sum(KitMetrics.RECORDS_READ, null, null));
    out.put("recordsOfTypesTaken", metrics.sum(KitMetrics.RECORDS_READ, "taken", "true"));
    return out;
  }

  void routes(@Observes Router router) {
    router
        .get("/kit/stats")
        .handler(
            ctx -> {
              try {
                ctx.response()
                    .putHeader("Content-Type", "application/json")
                    .end(Buffer.buffer(EventJson.mapper().writeValueAsBytes(snapshot())));
              } catch (JsonProcessingException e) {
                ctx.fail(e);
              }
            });
  }
}
