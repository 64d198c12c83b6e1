package com.bookstore.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bookstore.events.EventJson;
import com.bookstore.events.EventSchemas;
import com.bookstore.events.EventTypes;
import com.bookstore.kit.CloudEvent;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which change emits what, with which id; plain code, no servers. */
class CatalogEventsTest {
  private static final Instant AT = Instant.parse("2026-01-02T03:04:05.123456Z");

  private static Book book(long cents, String currency, String title) {
    return new Book("9780306406157", title, List.of("Ada Aalto"), "", 2020, cents, currency, 4);
  }

  @Test
  void aNewBookEmitsBookAddedKeyedByItsIsbn() throws Exception {
    CloudEvent event =
        CatalogEvents.of(Change.of(book(1999, "EUR", "T"), null, 0), AT).orElseThrow();
    assertEquals(EventTypes.BOOK_ADDED, event.type());
    assertEquals("9780306406157", event.subject());
    assertEquals("9780306406157", event.partitionKey());
    assertEquals("/bookstore/functions/catalog", event.source());
    assertEquals(AT.toString(), event.time());
    assertEquals(
        List.of(), EventSchemas.validate(event.type(), EventJson.mapper().readTree(event.data())));
  }

  @Test
  void aNewPriceEmitsPriceChangedWithOldAndNew() throws Exception {
    Change change = Change.of(book(2499, "EUR", "T"), book(1999, "EUR", "T"), 1);
    assertEquals(Change.Outcome.PRICE_CHANGED, change.outcome());
    assertEquals(2, change.version());
    CloudEvent event = CatalogEvents.of(change, AT).orElseThrow();
    assertEquals(EventTypes.BOOK_PRICE_CHANGED, event.type());
    var data = EventJson.mapper().readTree(event.data());
    assertEquals(1999, data.at("/oldPrice/cents").asLong());
    assertEquals(2499, data.at("/newPrice/cents").asLong());
    assertEquals(List.of(), EventSchemas.validate(event.type(), data));
  }

  @Test
  void aChangedCurrencyIsAPriceChange() {
    assertEquals(
        Change.Outcome.PRICE_CHANGED,
        Change.of(book(1999, "USD", "T"), book(1999, "EUR", "T"), 1).outcome());
  }

  @Test
  void otherChangesAndUnchangedBooksEmitNothing() {
    Change retitled = Change.of(book(1999, "EUR", "New"), book(1999, "EUR", "Old"), 3);
    assertEquals(Change.Outcome.UPDATED, retitled.outcome());
    assertTrue(CatalogEvents.of(retitled, AT).isEmpty());
    Change same = Change.of(book(1999, "EUR", "T"), book(1999, "EUR", "T"), 3);
    assertEquals(Change.Outcome.UNCHANGED, same.outcome());
    assertEquals(3, same.version());
    assertTrue(CatalogEvents.of(same, AT).isEmpty());
  }

  @Test
  void idsAreTheSameForTheSameChangeAndDifferForEachChange() {
    Change first = Change.of(book(2499, "EUR", "T"), book(1999, "EUR", "T"), 1);
    Change again = Change.of(book(2499, "EUR", "T"), book(1999, "EUR", "T"), 1);
    Change backAndForthLater = Change.of(book(2499, "EUR", "T"), book(1999, "EUR", "T"), 3);
    String id = CatalogEvents.of(first, AT).orElseThrow().id();
    assertEquals(id, CatalogEvents.of(again, AT.plusSeconds(60)).orElseThrow().id());
    assertNotEquals(id, CatalogEvents.of(backAndForthLater, AT).orElseThrow().id());
    assertEquals(
        CatalogEvents.eventId(EventTypes.BOOK_ADDED, "9780306406157", 1),
        CatalogEvents.of(Change.of(book(1, "EUR", "T"), null, 0), AT).orElseThrow().id());
  }
}
