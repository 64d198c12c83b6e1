package com.bookstore.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class IsbnTest {

  @Test
  void acceptsIsbn13WithACorrectCheckDigit() {
    assertTrue(Isbn.isValid("9780306406157"));
    assertTrue(Isbn.isValid("9791234567896"));
  }

  @Test
  void acceptsHyphensAndSpacesAsPrinted() {
    assertTrue(Isbn.isValid("978-0-306-40615-7"));
    assertTrue(Isbn.isValid("978 0 306 40615 7"));
    assertEquals("9780306406157", Isbn.normalize("978-0-306-40615-7"));
  }

  @Test
  void refusesAWrongCheckDigitSayingWhichIsDue() {
    assertEquals(
        "has a wrong check digit: 8 where 7 is due", Isbn.problem("9780306406158").orElseThrow());
  }

  @Test
  void refusesWrongLengthsLettersAndPrefixes() {
    assertFalse(Isbn.isValid("978030640615"));
    assertFalse(Isbn.isValid("97803064061577"));
    assertFalse(Isbn.isValid("0306406152")); // ISBN-10
    assertFalse(Isbn.isValid("978030640615X"));
    assertTrue(Isbn.problem("9770306406158").orElseThrow().contains("978 or 979"));
    assertEquals("is missing", Isbn.problem("").orElseThrow());
    assertEquals("is missing", Isbn.problem(null).orElseThrow());
  }

  @Test
  void checkDigitCompletesTwelveDigits() {
    assertEquals('7', Isbn.checkDigit("978030640615"));
    assertEquals('0', Isbn.checkDigit("978316148410"));
  }
}
