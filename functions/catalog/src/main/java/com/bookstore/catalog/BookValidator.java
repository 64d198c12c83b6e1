package com.bookstore.catalog;

import com.bookstore.kit.Problem;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Year;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns the admin API's JSON into books, naming every field at fault (a JSON Pointer into the body)
 * rather than stopping at the first, so one 400 tells the sender all there is to fix.
 *
 * <p>A book: {@code isbn}, {@code title}, {@code authors} (1-50 names), {@code price: {cents,
 * currency}} required; {@code description}, {@code publishedYear}, {@code stock} optional (empty,
 * unknown, 0). A PUT replaces the whole book, so an omitted optional field is reset.
 */
public final class BookValidator {
  static final int MAX_TITLE = 500;
  static final int MAX_AUTHORS = 50;
  static final int MAX_AUTHOR = 200;
  static final int MAX_DESCRIPTION = 10_000;
  static final int FIRST_PRINTED_YEAR = 1450;
  static final long MAX_PRICE_CENTS = 100_000_000L;
  static final int MAX_STOCK = 1_000_000;

  private static final Set<String> FIELDS =
      Set.of("isbn", "title", "authors", "description", "publishedYear", "price", "stock");
  private static final Set<String> PRICE_FIELDS = Set.of("cents", "currency");

  /** Books, or every error found. */
  public record Result(List<Book> books, List<Problem.FieldError> errors) {
    public boolean valid() {
      return errors.isEmpty();
    }
  }

  private BookValidator() {}

  /** One book (PUT): the ISBN comes from the path; an ISBN in the body must agree with it. */
  public static Result one(String pathIsbn, JsonNode body) {
    List<Problem.FieldError> errors = new ArrayList<>();
    Optional<String> isbnProblem = Isbn.problem(pathIsbn);
    isbnProblem.ifPresent(p -> errors.add(new Problem.FieldError("path", "isbn", p)));
    String isbn = Isbn.normalize(pathIsbn);
    if (body == null || !body.isObject()) {
      errors.add(body("", "must be a JSON object (one book)"));
      return new Result(List.of(), errors);
    }
    JsonNode bodyIsbn = body.get("isbn");
    if (bodyIsbn != null && !bodyIsbn.isNull()) {
      if (!bodyIsbn.isTextual()) {
        errors.add(body("/isbn", "must be a string"));
      } else if (isbnProblem.isEmpty() && !isbn.equals(Isbn.normalize(bodyIsbn.asText()))) {
        errors.add(body("/isbn", "is " + bodyIsbn.asText() + " but the path says " + pathIsbn));
      }
    }
    Book book = book(body, "", isbnProblem.isEmpty() ? isbn : null, errors);
    return new Result(book == null ? List.of() : List.of(book), errors);
  }

  /** A batch (bulk POST): a JSON array of books, each with its ISBN; all or nothing. */
  public static Result many(JsonNode body, int maxBooks) {
    List<Problem.FieldError> errors = new ArrayList<>();
    if (body == null || !body.isArray()) {
      errors.add(body("", "must be a JSON array of books"));
      return new Result(List.of(), errors);
    }
    if (body.isEmpty()) {
      errors.add(body("", "holds no books"));
      return new Result(List.of(), errors);
    }
    if (body.size() > maxBooks) {
      errors.add(body("", "holds " + body.size() + " books; at most " + maxBooks + " at once"));
      return new Result(List.of(), errors);
    }
    List<Book> books = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < body.size(); i++) {
      String at = "/" + i;
      JsonNode node = body.get(i);
      if (!node.isObject()) {
        errors.add(body(at, "must be a JSON object (a book)"));
        continue;
      }
      String isbn = null;
      JsonNode isbnNode = node.get("isbn");
      if (isbnNode == null || isbnNode.isNull()) {
        errors.add(body(at + "/isbn", "is missing"));
      } else if (!isbnNode.isTextual()) {
        errors.add(body(at + "/isbn", "must be a string"));
      } else {
        Optional<String> problem = Isbn.problem(isbnNode.asText());
        if (problem.isPresent()) {
          errors.add(body(at + "/isbn", problem.get()));
        } else {
          isbn = Isbn.normalize(isbnNode.asText());
          Integer first = seen.putIfAbsent(isbn, i);
          if (first != null) {
            errors.add(body(at + "/isbn", "repeats the book at /" + first));
          }
        }
      }
      Book book = book(node, at, isbn, errors);
      if (book != null) {
        books.add(book);
      }
    }
    return new Result(errors.isEmpty() ? books : List.of(), errors);
  }

  /** The book at {@code at}, or null when something is wrong (then errors says what). */
  private static Book book(JsonNode node, String at, String isbn, List<Problem.FieldError> errors) {
    int before = errors.size();
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        errors.add(body(at + "/" + name, "is not a field of a book; known: " + sorted(FIELDS)));
      }
    }
    String title = text(node, at, "title", MAX_TITLE, true, errors);
    List<String> authors = authors(node.get("authors"), at + "/authors", errors);
    String description = text(node, at, "description", MAX_DESCRIPTION, false, errors);
    Integer year =
        integer(
            node.get("publishedYear"),
            at + "/publishedYear",
            FIRST_PRINTED_YEAR,
            Year.now().getValue() + 1,
            errors);
    Integer stock = integer(node.get("stock"), at + "/stock", 0, MAX_STOCK, errors);
    long cents = 0;
    String currency = null;
    JsonNode price = node.get("price");
    if (price == null || price.isNull()) {
      errors.add(body(at + "/price", "is missing"));
    } else if (!price.isObject()) {
      errors.add(body(at + "/price", "must be an object {cents, currency}"));
    } else {
      for (Iterator<String> names = price.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!PRICE_FIELDS.contains(name)) {
          errors.add(
              body(at + "/price/" + name, "is not a field of a price; known: cents, currency"));
        }
      }
      JsonNode centsNode = price.get("cents");
      if (centsNode == null || centsNode.isNull()) {
        errors.add(body(at + "/price/cents", "is missing"));
      } else if (!centsNode.isIntegralNumber() || !centsNode.canConvertToLong()) {
        errors.add(body(at + "/price/cents", "must be a whole number of cents, got " + centsNode));
      } else if (centsNode.asLong() < 0) {
        errors.add(body(at + "/price/cents", "must not be negative, got " + centsNode.asLong()));
      } else if (centsNode.asLong() > MAX_PRICE_CENTS) {
        errors.add(body(at + "/price/cents", "must be at most " + MAX_PRICE_CENTS));
      } else {
        cents = centsNode.asLong();
      }
      JsonNode currencyNode = price.get("currency");
      if (currencyNode == null || currencyNode.isNull()) {
        errors.add(body(at + "/price/currency", "is missing"));
      } else if (!currencyNode.isTextual() || !currencyNode.asText().matches("[A-Z]{3}")) {
        errors.add(
            body(
                at + "/price/currency",
                "must be an ISO 4217 code such as EUR, got " + currencyNode));
      } else {
        currency = currencyNode.asText();
      }
    }
    if (errors.size() > before || isbn == null) {
      return null;
    }
    return new Book(
        isbn, title, authors, description, year, cents, currency, stock == null ? 0 : stock);
  }

  private static String text(
      JsonNode node,
      String at,
      String field,
      int max,
      boolean required,
      List<Problem.FieldError> errors) {
    JsonNode value = node.get(field);
    String pointer = at + "/" + field;
    if (value == null || value.isNull()) {
      if (required) {
        errors.add(body(pointer, "is missing"));
      }
      return required ? null : "";
    }
    if (!value.isTextual()) {
      errors.add(body(pointer, "must be a string"));
      return null;
    }
    String text = value.asText().strip();
    if (required && text.isEmpty()) {
      errors.add(body(pointer, "must not be blank"));
    } else if (text.length() > max) {
      errors.add(body(pointer, "must be at most " + max + " characters, got " + text.length()));
    }
    return text;
  }

  private static List<String> authors(
      JsonNode value, String pointer, List<Problem.FieldError> errors) {
    if (value == null || value.isNull()) {
      errors.add(body(pointer, "is missing"));
      return null;
    }
    if (!value.isArray()) {
      errors.add(body(pointer, "must be an array of names"));
      return null;
    }
    if (value.isEmpty() || value.size() > MAX_AUTHORS) {
      errors.add(body(pointer, "must name 1 to " + MAX_AUTHORS + " authors, got " + value.size()));
      return null;
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i < value.size(); i++) {
      JsonNode name = value.get(i);
      if (!name.isTextual() || name.asText().isBlank()) {
        errors.add(body(pointer + "/" + i, "must be a non-blank name"));
      } else if (name.asText().strip().length() > MAX_AUTHOR) {
        errors.add(body(pointer + "/" + i, "must be at most " + MAX_AUTHOR + " characters"));
      } else {
        names.add(name.asText().strip());
      }
    }
    return names;
  }

  /** An optional whole number within bounds: null when absent or wrong. */
  private static Integer integer(
      JsonNode value, String pointer, int min, int max, List<Problem.FieldError> errors) {
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      errors.add(body(pointer, "must be a whole number, got " + value));
      return null;
    }
    int n = value.asInt();
    if (n < min || n > max) {
      errors.add(body(pointer, "must be between " + min + " and " + max + ", got " + n));
      return null;
    }
    return n;
  }

  private static Problem.FieldError body(String pointer, String detail) {
    return new Problem.FieldError("body", pointer, detail);
  }

  private static String sorted(Set<String> names) {
    return String.join(", ", new java.util.TreeSet<>(names));
  }
}
