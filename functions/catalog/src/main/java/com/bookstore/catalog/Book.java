package com.bookstore.catalog;

import com.bookstore.events.payment.Money;
import java.util.List;
import java.util.Objects;

/**
 * A book as the catalog keeps it (table {@code catalog.book}). {@code stock} is the figure shown to
 * buyers; reserve-stock is the authority for holds and sales.
 *
 * @param publishedYear null when unknown
 */
public record Book(
    String isbn,
    String title,
    List<String> authors,
    String description,
    Integer publishedYear,
    long priceCents,
    String currency,
    int stock) {

  public Book {
    Objects.requireNonNull(isbn, "isbn");
    Objects.requireNonNull(title, "title");
    authors = List.copyOf(authors);
    description = description == null ? "" : description;
    Objects.requireNonNull(currency, "currency");
  }

  public Money price() {
    return new Money(priceCents, currency);
  }

  /** Whether the price (amount or currency) differs from {@code other}'s. */
  public boolean priceDiffers(Book other) {
    return priceCents != other.priceCents || !currency.equals(other.currency);
  }
}
