package com.bookstore.user;

import com.bookstore.events.EventJson;
import com.bookstore.kit.Digests;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.RedisAPI;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Sessions in Redis: a random 256-bit token for the client, stored only as its SHA-256 (a Redis
 * dump leaks no usable token), with a TTL; logout deletes it.
 */
@ApplicationScoped
public class Sessions {
  /** What a valid token stands for. */
  public record Session(String userId, String email, Instant expiresAt) {}

  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final RedisAPI redis;
  private final UserConfig config;

  Sessions(RedisAPI redis, UserConfig config) {
    this.redis = redis;
    this.config = config;
  }

  public record Opened(String token, Session session) {}

  public Uni<Opened> open(String userId, String email) {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    Session session =
        new Session(
            userId, email, Instant.now().plus(config.sessionTtl()).truncatedTo(ChronoUnit.SECONDS));
    return redis
        .set(
            List.of(key(token), json(session), "PX", Long.toString(config.sessionTtl().toMillis())))
        .replaceWith(new Opened(token, session));
  }

  /** The session a token belongs to; empty when malformed, expired or revoked. */
  public Uni<Optional<Session>> check(String token) {
    if (!wellFormed(token)) {
      return Uni.createFrom().item(Optional.empty());
    }
    return redis
        .get(key(token))
        .map(r -> r == null ? Optional.<Session>empty() : Optional.of(parse(r.toString())));
  }

  /** True when a live session was revoked; false when there was none (already out). */
  public Uni<Boolean> revoke(String token) {
    if (!wellFormed(token)) {
      return Uni.createFrom().item(false);
    }
    return redis.del(List.of(key(token))).map(r -> r != null && r.toLong() > 0);
  }

  static boolean wellFormed(String token) {
    return token != null && TOKEN.matcher(token).matches();
  }

  static String key(String token) {
    return "session:" + Digests.sha256Hex(token);
  }

  private static String json(Session session) {
    try {
      return EventJson.mapper().writeValueAsString(session);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Session parse(String json) {
    try {
      return EventJson.mapper().readValue(json, Session.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable session", e);
    }
  }
}
