package com.bookstore.kit;

import com.bookstore.events.EventJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Exactly-once effect on top of at-least-once delivery. The first delivery of an event claims its
 * key in Redis (with a TTL, in case it dies) and stores the answer; a redelivery gets that answer
 * back without running the function; a concurrent duplicate waits for it; a failed delivery
 * releases the claim so a retry can run.
 *
 * <p>Claim and answer carry a digest of the event's content (type and canonical JSON data), so a
 * delivery that reuses a {@code source} + {@code id} for other content is refused ({@link
 * FunctionException#idReused}) instead of being answered with another event's answer. Values:
 * {@code P:<token>:<digest>} while claimed, {@code D:<digest>:<answer>} once answered.
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

  /**
   * Stores the answer if the key still holds our claim (or nothing: our claim ran out and nobody
   * took it since); otherwise returns what it holds, another delivery's claim or answer. One round
   * trip.
   */
  private static final String STORE =
      "local v = redis.call('GET', KEYS[1]) "
          + "if v == false or v == ARGV[1] then "
          + "redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) return false end "
          + "return v";

  /** Deletes the key only if it still holds our claim. */
  private static final String RELEASE =
      "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end "
          + "return 0";

  /**
   * Extends our claim's TTL if the key still holds it: the lease of a holder that is alive. A
   * holder that dies stops renewing, so its claim lapses within one TTL.
   */
  private static final String RENEW =
      "if redis.call('GET', KEYS[1]) == ARGV[1] then "
          + "return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end "
          + "return 0";

  private static final String CLAIM_SHA = Digests.sha1Hex(CLAIM);
  private static final String RENEW_SHA = Digests.sha1Hex(RENEW);
  private static final String STORE_SHA = Digests.sha1Hex(STORE);
  private static final String RELEASE_SHA = Digests.sha1Hex(RELEASE);

  /** Stands for "Redis did not answer the claim"; compared by identity. */
  private static final String UNREACHABLE = new String("unreachable");

  private static final long POLL_MILLIS = 5;

  /** Attempts to write an answer before the delivery fails retryable (keeping its claim). */
  private static final int STORE_ATTEMPTS = 3;

  private final RedisAPI redis;
  private final Vertx vertx;
  private final KitConfig.Idempotency config;
  private final KitMetrics metrics;

  IdempotencyLedger(RedisAPI redis, Vertx vertx, KitConfig config, KitMetrics metrics) {
    this.redis = redis;
    this.vertx = vertx;
    this.config = config.idempotency();
    this.metrics = metrics;
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

  /**
   * The digest of what an event says: its type and its data, the data as canonical JSON (object
   * members sorted, no whitespace, numbers without trailing zeros) so that the same event in binary
   * and structured mode, or re-serialised by a proxy, has the same digest. Data that is not JSON
   * counts byte for byte. 128 bits of SHA-256, base64url: 22 characters.
   */
  public static String digest(String type, JsonNode data) {
    StringBuilder canonical = new StringBuilder(type).append('\n');
    if (data != null) {
      canonical(data, canonical);
    }
    return shortDigest(canonical.toString().getBytes(StandardCharsets.UTF_8));
  }

  static String digest(CloudEvent event) {
    byte[] data = event.data();
    if (data == null) {
      return digest(event.type(), null);
    }
    try {
      return digest(event.type(), EventJson.mapper().readTree(data));
    } catch (IOException e) {
      byte[] type = (event.type() + "\n\u0000").getBytes(StandardCharsets.UTF_8);
      byte[] all = Arrays.copyOf(type, type.length + data.length);
      System.arraycopy(data, 0, all, type.length, data.length);
      return shortDigest(all);
    }
  }

  public Uni<Answer> once(String function, CloudEvent event, Supplier<Uni<Answer>> action) {
    return once(function, event, digest(event), action);
  }

  /**
   * Runs {@code action} unless this event was answered before. Lazy and per subscription: each
   * subscription (KafkaDirect retries by resubscribing) waits afresh for a concurrent holder. The
   * claim token is one per call, so a resubscription after a failed answer write finds its own
   * claim and stores the answer it already has instead of waiting out the claim TTL.
   *
   * @param digest the event's {@link #digest}
   */
  public Uni<Answer> once(
      String function, CloudEvent event, String digest, Supplier<Uni<Answer>> action) {
    Delivery delivery = new Delivery(key(function, event), event, digest, action);
    return Uni.createFrom()
        .deferred(() -> delivery.attempt(System.nanoTime() + config.concurrentWait().toNanos()));
  }

  /** One {@link #once} call: its key, claim and, once the function ran, its answer. */
  private final class Delivery {
    private final String key;
    private final CloudEvent event;
    private final String digest;
    private final String claim;
    private final Supplier<Uni<Answer>> action;

    /** The function's answer when writing it failed: a resubscription stores it, not reruns. */
    private volatile Answer unstored;

    Delivery(String key, CloudEvent event, String digest, Supplier<Uni<Answer>> action) {
      this.key = key;
      this.event = event;
      this.digest = digest;
      this.claim = PENDING + UUID.randomUUID() + ":" + digest;
      this.action = action;
    }

    Uni<Answer> attempt(long deadline) {
      return script(CLAIM, CLAIM_SHA, key, claim, Long.toString(config.claimTtl().toMillis()))
          .map(r -> r == null ? null : r.toString())
          .onFailure()
          .recoverWithItem(
              failure -> {
                LOG.warnf(
                    "idempotency ledger unavailable, running unguarded: %s", failure.toString());
                return UNREACHABLE;
              })
          .flatMap(existing -> decide(existing, deadline));
    }

    private Uni<Answer> decide(String existing, long deadline) {
      if (existing == UNREACHABLE) {
        metrics.unguarded();
        Answer done = unstored;
        return done != null ? Uni.createFrom().item(done) : Uni.createFrom().deferred(action::get);
      }
      if (existing == null || existing.equals(claim)) {
        Answer done = unstored;
        return done != null ? store(done) : runClaimed();
      }
      if (existing.startsWith(DONE)) {
        return answered(existing);
      }
      if (differs(claimDigest(existing))) {
        return Uni.createFrom().failure(FunctionException.idReused(event.source(), event.id()));
      }
      if (System.nanoTime() > deadline) {
        return Uni.createFrom()
            .failure(
                FunctionException.inProgress(
                    "another delivery of this event is still being processed"));
      }
      return pause().flatMap(x -> attempt(deadline));
    }

    /**
     * Runs the function under our claim, renewing the claim every third of its TTL while it runs:
     * the claim is a lease. A slow function keeps its claim however long it takes, and a holder
     * that dies (SIGKILL, OOM) gives the key up one TTL later, so its redelivery runs after seconds
     * rather than after the longest run any function might need.
     */
    private Uni<Answer> runClaimed() {
      long ttl = config.claimTtl().toMillis();
      return Uni.createFrom()
          .deferred(
              () -> {
                long timer = vertx.getDelegate().setPeriodic(Math.max(1, ttl / 3), t -> renew(ttl));
                Uni<Answer> run;
                try {
                  run = action.get();
                } catch (RuntimeException e) {
                  vertx.getDelegate().cancelTimer(timer);
                  throw e;
                }
                return run.onTermination().invoke(() -> vertx.getDelegate().cancelTimer(timer));
              })
          .onFailure()
          .call(failure -> release())
          .flatMap(answer -> answer.remembered() ? store(answer) : forget(answer));
    }

    /** Another delivery's answer, unless it answered other content under this id. */
    private Uni<Answer> answered(String stored) {
      String body = stored.substring(DONE.length());
      String theirs = null;
      if (!body.startsWith("[")) { // written before answers carried a digest
        int colon = body.indexOf(':');
        theirs = body.substring(0, colon);
        body = body.substring(colon + 1);
      }
      if (differs(theirs)) {
        return Uni.createFrom().failure(FunctionException.idReused(event.source(), event.id()));
      }
      return Uni.createFrom().item(decode(body));
    }

    /**
     * Writes the answer over our claim. A technical failure is retried a few times, then fails the
     * delivery retryable with the claim left in place: the retry finds its own claim and writes
     * again.
     */
    private Uni<Answer> store(Answer answer) {
      String value = DONE + digest + ":" + encode(answer);
      return script(STORE, STORE_SHA, key, claim, value, Long.toString(config.ttl().toMillis()))
          .onFailure()
          .retry()
          .withBackOff(Duration.ofMillis(20), Duration.ofMillis(200))
          .atMost(STORE_ATTEMPTS - 1)
          .onFailure()
          .transform(
              f -> {
                unstored = answer;
                return FunctionException.retryable("answer not remembered for " + key, f);
              })
          .flatMap(
              r -> {
                unstored = null;
                if (r == null) {
                  return Uni.createFrom().item(answer);
                }
                String other = r.toString();
                if (other.startsWith(DONE)) {
                  // Our claim ran out while we ran; the delivery that took it over answered first.
                  return answered(other);
                }
                // Another delivery holds the key now and will store its own answer.
                LOG.debugf("answer for %s not stored: the key is claimed by another delivery", key);
                return Uni.createFrom().item(answer);
              });
    }

    /** An answer the function does not want remembered: give the key up for a redelivery. */
    private Uni<Answer> forget(Answer answer) {
      return release().replaceWith(answer);
    }

    private void renew(long ttl) {
      script(RENEW, RENEW_SHA, key, claim, Long.toString(ttl))
          .subscribe()
          .with(
              renewed -> {
                if (renewed.toLong() == 0) {
                  LOG.debugf("claim on %s not renewed: the key no longer holds it", key);
                }
              },
              f -> LOG.warnf("claim on %s not renewed: %s", key, f.toString()));
    }

    private Uni<Void> release() {
      return script(RELEASE, RELEASE_SHA, key, claim)
          .onFailure()
          .invoke(f -> LOG.warnf("claim on %s not released: %s", key, f.toString()))
          .onFailure()
          .recoverWithNull()
          .replaceWithVoid();
    }

    private boolean differs(String theirs) {
      return theirs != null && !theirs.equals(digest);
    }
  }

  /** The digest in a claim {@code P:<token>:<digest>}, or null for a claim without one. */
  private static String claimDigest(String claim) {
    int colon = claim.indexOf(':', PENDING.length());
    return colon < 0 ? null : claim.substring(colon + 1);
  }

  private static void canonical(JsonNode node, StringBuilder out) {
    if (node.isObject()) {
      List<String> names = new ArrayList<>();
      node.fieldNames().forEachRemaining(names::add);
      Collections.sort(names);
      out.append('{');
      for (int i = 0; i < names.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        out.append(TextNode.valueOf(names.get(i)).toString()).append(':');
        canonical(node.get(names.get(i)), out);
      }
      out.append('}');
    } else if (node.isArray()) {
      out.append('[');
      for (int i = 0; i < node.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        canonical(node.get(i), out);
      }
      out.append(']');
    } else if (node.isNumber()) {
      out.append(node.decimalValue().stripTrailingZeros().toPlainString());
    } else {
      out.append(node.toString());
    }
  }

  private static String shortDigest(byte[] bytes) {
    try {
      byte[] sha = MessageDigest.getInstance("SHA-256").digest(bytes);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(sha, 16));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
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
