package com.bookstore.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LatenciesTest {

  @Test
  void percentilesAreNearestRankValuesThatWereObserved() {
    Latencies l = new Latencies();
    for (int i = 300; i >= 1; i--) {
      l.add(i);
    }
    assertEquals(150, l.percentile(50));
    assertEquals(285, l.percentile(95));
    assertEquals(297, l.percentile(99));
    assertEquals(300, l.max());
    assertEquals(150.5, l.mean(), 1e-9);
  }

  @Test
  void oneSampleIsEveryPercentile() {
    Latencies l = new Latencies();
    l.add(7);
    assertEquals(7, l.percentile(1));
    assertEquals(7, l.percentile(99));
  }

  @Test
  void noSamplesGiveNaNNotZero() {
    assertTrue(Double.isNaN(new Latencies().percentile(50)));
    assertEquals("no samples", new Latencies().summary("ms"));
  }
}
