package com.bookstore.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bookstore.kit.Problem;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class BookValidatorTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text.replace('\'', '"'));
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static Map<String, String> byField(List<Problem.FieldError> errors) {
    return errors.stream()
        .collect(Collectors.toMap(e -> e.in() + " " + e.field(), Problem.FieldError::detail));
  }

  @Test
  void acceptsACompleteBook() {
    BookValidator.Result result =
        BookValidator.one(
            "978-0-306-40615-7",
            json(
                "{'title':' Salt and Light ','authors':['Ada Aalto'],'description':'d',"
                    + "'publishedYear':2020,'price':{'cents':1999,'currency':'EUR'},'stock':3}"));
    assertTrue(result.valid(), result.errors().toString());
    Book book = result.books().get(0);
    assertEquals("9780306406157", book.isbn());
    assertEquals("Salt and Light", book.title());
    assertEquals(1999, book.priceCents());
    assertEquals(3, book.stock());
  }

  @Test
  void optionalFieldsDefaultToEmptyUnknownAndZero() {
    Book book =
        BookValidator.one(
                "9780306406157",
                json("{'title':'T','authors':['A'],'price':{'cents':500,'currency':'EUR'}}"))
            .books()
            .get(0);
    assertEquals("", book.description());
    assertNull(book.publishedYear());
    assertEquals(0, book.stock());
  }

  @Test
  void namesEveryWrongFieldAtOnce() {
    BookValidator.Result result =
        BookValidator.one(
            "9780306406158",
            json(
                "{'authors':[],'publishedYear':1200,'price':{'cents':-5,'currency':'euro'},"
                    + "'stock':-1,'colour':'red'}"));
    Map<String, String> errors = byField(result.errors());
    assertEquals("has a wrong check digit: 8 where 7 is due", errors.get("path isbn"));
    assertEquals("is missing", errors.get("body /title"));
    assertTrue(errors.get("body /authors").startsWith("must name 1 to 50 authors"));
    assertTrue(errors.get("body /publishedYear").startsWith("must be between 1450"));
    assertEquals("must not be negative, got -5", errors.get("body /price/cents"));
    assertTrue(errors.get("body /price/currency").startsWith("must be an ISO 4217 code"));
    assertTrue(errors.get("body /stock").startsWith("must be between 0"));
    assertTrue(errors.get("body /colour").startsWith("is not a field of a book"));
    assertEquals(8, result.errors().size(), result.errors().toString());
    assertTrue(result.books().isEmpty());
  }

  @Test
  void refusesABodyIsbnThatDisagreesWithThePath() {
    BookValidator.Result result =
        BookValidator.one(
            "9780306406157",
            json(
                "{'isbn':'9791234567896','title':'T','authors':['A'],"
                    + "'price':{'cents':500,'currency':'EUR'}}"));
    assertEquals(List.of("body /isbn"), List.copyOf(byField(result.errors()).keySet()));
  }

  @Test
  void batchErrorsPointIntoTheArrayAndNothingIsKept() {
    BookValidator.Result result =
        BookValidator.many(
            json(
                "[{'isbn':'9780306406157','title':'Good','authors':['A'],"
                    + "'price':{'cents':500,'currency':'EUR'}},"
                    + "{'isbn':'9780306406157','title':'Twin','authors':['A'],"
                    + "'price':{'cents':500,'currency':'EUR'}},"
                    + "{'isbn':'12345','title':'','authors':['A'],'price':{'currency':'EUR'}}]"),
            10);
    Map<String, String> errors = byField(result.errors());
    assertEquals("repeats the book at /0", errors.get("body /1/isbn"));
    assertTrue(errors.get("body /2/isbn").startsWith("must be an ISBN-13"));
    assertEquals("must not be blank", errors.get("body /2/title"));
    assertEquals("is missing", errors.get("body /2/price/cents"));
    assertTrue(result.books().isEmpty(), "a batch is all or nothing");
  }

  @Test
  void refusesABatchThatIsNotAnArrayOrTooBig() {
    assertEquals(
        "must be a JSON array of books",
        BookValidator.many(json("{}"), 10).errors().get(0).detail());
    assertTrue(
        BookValidator.many(json("[{},{},{}]"), 2)
            .errors()
            .get(0)
            .detail()
            .contains("at most 2 at once"));
  }
}
