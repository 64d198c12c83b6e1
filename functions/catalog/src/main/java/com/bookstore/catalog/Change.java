package com.bookstore.catalog;

/**
 * What an upsert did to one book.
 *
 * @param previous the book before, null when it was added
 * @param version the book's version after the upsert (1 when added, +1 per change)
 */
public record Change(Book book, Outcome outcome, Book previous, long version) {

  public enum Outcome {
    /** New to the catalog: emits book.added. */
    ADDED,
    /** The price (amount or currency) changed, maybe other fields too: emits book.price-changed. */
    PRICE_CHANGED,
    /** Something other than the price changed: no event (the catalogue has no type for it). */
    UPDATED,
    /** Identical to what is stored: nothing written, nothing emitted. */
    UNCHANGED
  }

  /** The outcome of writing {@code book} over {@code stored} (null when absent). */
  public static Change of(Book book, Book stored, long storedVersion) {
    if (stored == null) {
      return new Change(book, Outcome.ADDED, null, 1);
    }
    if (stored.equals(book)) {
      return new Change(book, Outcome.UNCHANGED, stored, storedVersion);
    }
    Outcome outcome = book.priceDiffers(stored) ? Outcome.PRICE_CHANGED : Outcome.UPDATED;
    return new Change(book, outcome, stored, storedVersion + 1);
  }
}
