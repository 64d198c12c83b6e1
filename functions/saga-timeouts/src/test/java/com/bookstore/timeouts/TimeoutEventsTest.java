package com.bookstore.timeouts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.bookstore.events.EventCatalogue;
import com.bookstore.events.EventJson;
import com.bookstore.events.EventSchemas;
import com.bookstore.events.EventTypes;
import com.bookstore.kit.CloudEvent;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sweep's events and their ids, without a server. */
class TimeoutEventsTest {
  static final Instant DEADLINE = Instant.parse("2026-11-22T18:00:10.123456Z");

  @Test
  void theSameDeadlineFoundAgainGivesTheSameIdWhenever() {
    CloudEvent first = TimeoutEvents.deadlinePassed("order-1", DEADLINE, Instant.now());
    CloudEvent again =
        TimeoutEvents.deadlinePassed("order-1", DEADLINE, Instant.now().plusSeconds(60));
    assertEquals(first.id(), again.id());
  }

  @Test
  void aMovedDeadlineAnotherSagaOrAnotherTypeGivesAnotherId() {
    String id = TimeoutEvents.deadlinePassed("order-1", DEADLINE, Instant.now()).id();
    assertNotEquals(
        id, TimeoutEvents.deadlinePassed("order-1", DEADLINE.plusNanos(1000), Instant.now()).id());
    assertNotEquals(id, TimeoutEvents.deadlinePassed("order-2", DEADLINE, Instant.now()).id());
    assertNotEquals(id, TimeoutEvents.expireStock("order-1", DEADLINE, Instant.now()).id());
  }

  @Test
  void deadlinePassedCarriesTheSagaAsSubjectAndPartitionKeyAndMatchesItsSchema() throws Exception {
    CloudEvent event = TimeoutEvents.deadlinePassed("order-7", DEADLINE, Instant.now());
    assertEquals(EventTypes.SAGA_DEADLINE_PASSED, event.type());
    assertEquals("/bookstore/functions/saga-timeouts", event.source());
    assertEquals("order-7", event.subject());
    assertEquals("order-7", event.partitionKey());
    assertEquals("application/json", event.datacontenttype());
    assertEquals(EventCatalogue.get(event.type()).dataschema(), event.dataschema());
    var data = EventJson.mapper().readTree(event.data());
    assertEquals(List.of(), EventSchemas.validate(event.type(), data));
    assertEquals("order-7", data.get("sagaId").asText());
    assertEquals(DEADLINE, Instant.parse(data.get("deadline").asText()));
  }

  @Test
  void expireStockCarriesTheOrderAsSubjectAndPartitionKeyAndMatchesItsSchema() throws Exception {
    CloudEvent event = TimeoutEvents.expireStock("order-8", DEADLINE, Instant.now());
    assertEquals(EventTypes.STOCK_EXPIRE, event.type());
    assertEquals("order-8", event.subject());
    assertEquals("order-8", event.partitionKey());
    assertEquals(EventCatalogue.get(event.type()).dataschema(), event.dataschema());
    var data = EventJson.mapper().readTree(event.data());
    assertEquals(List.of(), EventSchemas.validate(event.type(), data));
    assertEquals("{\"orderId\":\"order-8\"}", data.toString());
  }
}
