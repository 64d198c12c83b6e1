package com.bookstore.events.delivery;

import java.util.Locale;

/**
 * The documented rule from a postcode to a delivery zone: the postcode upper-cased without spaces
 * or hyphens, then its leading letters when it starts with a letter ({@code SW1A 1AA} -> {@code
 * SW}, {@code EH8 9YL} -> {@code EH}), else its first two digits ({@code 75011} -> {@code 75},
 * {@code 10115} -> {@code 10}, {@code 02134} -> {@code 02}). At most four characters. So a zone is
 * a postal district (a French département, a British postcode area), which is how couriers are
 * usually organised.
 */
public final class Zones {
  private Zones() {}

  /** The zone of {@code postcode}; IllegalArgumentException when it has no letter or digit. */
  public static String of(String postcode) {
    if (postcode == null) {
      throw new IllegalArgumentException("postcode is missing");
    }
    String p = postcode.toUpperCase(Locale.ROOT).replaceAll("[\\s-]", "");
    if (p.isEmpty() || !p.matches("[A-Z0-9]+")) {
      throw new IllegalArgumentException(
          "postcode must be letters and digits (spaces and hyphens allowed), got '"
              + postcode
              + "'");
    }
    if (Character.isLetter(p.charAt(0))) {
      int end = 0;
      while (end < p.length() && end < 4 && Character.isLetter(p.charAt(end))) {
        end++;
      }
      return p.substring(0, end);
    }
    if (p.length() < 2 || !Character.isDigit(p.charAt(1))) {
      throw new IllegalArgumentException(
          "a numeric postcode needs at least two digits, got '" + postcode + "'");
    }
    return p.substring(0, 2);
  }
}
