package com.bookstore.kit.health;

import com.bookstore.kit.KitConfig;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * PostgreSQL answers {@code SELECT 1} through the function's own reactive pool: a connection can be
 * had and the server runs queries. Replaces Quarkus' own datasource checks (uncached, one query per
 * probe and per datasource kind).
 */
@Readiness
@ApplicationScoped
public class PostgresReadiness implements AsyncHealthCheck {
  public static final String NAME = "postgresql";

  private final CachedCheck check;

  PostgresReadiness(Pool pool, KitConfig config) {
    this.check =
        new CachedCheck(
            NAME,
            config.health().timeout(),
            config.health().cacheFor(),
            () ->
                pool.query("SELECT 1")
                    .execute()
                    .map(rows -> Map.<String, Object>of("select-1", rows.size())));
  }

  @Override
  public Uni<HealthCheckResponse> call() {
    return check.call();
  }
}
