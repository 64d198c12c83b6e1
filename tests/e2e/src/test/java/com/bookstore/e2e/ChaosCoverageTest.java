package com.bookstore.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How much of a step's window the faults' outages cover: what excuses a time-out in the suite. */
class ChaosCoverageTest {

  @Test
  void overlappingOutagesAreCountedOnce() {
    // PostgreSQL away 0-25.8 s, then Redis 24-28 s: 28 s of a 30 s window
    assertEquals(
        28_000,
        Chaos.covered(List.of(new long[] {0, 25_800}, new long[] {24_000, 28_000}), 0, 30_000));
  }

  @Test
  void outagesAreClippedToTheWindow() {
    assertEquals(
        5_000,
        Chaos.covered(
            List.of(new long[] {-10_000, 2_000}, new long[] {27_000, 40_000}), 0, 30_000));
  }

  @Test
  void disjointOutagesAddUpAndOnesOutsideTheWindowCountNothing() {
    assertEquals(
        7_000,
        Chaos.covered(
            List.of(
                new long[] {1_000, 4_000},
                new long[] {10_000, 14_000},
                new long[] {31_000, 35_000}),
            0,
            30_000));
  }

  @Test
  void noOutageCoversNothing() {
    assertEquals(0, Chaos.covered(List.of(), 0, 30_000));
  }
}
