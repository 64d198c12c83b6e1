package com.bookstore.saga.store;

import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import org.flywaydb.core.Flyway;

/**
 * The local stack's test database, migrated with this module's own db/saga scripts, and a reactive
 * pool on it: the same PostgreSQL the functions use, without a Quarkus application around it.
 */
final class TestDatabase implements AutoCloseable {
  private static final String HOST = env("BOOKSTORE_PG_HOST", "127.0.0.1");
  private static final int PORT = Integer.parseInt(env("BOOKSTORE_PG_PORT", "15432"));
  private static final String DB = env("BOOKSTORE_PG_DB", "bookstore") + "_test";
  private static final String USER = env("BOOKSTORE_PG_USER", "bookstore");
  private static final String PASSWORD = env("BOOKSTORE_PG_PASSWORD", "bookstore-local");

  private final Vertx vertx;
  final Pool pool;

  TestDatabase() {
    Flyway.configure()
        .dataSource("jdbc:postgresql://" + HOST + ":" + PORT + "/" + DB, USER, PASSWORD)
        .schemas("saga")
        .locations("classpath:db/saga")
        .load()
        .migrate();
    vertx = Vertx.vertx();
    PgConnectOptions connect =
        new PgConnectOptions()
            .setHost(HOST)
            .setPort(PORT)
            .setDatabase(DB)
            .setUser(USER)
            .setPassword(PASSWORD)
            .setCachePreparedStatements(true);
    pool =
        Pool.newInstance(
            PgBuilder.pool()
                .with(new PoolOptions().setMaxSize(8))
                .connectingTo(connect)
                .using(vertx.getDelegate())
                .build());
  }

  @Override
  public void close() {
    pool.closeAndAwait();
    vertx.closeAndAwait();
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
