package com.bookstore.catalog;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * With {@code catalog.seed-on-start=true}, upserts the seed data set ({@code seed/books.json}, the
 * same JSON array {@code POST /admin/books} takes) before the function serves. Books already there
 * and unchanged emit nothing, so a restart does not re-announce them.
 */
@ApplicationScoped
public class SeedLoader {
  private static final Logger LOG = Logger.getLogger(SeedLoader.class);

  private final CatalogService service;
  private final CatalogConfig config;
  private final ObjectMapper mapper;

  SeedLoader(CatalogService service, CatalogConfig config, ObjectMapper mapper) {
    this.service = service;
    this.config = config;
    this.mapper = mapper;
  }

  void onStart(@Observes StartupEvent start) {
    if (!config.seedOnStart()) {
      return;
    }
    List<Book> books = read(config.seedResource(), mapper);
    CatalogService.Upserted result = service.upsert(books).await().atMost(Duration.ofMinutes(2));
    Views.BulkUpserted counts = Views.BulkUpserted.of(result);
    LOG.infof(
        "seeded %d books from %s: %d added, %d price changed, %d updated, %d unchanged",
        counts.received(),
        config.seedResource(),
        counts.added(),
        counts.priceChanged(),
        counts.updated(),
        counts.unchanged());
  }

  /** The books of a seed resource; a broken seed file stops the start with every error named. */
  static List<Book> read(String resource, ObjectMapper mapper) {
    try (InputStream in = SeedLoader.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("seed resource " + resource + " is not on the classpath");
      }
      BookValidator.Result result = BookValidator.many(mapper.readTree(in), Integer.MAX_VALUE);
      if (!result.valid()) {
        throw new IllegalStateException(
            "seed resource " + resource + " has invalid books: " + result.errors());
      }
      return result.books();
    } catch (IOException e) {
      throw new UncheckedIOException("seed resource " + resource + " is not readable JSON", e);
    }
  }
}
