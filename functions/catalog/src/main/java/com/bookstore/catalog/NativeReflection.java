package com.bookstore.catalog;

import com.bookstore.events.book.BookAdded;
import com.bookstore.events.book.BookPriceChanged;
import com.bookstore.events.payment.Money;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Jackson writes the catalog's facts by reflection; the events module has no Quarkus index, so a
 * native image keeps them only when told; the outcome enum is written into admin replies. (The HTTP
 * views are annotated where they are declared.)
 */
@RegisterForReflection(
    targets = {BookAdded.class, BookPriceChanged.class, Money.class, Change.Outcome.class})
final class NativeReflection {
  private NativeReflection() {}
}
