package com.bookstore.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.Function;

/**
 * Gets the shop ready for a run through its own APIs: customers with sessions, the catalog, copies
 * on the shelves; and reads back what the functions say (stock levels, {@code /kit/stats}).
 */
public final class Shop {
  public static final String PASSWORD = "Correct-Horse-42";

  /** Requests in flight at once when many small calls are made (restocks, stock levels). */
  private static final int PARALLEL = 16;

  private final Bookstore store;

  public Shop(Bookstore store) {
    this.store = store;
  }

  /** A registered customer with an open session. */
  public record Customer(String email, String token, String userId) {}

  /** {@code /stock-level} of one book. */
  public record Level(int onHand, int reserved, int available) {}

  /** Registers {@code n} customers (bcrypt: tens of ms each, four at a time) and logs them in. */
  public List<Customer> customers(int n, String runId) {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<CompletableFuture<Customer>> all = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String email = "wl-" + runId + "-" + i + "@example.com";
        String name = "Reader " + i;
        all.add(
            CompletableFuture.supplyAsync(
                () -> {
                  Http.Response r = store.register(email, PASSWORD, name);
                  if (!r.ok()) {
                    throw new IllegalStateException(
                        "registering " + email + ": HTTP " + r.status() + " " + r.body());
                  }
                  return new Customer(email, store.login(email, PASSWORD), r.text("userId"));
                },
                pool));
      }
      return all.stream().map(CompletableFuture::join).toList();
    } finally {
      pool.shutdown();
    }
  }

  /** Upserts the seed's books through the admin API, in chunks of 500. */
  public int loadCatalog(SeedBooks seed, String adminToken) {
    JsonNode books = seed.json();
    int sent = 0;
    for (int from = 0; from < books.size(); from += 500) {
      ArrayNode chunk = com.bookstore.events.EventJson.mapper().createArrayNode();
      for (int i = from; i < Math.min(books.size(), from + 500); i++) {
        chunk.add(books.get(i));
      }
      Http.Response r = store.upsertBooks(chunk, adminToken);
      if (!r.ok()) {
        throw new IllegalStateException(
            "catalog admin upsert: HTTP " + r.status() + " " + Http.abbreviate(r.body()));
      }
      sent += chunk.size();
    }
    return sent;
  }

  /**
   * Tops each book up to {@code target} available copies: restocks only the difference (stock stays
   * in PostgreSQL between runs, and there is no way to take copies away). Returns the levels after.
   */
  public Map<String, Level> topUp(Map<String, Integer> target) {
    Map<String, Level> now = levels(target.keySet());
    parallel(
        target.keySet(),
        isbn -> {
          int missing = target.get(isbn) - now.get(isbn).available();
          return missing > 0
              ? store.restock(isbn, missing).thenApply(r -> check(r, "restock " + isbn))
              : CompletableFuture.completedFuture(null);
        });
    return levels(target.keySet());
  }

  /** Stock levels of these books ({@code 0/0/0} for a book reserve-stock does not know). */
  public Map<String, Level> levels(Collection<String> isbns) {
    Map<String, Level> out = new LinkedHashMap<>();
    Map<String, Http.Response> answers =
        parallel(
            isbns, isbn -> store.stockLevel(isbn).thenApply(r -> check(r, "stock of " + isbn)));
    for (String isbn : isbns) {
      JsonNode j = answers.get(isbn).json();
      out.put(
          isbn,
          new Level(
              j.path("onHand").asInt(), j.path("reserved").asInt(), j.path("available").asInt()));
    }
    return out;
  }

  /** {@code /kit/stats} of each function; a function that does not answer is left out. */
  public Map<String, KitStats> kitStats(Collection<String> functions) {
    Map<String, KitStats> out = new LinkedHashMap<>();
    for (String f : functions) {
      try {
        Http.Response r = store.kitStats(f);
        if (r.ok()) {
          out.put(
              f,
              new KitStats(
                  r.json().path("processed").asLong(),
                  r.json().path("duplicates").asLong(),
                  r.json().path("deadLettered").asLong(),
                  r.json().path("recordsRead").asLong(),
                  r.json().path("recordsOfTypesTaken").asLong()));
        }
      } catch (RuntimeException unreachable) {
        // reported as missing by the caller
      }
    }
    return out;
  }

  /** What {@code /kit/stats} says; {@link #minus} gives what happened between two readings. */
  public record KitStats(
      long processed, long duplicates, long deadLettered, long recordsRead, long recordsTaken) {
    public KitStats minus(KitStats before) {
      return before == null
          ? this
          : new KitStats(
              processed - before.processed,
              duplicates - before.duplicates,
              deadLettered - before.deadLettered,
              recordsRead - before.recordsRead,
              recordsTaken - before.recordsTaken);
    }

    /** The share of the records its consumer read that are of types it takes (1 when none). */
    public double takenShare() {
      return recordsRead == 0 ? 1 : (double) recordsTaken / recordsRead;
    }
  }

  /** Runs one async call per key, at most {@link #PARALLEL} in flight; the answers by key. */
  static <K, V> Map<K, V> parallel(Collection<K> keys, Function<K, CompletableFuture<V>> call) {
    Semaphore slots = new Semaphore(PARALLEL);
    Map<K, CompletableFuture<V>> futures = new LinkedHashMap<>();
    for (K key : keys) {
      slots.acquireUninterruptibly();
      CompletableFuture<V> f;
      try {
        f = call.apply(key);
      } catch (RuntimeException e) {
        slots.release();
        throw e;
      }
      f.whenComplete((v, e) -> slots.release());
      futures.put(key, f);
    }
    Map<K, V> out = new LinkedHashMap<>();
    futures.forEach((k, f) -> out.put(k, f.join()));
    return out;
  }

  private static Http.Response check(Http.Response r, String what) {
    if (!r.ok()) {
      throw new IllegalStateException(
          what + ": HTTP " + r.status() + " " + Http.abbreviate(r.body()));
    }
    return r;
  }
}
