package com.bookstore.kit;

import java.util.List;

/**
 * What a function answers one event with: usually one event, sometimes none or several.
 *
 * @param events the events to emit
 * @param remembered whether the idempotency ledger keeps this answer for redeliveries. An answer
 *     that says "nothing was done (yet)", such as a deadline that is not due, must not be
 *     remembered: a later delivery of the same event has to be judged again.
 */
public record Answer(List<CloudEvent> events, boolean remembered) {

  public Answer {
    events = List.copyOf(events);
  }

  public Answer(List<CloudEvent> events) {
    this(events, true);
  }

  public static Answer of(CloudEvent... events) {
    return new Answer(List.of(events));
  }

  public static Answer none() {
    return new Answer(List.of());
  }

  /** Nothing done this time; the ledger forgets the delivery, so a redelivery is judged anew. */
  public static Answer notDoneYet() {
    return new Answer(List.of(), false);
  }
}
