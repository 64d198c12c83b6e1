package com.bookstore.kit.saga;

import com.bookstore.kit.CloudEvent;
import java.util.Objects;

/**
 * An answer from a participant. The step is found from the type (each reply type belongs to one
 * step of the table), so a participant need not echo anything but the saga id it already uses as
 * the partition key.
 *
 * @param key what makes this reply unique, for duplicate detection: the CloudEvent's source and id
 */
public record Reply(String type, String key) {

  public Reply {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(key, "key");
    if (key.isBlank()) {
      throw new IllegalArgumentException("a reply needs a key to recognise its duplicates");
    }
  }

  /** A CloudEvent id is only unique within its source, hence both in the key. */
  public static Reply of(CloudEvent event) {
    return new Reply(event.type(), event.source() + "#" + event.id());
  }
}
