package com.bookstore.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The demo data set: enough books, all valid, priced and stocked as the demo needs. */
class SeedFileTest {
  private static final List<Book> SEED = SeedLoader.read("seed/books.json", new ObjectMapper());

  @Test
  void holdsAtLeastThreeHundredValidBooksWithDistinctIsbns() {
    assertTrue(SEED.size() >= 300, "only " + SEED.size() + " books");
    assertEquals(SEED.size(), new HashSet<>(SEED.stream().map(Book::isbn).toList()).size());
    assertTrue(SEED.stream().allMatch(b -> Isbn.isValid(b.isbn())));
    assertEquals(SEED.size(), new HashSet<>(SEED.stream().map(Book::title).toList()).size());
  }

  @Test
  void pricesAreFiveToSixtyEuros() {
    for (Book book : SEED) {
      assertEquals("EUR", book.currency(), book.isbn());
      assertTrue(
          book.priceCents() >= 500 && book.priceCents() <= 6000,
          book.isbn() + " costs " + book.priceCents());
    }
  }

  @Test
  void stockIsZeroToFiftyWithAHandfulNearlySoldOut() {
    assertTrue(SEED.stream().allMatch(b -> b.stock() >= 0 && b.stock() <= 50));
    long scarce = SEED.stream().filter(b -> b.stock() <= 2).count();
    assertTrue(scarce >= 5 && scarce <= 20, scarce + " books at 0-2 copies");
    assertTrue(SEED.stream().anyMatch(b -> b.stock() == 0), "no sold-out book");
  }

  @Test
  void everyBookHasAuthorsADescriptionAndAYear() {
    for (Book book : SEED) {
      assertTrue(!book.authors().isEmpty(), book.isbn());
      assertTrue(book.description().length() > 40, book.isbn());
      assertTrue(book.publishedYear() != null, book.isbn());
    }
  }
}
