package com.bookstore.kit;

import java.util.List;

/** What a function answers one event with: usually one event, sometimes none or several. */
public record Answer(List<CloudEvent> events) {

  public Answer {
    events = List.copyOf(events);
  }

  public static Answer of(CloudEvent... events) {
    return new Answer(List.of(events));
  }

  public static Answer none() {
    return new Answer(List.of());
  }
}
