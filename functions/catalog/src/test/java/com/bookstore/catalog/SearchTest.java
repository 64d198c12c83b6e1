package com.bookstore.catalog;

import static com.bookstore.catalog.TestBooks.book;
import static com.bookstore.catalog.TestBooks.newIsbn;
import static com.bookstore.catalog.TestBooks.newWord;
import static com.bookstore.catalog.TestBooks.put;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Full-text search and single-book reads against the real PostgreSQL. */
@QuarkusTest
@WithTestResource(value = FreeGrpcPort.class, scope = TestResourceScope.MATCHING_RESOURCES)
class SearchTest {

  @Test
  void aTitleMatchOutranksADescriptionMatch() {
    String word = newWord();
    // The description repeats the word: by ts_rank_cd alone it would score higher than the title.
    Map<String, Object> inDescription = book(newIsbn(), "Harbour Lights", 1500);
    inDescription.put(
        "description",
        String.join(" ", java.util.Collections.nCopies(8, word + " and more " + word)));
    put(inDescription).then().statusCode(201);
    Map<String, Object> inTitle = book(newIsbn(), "The " + word + " Chronicles", 1500);
    put(inTitle).then().statusCode(201);
    Map<String, Object> byAuthor = book(newIsbn(), "Winter Letters", 1500);
    byAuthor.put("authors", List.of("Ilse " + word));
    put(byAuthor).then().statusCode(201);

    List<String> ranked =
        given()
            .queryParam("q", word)
            .get("/books")
            .then()
            .statusCode(200)
            .body("q", equalTo(word))
            .body("total", equalTo(3))
            .extract()
            .path("items.isbn");
    assertEquals(
        List.of(inTitle.get("isbn"), inDescription.get("isbn"), byAuthor.get("isbn")),
        ranked,
        "title match first, then by ts_rank_cd");
  }

  @Test
  void searchMatchesStemsPhrasesAndExclusions() {
    String word = newWord();
    Map<String, Object> gardens = book(newIsbn(), word + " Gardens of the North", 1500);
    put(gardens).then().statusCode(201);
    Map<String, Object> bridges = book(newIsbn(), word + " Bridges", 1500);
    put(bridges).then().statusCode(201);
    given()
        .queryParam("q", word + " garden")
        .get("/books")
        .then()
        .body("items.isbn", equalTo(List.of(gardens.get("isbn"))));
    given()
        .queryParam("q", word + " -bridges")
        .get("/books")
        .then()
        .body("items.isbn", equalTo(List.of(gardens.get("isbn"))));
    given()
        .queryParam("q", "\"" + word + " bridges\"")
        .get("/books")
        .then()
        .body("items.isbn", equalTo(List.of(bridges.get("isbn"))));
  }

  @Test
  void searchPagesWithLimitAndOffset() {
    String word = newWord();
    for (int i = 0; i < 3; i++) {
      put(book(newIsbn(), word + " Volume " + (i + 1), 1000)).then().statusCode(201);
    }
    given()
        .queryParam("q", word)
        .queryParam("limit", 2)
        .get("/books")
        .then()
        .body("total", equalTo(3))
        .body("items.size()", equalTo(2));
    given()
        .queryParam("q", word)
        .queryParam("limit", 2)
        .queryParam("offset", 2)
        .get("/books")
        .then()
        .body("total", equalTo(3))
        .body("items.size()", equalTo(1));
    given()
        .queryParam("q", word)
        .queryParam("offset", 9)
        .get("/books")
        .then()
        .body("total", equalTo(3))
        .body("items", empty());
  }

  @Test
  void aSearchThatMatchesNothingIsAnEmptyPage() {
    given()
        .queryParam("q", newWord())
        .get("/books")
        .then()
        .statusCode(200)
        .body("total", equalTo(0))
        .body("items", empty());
    given()
        .queryParam("q", "the of and")
        .get("/books")
        .then()
        .statusCode(200)
        .body("total", equalTo(0))
        .body("items", empty());
  }

  @Test
  void withoutAQueryItBrowsesByTitle() {
    put(book(newIsbn(), "Browsable", 1000)).then().statusCode(201);
    given()
        .queryParam("limit", 5)
        .get("/books")
        .then()
        .statusCode(200)
        .body("total", greaterThan(0))
        .body("items.size()", greaterThan(0));
  }

  @Test
  void badPagingIsA400NamingTheParameter() {
    given()
        .queryParam("q", "x")
        .queryParam("limit", 0)
        .queryParam("offset", "minus-one")
        .get("/books")
        .then()
        .statusCode(400)
        .body("type", equalTo("https://bookstore.example.com/problems/invalid-search"))
        .body("errors.field", equalTo(List.of("limit", "offset")))
        .body("errors.in", equalTo(List.of("query", "query")));
  }

  @Test
  void oneBookByIsbnWithOrWithoutHyphens() {
    Map<String, Object> book = TestBooks.added("The Lantern Station", 2350);
    String isbn = (String) book.get("isbn");
    String hyphenated = isbn.substring(0, 3) + "-" + isbn.substring(3, 12) + "-" + isbn.charAt(12);
    given()
        .get("/books/" + hyphenated)
        .then()
        .statusCode(200)
        .body("isbn", equalTo(isbn))
        .body("title", equalTo("The Lantern Station"))
        .body("authors", equalTo(List.of("Mara Lindqvist")))
        .body("publishedYear", equalTo(2021))
        .body("price.cents", equalTo(2350))
        .body("price.currency", equalTo("EUR"))
        .body("stock", equalTo(7));
  }

  @Test
  void anUnknownBookIs404AndAMalformedIsbn400() {
    String unknown = newIsbn();
    given()
        .get("/books/" + unknown)
        .then()
        .statusCode(404)
        .contentType("application/problem+json")
        .body("type", equalTo("https://bookstore.example.com/problems/book-not-found"))
        .body("detail", equalTo("no book with ISBN " + unknown + " in the catalog"));
    given()
        .get("/books/12345")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("isbn"))
        .body("errors[0].in", equalTo("path"));
  }
}
