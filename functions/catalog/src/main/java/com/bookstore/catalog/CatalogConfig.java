package com.bookstore.catalog;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

@ConfigMapping(prefix = "catalog")
public interface CatalogConfig {

  /**
   * The bearer token of the admin API ({@code CATALOG_ADMIN_TOKEN}). Without one the admin API
   * refuses every request, while search and prices keep serving.
   */
  Optional<String> adminToken();

  /** Whether to upsert the seed data set at start (a demo convenience). */
  @WithDefault("false")
  boolean seedOnStart();

  /** Classpath resource of the seed data set. */
  @WithDefault("seed/books.json")
  String seedResource();

  Admin admin();

  Search search();

  Grpc grpc();

  Outbox outbox();

  interface Admin {
    /** Books in one bulk request at most. */
    @WithDefault("2000")
    int maxBooks();

    /** Largest admin request body, in bytes. */
    @WithDefault("8388608")
    long maxBodySize();
  }

  interface Search {
    @WithDefault("20")
    int defaultLimit();

    @WithDefault("100")
    int maxLimit();

    /** Deep paging costs a scan per page; search is for finding, not for exporting. */
    @WithDefault("10000")
    int maxOffset();

    @WithDefault("200")
    int maxQueryLength();
  }

  interface Grpc {
    /** ISBNs in one GetPrices call at most (a cart, not the catalog). */
    @WithDefault("1000")
    int maxIsbns();
  }

  interface Outbox {
    /** How often unpublished events are looked for. */
    @WithDefault("PT5S")
    Duration interval();

    /**
     * How old an outbox event must be before the relay takes it: younger ones are still being
     * published by the request that wrote them.
     */
    @WithDefault("PT10S")
    Duration grace();
  }
}
