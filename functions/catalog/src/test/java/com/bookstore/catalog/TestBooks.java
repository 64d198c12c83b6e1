package com.bookstore.catalog;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** Books for tests: fresh ISBNs (the test database outlives a run) and the admin calls. */
final class TestBooks {
  static final String TOKEN = "test-admin-token";

  private TestBooks() {}

  /** A valid ISBN-13 no earlier run has used (with overwhelming likelihood). */
  static String newIsbn() {
    StringBuilder twelve = new StringBuilder("979");
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < 9; i++) {
      twelve.append(random.nextInt(10));
    }
    return twelve.toString() + Isbn.checkDigit(twelve.toString());
  }

  /** A word no seed book and no earlier run contains: letters only, so the parser keeps it. */
  static String newWord() {
    StringBuilder word = new StringBuilder("zq");
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < 10; i++) {
      word.append((char) ('a' + random.nextInt(26)));
    }
    return word.toString();
  }

  static Map<String, Object> book(String isbn, String title, long cents) {
    Map<String, Object> book = new LinkedHashMap<>();
    book.put("isbn", isbn);
    book.put("title", title);
    book.put("authors", new ArrayList<>(List.of("Mara Lindqvist")));
    book.put("description", "A test book.");
    book.put("publishedYear", 2021);
    book.put("price", new LinkedHashMap<>(Map.of("cents", cents, "currency", "EUR")));
    book.put("stock", 7);
    return book;
  }

  static Response put(Map<String, Object> book) {
    return given()
        .header("Authorization", "Bearer " + TOKEN)
        .contentType(ContentType.JSON)
        .body(book)
        .put("/admin/books/" + book.get("isbn"));
  }

  static Response putAll(Object books) {
    return given()
        .header("Authorization", "Bearer " + TOKEN)
        .contentType(ContentType.JSON)
        .body(books)
        .post("/admin/books");
  }

  /** Adds a book and checks it was added. */
  static Map<String, Object> added(String title, long cents) {
    Map<String, Object> book = book(newIsbn(), title, cents);
    put(book).then().statusCode(201);
    return book;
  }
}
