package com.bookstore.catalog;

import com.bookstore.kit.CloudEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The catalog's tables (schema {@code catalog}, migration V1) through the reactive PostgreSQL
 * client: plain SQL, because search ranking, upserts and the cart's price look-up are SQL's job and
 * sit on hot paths where an ORM adds nothing but allocations.
 */
@ApplicationScoped
public class BookStore {
  private static final String COLUMNS =
      "isbn, title, authors, description, published_year, price_cents, currency, stock";

  private final Pool pool;

  BookStore(Pool pool) {
    this.pool = pool;
  }

  /** What an upsert wrote, and the events its changes emit (already in the outbox). */
  public record Saved(List<Change> changes, List<CloudEvent> events) {}

  /** A search hit: the book and its relevance (ts_rank_cd; 0 when browsing without a query). */
  public record Hit(Book book, float rank) {}

  /** One page of hits and how many match in all. */
  public record Page(List<Hit> hits, long total) {}

  /** A row of the cart's price look-up. */
  public record PriceRow(String isbn, long cents, String currency, String title) {}

  /**
   * Adds or replaces books in one transaction and writes the events of their changes to the outbox
   * in the same transaction. Upserts take a table lock that only writers contend for (readers never
   * wait), so two batches touching the same new ISBN cannot both believe they added it.
   */
  public Uni<Saved> upsert(List<Book> books) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    return pool.withTransaction(
        conn ->
            conn.query("lock table catalog.book in share row exclusive mode")
                .execute()
                .flatMap(x -> storedVersions(conn, books))
                .flatMap(
                    stored -> {
                      List<Change> changes = new ArrayList<>();
                      for (Book book : books) {
                        Versioned old = stored.get(book.isbn());
                        changes.add(
                            Change.of(
                                book,
                                old == null ? null : old.book,
                                old == null ? 0 : old.version));
                      }
                      List<CloudEvent> events = new ArrayList<>();
                      for (Change change : changes) {
                        CatalogEvents.of(change, now).ifPresent(events::add);
                      }
                      return write(conn, changes, now)
                          .flatMap(y -> enqueue(conn, events))
                          .replaceWith(new Saved(changes, events));
                    }));
  }

  private record Versioned(Book book, long version) {}

  private static Uni<Map<String, Versioned>> storedVersions(SqlConnection conn, List<Book> books) {
    String[] isbns = books.stream().map(Book::isbn).toArray(String[]::new);
    return conn.preparedQuery(
            "select " + COLUMNS + ", version from catalog.book where isbn = any($1)")
        .execute(Tuple.tuple().addArrayOfString(isbns))
        .map(
            rows -> {
              Map<String, Versioned> stored = new HashMap<>();
              for (Row row : rows) {
                Book book = book(row);
                stored.put(book.isbn(), new Versioned(book, row.getLong("version")));
              }
              return stored;
            });
  }

  private static Uni<Void> write(SqlConnection conn, List<Change> changes, Instant now) {
    OffsetDateTime at = now.atOffset(ZoneOffset.UTC);
    List<Tuple> inserts = new ArrayList<>();
    List<Tuple> updates = new ArrayList<>();
    for (Change change : changes) {
      if (change.outcome() == Change.Outcome.UNCHANGED) {
        continue;
      }
      Book b = change.book();
      Tuple row =
          Tuple.tuple()
              .addString(b.isbn())
              .addString(b.title())
              .addArrayOfString(b.authors().toArray(String[]::new))
              .addString(b.description())
              .addInteger(b.publishedYear())
              .addLong(b.priceCents())
              .addString(b.currency())
              .addInteger(b.stock())
              .addLong(change.version())
              .addOffsetDateTime(at);
      (change.outcome() == Change.Outcome.ADDED ? inserts : updates).add(row);
    }
    Uni<Void> done = Uni.createFrom().voidItem();
    if (!inserts.isEmpty()) {
      done =
          done.flatMap(
              x ->
                  conn.preparedQuery(
                          "insert into catalog.book ("
                              + COLUMNS
                              + ", version, updated_at) values ($1, $2, $3, $4, $5, $6, $7, $8,"
                              + " $9, $10)")
                      .executeBatch(inserts)
                      .replaceWithVoid());
    }
    if (!updates.isEmpty()) {
      done =
          done.flatMap(
              x ->
                  conn.preparedQuery(
                          "update catalog.book set title = $2, authors = $3, description = $4,"
                              + " published_year = $5, price_cents = $6, currency = $7, stock = $8,"
                              + " version = $9, updated_at = $10 where isbn = $1")
                      .executeBatch(updates)
                      .replaceWithVoid());
    }
    return done;
  }

  private static Uni<Void> enqueue(SqlConnection conn, List<CloudEvent> events) {
    if (events.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    List<Tuple> rows = new ArrayList<>();
    for (CloudEvent e : events) {
      rows.add(
          Tuple.tuple()
              .addString(e.id())
              .addString(e.type())
              .addString(e.subject())
              .addOffsetDateTime(OffsetDateTime.parse(e.time()))
              .addString(new String(e.data(), java.nio.charset.StandardCharsets.UTF_8)));
    }
    return conn.preparedQuery(
            "insert into catalog.outbox (id, type, subject, occurred_at, data)"
                + " values ($1, $2, $3, $4, $5) on conflict (id) do nothing")
        .executeBatch(rows)
        .replaceWithVoid();
  }

  public Uni<Optional<Book>> find(String isbn) {
    return pool.preparedQuery("select " + COLUMNS + " from catalog.book where isbn = $1")
        .execute(Tuple.of(isbn))
        .map(
            rows ->
                rows.size() == 0 ? Optional.empty() : Optional.of(book(rows.iterator().next())));
  }

  /** The prices of the books asked for, in one query (absent ISBNs simply have no row). */
  public Uni<List<PriceRow>> prices(String[] isbns) {
    return pool.preparedQuery(
            "select isbn, price_cents, currency, title from catalog.book where isbn = any($1)")
        .execute(Tuple.tuple().addArrayOfString(isbns))
        .map(
            rows -> {
              List<PriceRow> prices = new ArrayList<>(rows.size());
              for (Row row : rows) {
                prices.add(
                    new PriceRow(
                        row.getString(0), row.getLong(1), row.getString(2), row.getString(3)));
              }
              return prices;
            });
  }

  /**
   * Full-text search ({@code websearch_to_tsquery}: words, "phrases", or, -not). Books whose title
   * alone satisfies the query come first, then by {@code ts_rank_cd}: the weights alone would let a
   * description that repeats a word outrank a title that has it once.
   */
  public Uni<Page> search(String query, int limit, int offset) {
    return pool.preparedQuery(
            "select "
                + COLUMNS
                + ", ts_rank_cd(search, q) as rank, count(*) over () as total"
                + " from catalog.book, websearch_to_tsquery('english', $1) q"
                + " where search @@ q"
                + " order by ts_filter(search, '{a}') @@ q desc, rank desc, isbn"
                + " limit $2 offset $3")
        .execute(Tuple.of(query, limit, offset))
        .flatMap(
            rows ->
                page(
                    rows,
                    offset,
                    () ->
                        pool.preparedQuery(
                                "select count(*) from catalog.book,"
                                    + " websearch_to_tsquery('english', $1) q where search @@ q")
                            .execute(Tuple.of(query))));
  }

  /** Every book by title, for browsing without a query. */
  public Uni<Page> browse(int limit, int offset) {
    return pool.preparedQuery(
            "select "
                + COLUMNS
                + ", 0::real as rank, count(*) over () as total from catalog.book"
                + " order by title, isbn limit $1 offset $2")
        .execute(Tuple.of(limit, offset))
        .flatMap(
            rows ->
                page(
                    rows, offset, () -> pool.query("select count(*) from catalog.book").execute()));
  }

  /**
   * The window count rides on the page's rows; a page past the end has none, so only then is the
   * total counted separately.
   */
  private static Uni<Page> page(
      RowSet<Row> rows, int offset, java.util.function.Supplier<Uni<RowSet<Row>>> count) {
    List<Hit> hits = new ArrayList<>(rows.size());
    long total = 0;
    for (Row row : rows) {
      hits.add(new Hit(book(row), row.getFloat("rank")));
      total = row.getLong("total");
    }
    if (!hits.isEmpty() || offset == 0) {
      return Uni.createFrom().item(new Page(hits, total));
    }
    return count.get().map(r -> new Page(hits, r.iterator().next().getLong(0)));
  }

  /** Outbox events older than {@code before}, oldest first. */
  public Uni<List<CloudEvent>> pending(Instant before, int limit) {
    return pool.preparedQuery(
            "select id, type, subject, occurred_at, data from catalog.outbox"
                + " where occurred_at < $1 order by seq limit $2")
        .execute(Tuple.of(before.atOffset(ZoneOffset.UTC), limit))
        .map(
            rows -> {
              List<CloudEvent> events = new ArrayList<>(rows.size());
              for (Row row : rows) {
                events.add(
                    CatalogEvents.cloudEvent(
                        row.getString("id"),
                        row.getString("type"),
                        row.getString("subject"),
                        row.getOffsetDateTime("occurred_at").toInstant().toString(),
                        row.getString("data").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
              }
              return events;
            });
  }

  /** Forgets outbox events once Kafka has them. */
  public Uni<Void> published(List<CloudEvent> events) {
    if (events.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return pool.preparedQuery("delete from catalog.outbox where id = any($1)")
        .execute(
            Tuple.tuple()
                .addArrayOfString(events.stream().map(CloudEvent::id).toArray(String[]::new)))
        .replaceWithVoid();
  }

  private static Book book(Row row) {
    return new Book(
        row.getString("isbn"),
        row.getString("title"),
        Arrays.asList(row.getArrayOfStrings("authors")),
        row.getString("description"),
        row.getInteger("published_year"),
        row.getLong("price_cents"),
        row.getString("currency"),
        row.getInteger("stock"));
  }
}
