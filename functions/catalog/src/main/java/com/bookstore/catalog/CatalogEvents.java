package com.bookstore.catalog;

import com.bookstore.events.EventCatalogue;
import com.bookstore.events.EventJson;
import com.bookstore.events.EventType;
import com.bookstore.events.EventTypes;
import com.bookstore.events.Routing;
import com.bookstore.events.book.BookAdded;
import com.bookstore.events.book.BookPriceChanged;
import com.bookstore.kit.CloudEvent;
import com.bookstore.kit.CloudEventCodec;
import com.bookstore.kit.InboundEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The facts a catalog change emits. Ids are derived from the book and its version after the change,
 * so the same change always has the same id (a re-publish from the outbox is recognisable
 * downstream) and two different changes never share one, even when a price goes back and forth.
 * Subject and partition key are the ISBN, so one book's facts stay in order.
 */
public final class CatalogEvents {
  static final String FUNCTION = Routing.Functions.CATALOG;

  private CatalogEvents() {}

  /** The event {@code change} emits: added or price-changed; nothing for other outcomes. */
  public static Optional<CloudEvent> of(Change change, Instant at) {
    Book book = change.book();
    return switch (change.outcome()) {
      case ADDED ->
          Optional.of(
              event(
                  EventTypes.BOOK_ADDED,
                  book.isbn(),
                  change.version(),
                  at,
                  new BookAdded(book.isbn(), book.title(), book.authors(), book.price())));
      case PRICE_CHANGED ->
          Optional.of(
              event(
                  EventTypes.BOOK_PRICE_CHANGED,
                  book.isbn(),
                  change.version(),
                  at,
                  new BookPriceChanged(book.isbn(), change.previous().price(), book.price())));
      case UPDATED, UNCHANGED -> Optional.empty();
    };
  }

  public static String eventId(String type, String isbn, long version) {
    String seed = FUNCTION + "\n" + type + "\n" + isbn + "\n" + version;
    return UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8)).toString();
  }

  private static CloudEvent event(String type, String isbn, long version, Instant at, Object data) {
    try {
      return cloudEvent(
          eventId(type, isbn, version),
          type,
          isbn,
          at.toString(),
          EventJson.mapper().writeValueAsBytes(data));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + type + " data", e);
    }
  }

  /** A catalog fact as it goes on the topic (also rebuilt from an outbox row). */
  static CloudEvent cloudEvent(String id, String type, String isbn, String time, byte[] data) {
    EventType eventType = EventCatalogue.get(type);
    return new CloudEvent(
        id,
        InboundEvent.sourceOf(FUNCTION),
        eventType.type(),
        isbn,
        time,
        CloudEventCodec.JSON,
        eventType.dataschema(),
        Map.of(CloudEvent.PARTITION_KEY, isbn),
        data);
  }
}
