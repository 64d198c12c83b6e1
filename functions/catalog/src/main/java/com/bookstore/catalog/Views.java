package com.bookstore.catalog;

import com.bookstore.events.payment.Money;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/** The JSON the catalog's HTTP API answers with. */
final class Views {
  private Views() {}

  /** A book as buyers and admins see it; the same shape the admin API takes. */
  @RegisterForReflection
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record BookView(
      String isbn,
      String title,
      List<String> authors,
      String description,
      Integer publishedYear,
      Money price,
      int stock) {

    static BookView of(Book b) {
      return new BookView(
          b.isbn(),
          b.title(),
          b.authors(),
          b.description(),
          b.publishedYear(),
          b.price(),
          b.stock());
    }
  }

  /** A search hit: the book's fields and its relevance. */
  @RegisterForReflection
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Hit(
      String isbn,
      String title,
      List<String> authors,
      String description,
      Integer publishedYear,
      Money price,
      int stock,
      float rank) {

    static Hit of(BookStore.Hit hit) {
      Book b = hit.book();
      return new Hit(
          b.isbn(),
          b.title(),
          b.authors(),
          b.description(),
          b.publishedYear(),
          b.price(),
          b.stock(),
          hit.rank());
    }
  }

  /**
   * One page of search results.
   *
   * @param q the query, null when browsing
   * @param total how many books match in all
   */
  @RegisterForReflection
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record SearchPage(String q, int limit, int offset, long total, List<Hit> items) {}

  /**
   * The answer to one upsert (PUT).
   *
   * @param eventsPending events of this change not yet on Kafka (the outbox relay sends them)
   */
  @RegisterForReflection
  record Upserted(String isbn, Change.Outcome outcome, BookView book, boolean eventsPending) {}

  /** One book's outcome in a bulk upsert. */
  @RegisterForReflection
  record Outcome(String isbn, Change.Outcome outcome) {}

  /** The answer to a bulk upsert: counts per outcome and each book's. */
  @RegisterForReflection
  record BulkUpserted(
      int received,
      int added,
      int priceChanged,
      int updated,
      int unchanged,
      int events,
      boolean eventsPending,
      List<Outcome> books) {

    static BulkUpserted of(CatalogService.Upserted result) {
      int[] counts = new int[Change.Outcome.values().length];
      for (Change c : result.changes()) {
        counts[c.outcome().ordinal()]++;
      }
      return new BulkUpserted(
          result.changes().size(),
          counts[Change.Outcome.ADDED.ordinal()],
          counts[Change.Outcome.PRICE_CHANGED.ordinal()],
          counts[Change.Outcome.UPDATED.ordinal()],
          counts[Change.Outcome.UNCHANGED.ordinal()],
          result.events(),
          !result.published(),
          result.changes().stream().map(c -> new Outcome(c.book().isbn(), c.outcome())).toList());
    }
  }
}
