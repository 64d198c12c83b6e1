package com.bookstore.kit.health;

import com.bookstore.kit.KitConfig;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.RedisAPI;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Redis answers a {@code PING}: the idempotency ledger (and register-user's sessions) can work.
 * Replaces Quarkus' own Redis check, which blocks a worker thread for up to the client's timeout
 * (10 s) on every probe.
 */
@Readiness
@ApplicationScoped
public class RedisReadiness implements AsyncHealthCheck {
  public static final String NAME = "redis";

  private final CachedCheck check;

  RedisReadiness(RedisAPI redis, KitConfig config) {
    this.check =
        new CachedCheck(
            NAME,
            config.health().timeout(),
            config.health().cacheFor(),
            () ->
                redis
                    .ping(List.of())
                    .map(r -> Map.<String, Object>of("ping", r == null ? "null" : r.toString())));
  }

  @Override
  public Uni<HealthCheckResponse> call() {
    return check.call();
  }
}
