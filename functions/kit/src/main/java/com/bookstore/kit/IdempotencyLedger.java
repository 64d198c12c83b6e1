package com.bookstore.kit;

import com.bookstore.events.EventJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Exactly-once effect on top of at-least-once delivery. The first delivery of an event claims its
 * key in Redis (with a TTL, in case it dies) and stores the answer; a redelivery gets that answer
 * back without running the function; a concurrent duplicate waits for it; a failed delivery
 * releases the claim so a retry can run.
 *
 * <p>If Redis is unreachable the function runs unguarded and relies on its PostgreSQL guards
 * (unique keys, deterministic answer ids): slower, never twice.
 */
@ApplicationScoped
public class IdempotencyLedger {
  private static final Logger LOG = Logger.getLogger(IdempotencyLedger.class);

  private static final String PENDING = "P:";
  private static final String DONE = "D:";

  /** Returns the stored value, or claims the key and returns nil: one round trip. */
  private static final String CLAIM =
      "local v = redis.call('GET', KEYS[1]) "
          + "if v then return v end "
          + "redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) "
          + "return false";

  /** Deletes the key only if it still holds our claim. */
  private static final String RELEASE =
      "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end "
          + "return 0";

  private static final String CLAIM_SHA = Digests.sha1Hex(CLAIM);
  private static final String RELEASE_SHA = Digests.sha1Hex(RELEASE);

  private static final long POLL_MILLIS = 5;

  private final RedisAPI redis;
  private final Vertx vertx;
  private final KitConfig.Idempotency config;
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong unguarded = new AtomicLong();

  IdempotencyLedger(RedisAPI redis, Vertx vertx, KitConfig config) {
    this.redis = redis;
    this.vertx = vertx;
    this.config = config.idempotency();
  }

  /** Deliveries answered from the ledger since start. */
  public long duplicatesSuppressed() {
    return duplicates.get();
  }

  /** Deliveries that ran without the ledger because Redis failed. */
  public long unguardedRuns() {
    return unguarded.get();
  }

  public static String key(String function, CloudEvent event) {
    // Length-prefixed so that no (source, id) pair can collide with another.
    return "idem:"
        + function
        + ":"
        + event.source().length()
        + ":"
        + event.source()
        + ":"
        + event.id();
  }

  public Uni<Answer> once(String function, CloudEvent event, Supplier<Uni<Answer>> action) {
    String key = key(function, event);
    long deadline = System.nanoTime() + config.concurrentWait().toNanos();
    return attempt(key, action, deadline);
  }

  private Uni<Answer> attempt(String key, Supplier<Uni<Answer>> action, long deadline) {
    String claim = PENDING + UUID.randomUUID();
    return script(CLAIM, CLAIM_SHA, key, claim, Long.toString(config.claimTtl().toMillis()))
        .map(r -> r == null ? null : r.toString())
        .onFailure()
        .recoverWithItem(
            failure -> {
              unguarded.incrementAndGet();
              LOG.warnf(
                  "idempotency ledger unavailable, running unguarded: %s", failure.toString());
              return claim;
            })
        .flatMap(
            existing -> {
              if (existing == null || existing.equals(claim)) {
                return runClaimed(key, claim, existing == null, action);
              }
              if (existing.startsWith(DONE)) {
                duplicates.incrementAndGet();
                return Uni.createFrom().item(decode(existing.substring(DONE.length())));
              }
              if (System.nanoTime() > deadline) {
                return Uni.createFrom()
                    .failure(
                        FunctionException.inProgress(
                            "another delivery of this event is still being processed"));
              }
              return pause().flatMap(x -> attempt(key, action, deadline));
            });
  }

  private Uni<Answer> runClaimed(
      String key, String claim, boolean guarded, Supplier<Uni<Answer>> action) {
    Uni<Answer> run = Uni.createFrom().deferred(action::get);
    if (!guarded) {
      return run;
    }
    return run.onItem()
        .call(
            answer ->
                redis
                    .set(
                        List.of(
                            key,
                            DONE + encode(answer),
                            "PX",
                            Long.toString(config.ttl().toMillis())))
                    .onFailure()
                    .invoke(f -> LOG.warnf("answer not remembered for %s: %s", key, f.toString()))
                    .onFailure()
                    .recoverWithNull())
        .onFailure()
        .call(failure -> script(RELEASE, RELEASE_SHA, key, claim).onFailure().recoverWithNull());
  }

  /**
   * Runs a Lua script by its SHA-1 (the script text crosses the wire only once per Redis start);
   * loads it with EVAL when Redis answers NOSCRIPT.
   */
  private Uni<Response> script(String script, String sha, String key, String... args) {
    List<String> evalsha = new ArrayList<>(List.of(sha, "1", key));
    evalsha.addAll(List.of(args));
    return redis
        .evalsha(evalsha)
        .onFailure(f -> String.valueOf(f.getMessage()).startsWith("NOSCRIPT"))
        .recoverWithUni(
            () -> {
              List<String> eval = new ArrayList<>(evalsha);
              eval.set(0, script);
              return redis.eval(eval);
            });
  }

  private Uni<Long> pause() {
    return Uni.createFrom().emitter(em -> vertx.getDelegate().setTimer(POLL_MILLIS, em::complete));
  }

  static String encode(Answer answer) {
    ArrayNode array = EventJson.mapper().createArrayNode();
    answer.events().forEach(e -> array.add(CloudEventCodec.toStructured(e)));
    return array.toString();
  }

  static Answer decode(String stored) {
    try {
      JsonNode array = EventJson.mapper().readTree(stored);
      List<CloudEvent> events = new ArrayList<>();
      array.forEach(node -> events.add(CloudEventCodec.fromStructured(node)));
      return new Answer(events);
    } catch (IOException e) {
      throw FunctionException.fatal("stored answer is unreadable", e);
    }
  }
}
