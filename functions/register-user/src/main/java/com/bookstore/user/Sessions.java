package com.bookstore.user;

import com.bookstore.kit.SessionCheck;
import com.bookstore.kit.SessionCheck.Session;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.RedisAPI;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Opens and revokes sessions in Redis: a random 256-bit token for the client, stored only as its
 * SHA-256, with a TTL; logout deletes it. The read side (what every function checks) is the kit's
 * {@link SessionCheck}.
 */
@ApplicationScoped
public class Sessions {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final RedisAPI redis;
  private final SessionCheck sessionCheck;
  private final UserConfig config;

  Sessions(RedisAPI redis, SessionCheck sessionCheck, UserConfig config) {
    this.redis = redis;
    this.sessionCheck = sessionCheck;
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
            List.of(
                SessionCheck.key(token),
                SessionCheck.json(session),
                "PX",
                Long.toString(config.sessionTtl().toMillis())))
        .replaceWith(new Opened(token, session));
  }

  /** The session a token belongs to; empty when malformed, expired or revoked. */
  public Uni<Optional<Session>> check(String token) {
    return sessionCheck.check(token);
  }

  /** True when a live session was revoked; false when there was none (already out). */
  public Uni<Boolean> revoke(String token) {
    if (!SessionCheck.wellFormed(token)) {
      return Uni.createFrom().item(false);
    }
    return redis.del(List.of(SessionCheck.key(token))).map(r -> r != null && r.toLong() > 0);
  }
}
