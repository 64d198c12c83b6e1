package com.bookstore.e2e;

import com.bookstore.events.EventJson;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The catalog's seed data set ({@code functions/catalog/src/main/resources/seed/books.json}): the
 * JSON as it is sent to the catalog's admin bulk upsert, and each book's ISBN and stock figure.
 */
public record SeedBooks(JsonNode json, List<Book> books) {

  /** A book's ISBN and the copies the seed says the shop holds. */
  public record Book(String isbn, int stock) {}

  public static Path defaultPath(Path repoRoot) {
    return repoRoot.resolve("functions/catalog/src/main/resources/seed/books.json");
  }

  public static SeedBooks read(Path file) {
    JsonNode json;
    try {
      json = EventJson.mapper().readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the catalog seed " + file + ": " + e, e);
    }
    JsonNode array = json.isArray() ? json : json.path("books");
    if (!array.isArray() || array.isEmpty()) {
      throw new IllegalStateException(
          "the catalog seed " + file + " is not a JSON array of books (nor {books: [...]})");
    }
    List<Book> books = new ArrayList<>();
    for (JsonNode b : array) {
      String isbn = b.path("isbn").asText(null);
      if (isbn == null || !b.path("stock").canConvertToInt()) {
        throw new IllegalStateException(
            "a book in " + file + " has no isbn or no whole-number stock: " + b);
      }
      books.add(new Book(isbn, b.path("stock").asInt()));
    }
    return new SeedBooks(array, List.copyOf(books));
  }

  /** Books with at least one copy, fewest copies first. */
  public List<Book> byStock() {
    return books.stream()
        .filter(b -> b.stock() > 0)
        .sorted(Comparator.comparingInt(Book::stock).thenComparing(Book::isbn))
        .toList();
  }
}
