package com.bookstore.catalog;

import com.bookstore.kit.Problem;
import java.util.List;

/** The RFC 9457 problems the catalog's HTTP API answers with (the kit's Problem shape). */
final class CatalogProblems {
  private static final String BASE = "https://bookstore.example.com/problems/";

  private CatalogProblems() {}

  static Problem invalidBook(List<Problem.FieldError> errors) {
    String detail =
        errors.size() == 1
            ? "1 field is wrong; nothing was saved"
            : errors.size() + " fields are wrong; nothing was saved";
    return new Problem(BASE + "invalid-book", "Invalid book", 400, detail, errors);
  }

  static Problem malformedJson(String detail) {
    return new Problem(BASE + "malformed-json", "Malformed JSON", 400, detail, List.of());
  }

  static Problem invalidSearch(List<Problem.FieldError> errors) {
    return new Problem(
        BASE + "invalid-search", "Invalid search", 400, "the search parameters are wrong", errors);
  }

  static Problem invalidIsbn(String detail) {
    return new Problem(
        BASE + "invalid-isbn",
        "Invalid ISBN",
        400,
        "the ISBN in the path is not an ISBN-13",
        List.of(new Problem.FieldError("path", "isbn", detail)));
  }

  static Problem unauthorized(String detail) {
    return new Problem(BASE + "unauthorized", "Admin token required", 401, detail, List.of());
  }

  static Problem bookNotFound(String isbn) {
    return new Problem(
        BASE + "book-not-found",
        "Book not found",
        404,
        "no book with ISBN " + isbn + " in the catalog",
        List.of());
  }

  static Problem payloadTooLarge(long max) {
    return new Problem(
        BASE + "payload-too-large",
        "Payload too large",
        413,
        "the body is larger than " + max + " bytes; send the books in smaller batches",
        List.of());
  }

  static Problem unavailable() {
    return new Problem(
        BASE + "temporarily-unavailable",
        "Temporarily unavailable",
        503,
        "the catalog's database did not answer; retry",
        List.of());
  }
}
