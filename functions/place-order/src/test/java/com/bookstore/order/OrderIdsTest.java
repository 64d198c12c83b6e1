package com.bookstore.order;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class OrderIdsTest {

  @Test
  void idsAreVersion7UuidsOrderedByTime() {
    UUID earlier = OrderIds.next(1_700_000_000_000L);
    UUID later = OrderIds.next(1_700_000_000_001L);
    assertEquals(7, earlier.version());
    assertEquals(2, earlier.variant());
    assertEquals(1_700_000_000_000L, earlier.getMostSignificantBits() >>> 16);
    assertTrue(earlier.toString().compareTo(later.toString()) < 0);
  }

  @Test
  void idsOfTheSameMillisecondDiffer() {
    assertNotEquals(OrderIds.next(1L), OrderIds.next(1L));
  }
}
