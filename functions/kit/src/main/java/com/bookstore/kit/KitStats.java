package com.bookstore.kit;

import com.bookstore.events.EventJson;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code GET /kit/stats}: what this function did with the events it was given since it started, for
 * dashboards and the workload's summary. {@code duplicates} are redeliveries answered from the
 * idempotency ledger without running the function again.
 */
@ApplicationScoped
public class KitStats {
  private final LongAdder processed = new LongAdder();
  private final LongAdder deadLettered = new LongAdder();
  private final LongAdder retried = new LongAdder();
  private final LongAdder recordsRead = new LongAdder();
  private final LongAdder recordsTaken = new LongAdder();
  private final KitConfig config;
  private final IdempotencyLedger ledger;

  KitStats(KitConfig config, IdempotencyLedger ledger) {
    this.config = config;
    this.ledger = ledger;
  }

  void processed() {
    processed.increment();
  }

  void deadLettered() {
    deadLettered.increment();
  }

  void retried() {
    retried.increment();
  }

  /** A Kafka-direct record read; {@code taken} when it is of a type this function takes. */
  void read(boolean taken) {
    recordsRead.increment();
    if (taken) {
      recordsTaken.increment();
    }
  }

  public Map<String, Object> snapshot() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("function", config.functionName());
    out.put("processed", processed.sum());
    out.put("duplicates", ledger.duplicatesSuppressed());
    out.put("unguarded", ledger.unguardedRuns());
    out.put("deadLettered", deadLettered.sum());
    out.put("retries", retried.sum());
    out.put("recordsRead", recordsRead.sum());
    out.put("recordsOfTypesTaken", recordsTaken.sum());
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
