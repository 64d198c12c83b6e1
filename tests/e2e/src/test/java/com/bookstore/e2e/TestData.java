package com.bookstore.e2e;

import com.bookstore.events.Routing.Functions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** What the end-to-end tests make and read alike: books with stock, and one value from a table. */
final class TestData {
  private static final Map<String, String> ENV = System.getenv();

  private TestData() {}

  /** A new book in the catalog with that price, and that many copies in reserve-stock. */
  static String book(
      Http http, Bookstore store, String adminToken, String title, long cents, int copies) {
    String isbn = isbn13();
    Map<String, Object> book = new HashMap<>();
    book.put("isbn", isbn);
    book.put("title", title + ", Volume " + isbn.substring(9));
    book.put("authors", List.of("Test Author"));
    book.put("description", "A book made by an end-to-end test: " + title);
    book.put("publishedYear", 2026);
    book.put("price", Map.of("cents", cents, "currency", "EUR"));
    book.put("stock", copies);
    http.postJson(
            store.url(Functions.CATALOG, "/admin/books"),
            List.of(book),
            "Authorization",
            "Bearer " + adminToken)
        .expect(200, "catalog upsert");
    store.restock(isbn, copies).join().expect(200, "restock");
    return isbn;
  }

  /** A random ISBN-13 in the 979 range, with its check digit. */
  static String isbn13() {
    StringBuilder digits = new StringBuilder("979");
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < 9; i++) {
      digits.append(random.nextInt(10));
    }
    int sum = 0;
    for (int i = 0; i < 12; i++) {
      sum += (digits.charAt(i) - '0') * (i % 2 == 0 ? 1 : 3);
    }
    return digits.append((10 - sum % 10) % 10).toString();
  }

  /** The first column of the first row, or null; one parameter. */
  static String one(String sql, String parameter) throws SQLException {
    try (Connection c = connect();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, parameter);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? r.getString(1) : null;
      }
    }
  }

  /** The local stack's PostgreSQL, from its environment. */
  static Connection connect() throws SQLException {
    String url =
        "jdbc:postgresql://%s:%s/%s"
            .formatted(
                ENV.getOrDefault("BOOKSTORE_PG_HOST", "127.0.0.1"),
                ENV.getOrDefault("BOOKSTORE_PG_PORT", "15432"),
                ENV.getOrDefault("BOOKSTORE_PG_DB", "bookstore"));
    return DriverManager.getConnection(
        url,
        ENV.getOrDefault("BOOKSTORE_PG_USER", "bookstore"),
        ENV.getOrDefault("BOOKSTORE_PG_PASSWORD", "bookstore-local"));
  }
}
