package com.bookstore.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bookstore.events.EventTypes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RedeliveryTest {

  private static TopicWatcher.RawRecord record(String type, int n) {
    return new TopicWatcher.RawRecord(
        "bookstore-events", 0, n, 0, "order-" + n, new byte[0], List.of(), type, "id-" + n);
  }

  @Test
  void sampleTakesTheFractionOfEveryTypeAndAtLeastOneOfARareOne() {
    List<TopicWatcher.RawRecord> records = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      records.add(record(EventTypes.STOCK_RESERVE, i));
    }
    records.add(record(EventTypes.ORDER_CONFIRMED, 1000));
    Map<String, Long> byType =
        Redelivery.sample(records, 0.05).stream()
            .collect(Collectors.groupingBy(TopicWatcher.RawRecord::type, Collectors.counting()));
    assertEquals(10, byType.get(EventTypes.STOCK_RESERVE));
    assertEquals(1, byType.get(EventTypes.ORDER_CONFIRMED));
  }

  @Test
  void sampleSpreadsOverTheRecordsRatherThanTakingTheFirst() {
    List<TopicWatcher.RawRecord> records = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      records.add(record(EventTypes.STOCK_RESERVE, i));
    }
    List<TopicWatcher.RawRecord> sample = Redelivery.sample(records, 0.1);
    assertEquals(10, sample.size());
    assertTrue(sample.get(9).offset() >= 90, "last copy at offset " + sample.get(9).offset());
  }

  @Test
  void takersAreTheFunctionsTheRoutingTableSendsTheTypeTo() {
    assertEquals(1, Redelivery.takers(EventTypes.STOCK_RESERVE)); // reserve-stock
    assertEquals(2, Redelivery.takers(EventTypes.ORDER_CONFIRMED)); // place-order, notify
    assertEquals(0, Redelivery.takers(EventTypes.NOTIFICATION_SENT));
  }
}
