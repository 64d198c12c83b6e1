package com.bookstore.kit;

import com.bookstore.events.EventJson;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.RedisAPI;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The read side of customer sessions, shared by every function that serves logged-in customers.
 * register-user opens and revokes sessions; a session lives in Redis under {@code session:<SHA-256
 * of the token>} (a Redis dump leaks no usable token) as JSON, with a TTL.
 */
@ApplicationScoped
public class SessionCheck {
  /** What a valid token stands for. */
  public record Session(String userId, String email, Instant expiresAt) {}

  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");

  private final RedisAPI redis;

  SessionCheck(RedisAPI redis) {
    this.redis = redis;
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

  /** A token as register-user issues it: 256 random bits, base64url without padding. */
  public static boolean wellFormed(String token) {
    return token != null && TOKEN.matcher(token).matches();
  }

  /** The Redis key of a token's session. */
  public static String key(String token) {
    return "session:" + Digests.sha256Hex(token);
  }

  public static String json(Session session) {
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
