package com.bookstore.catalog;

import java.util.Optional;

/**
 * ISBN-13: 13 digits with the EAN prefix 978 or 979, the last one a check digit (weights 1 and 3
 * alternating, total divisible by 10). Hyphens and spaces, as printed on books, are accepted and
 * dropped; the catalog stores and answers the 13 digits.
 */
public final class Isbn {
  private Isbn() {}

  /** The 13 digits of {@code text} with hyphens and spaces removed (not yet checked). */
  public static String normalize(String text) {
    return text == null ? null : text.replace("-", "").replace(" ", "");
  }

  /** What is wrong with {@code text} as an ISBN-13, or empty when it is one. */
  public static Optional<String> problem(String text) {
    String digits = normalize(text);
    if (digits == null || digits.isEmpty()) {
      return Optional.of("is missing");
    }
    if (!digits.matches("[0-9]{13}")) {
      return Optional.of("must be an ISBN-13 (13 digits), got \"" + text + "\"");
    }
    if (!digits.startsWith("978") && !digits.startsWith("979")) {
      return Optional.of("must start with 978 or 979, got \"" + text + "\"");
    }
    char expected = checkDigit(digits.substring(0, 12));
    if (digits.charAt(12) != expected) {
      return Optional.of(
          "has a wrong check digit: " + digits.charAt(12) + " where " + expected + " is due");
    }
    return Optional.empty();
  }

  public static boolean isValid(String text) {
    return problem(text).isEmpty();
  }

  /** The check digit that completes twelve digits into an ISBN-13. */
  public static char checkDigit(String twelveDigits) {
    if (!twelveDigits.matches("[0-9]{12}")) {
      throw new IllegalArgumentException("twelve digits expected, got " + twelveDigits);
    }
    int sum = 0;
    for (int i = 0; i < 12; i++) {
      int digit = twelveDigits.charAt(i) - '0';
      sum += (i % 2 == 0) ? digit : 3 * digit;
    }
    return (char) ('0' + (10 - sum % 10) % 10);
  }
}
