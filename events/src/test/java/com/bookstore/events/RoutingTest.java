package com.bookstore.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RoutingTest {

  @Test
  void everyCommandHasExactlyOneFunctionThatTakesIt() {
    for (EventType type : EventCatalogue.all()) {
      if (type.kind() != EventKind.COMMAND) {
        continue;
      }
      long takers = Routing.all().stream().filter(r -> r.takes(type.type())).count();
      assertEquals(1, takers, type.type() + " is taken by " + takers + " functions");
    }
  }

  @Test
  void everyPayloadIsTheDataOfExactlyOneType() {
    for (EventType type : EventCatalogue.all()) {
      assertEquals(type, EventCatalogue.forPayload(type.payload()));
    }
  }

  @Test
  void typeNamesFollowTheConvention() {
    for (EventType type : EventCatalogue.all()) {
      assertTrue(type.type().matches("com\\.bookstore\\.[a-z]+\\.[a-z-]+\\.v[0-9]+"), type.type());
    }
  }
}
