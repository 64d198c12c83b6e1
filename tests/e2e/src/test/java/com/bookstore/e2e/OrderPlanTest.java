package com.bookstore.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bookstore.e2e.OrderPlan.Kind;
import com.bookstore.e2e.OrderPlan.Planned;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class OrderPlanTest {

  /** 100 books: five with one copy, the rest with 10 to 49. */
  private static SeedBooks seed() {
    List<SeedBooks.Book> books = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      books.add(new SeedBooks.Book(String.format("978%010d", i), i < 5 ? 1 : 10 + i % 40));
    }
    return new SeedBooks(JsonNodeFactory.instance.arrayNode(), books);
  }

  @Test
  void mixHasTheShareOfEachKindTheMainJobAsksFor() {
    OrderPlan plan = OrderPlan.mixed(300, 20, seed(), new Random(1));
    Map<Kind, Long> kinds =
        plan.orders().stream().collect(Collectors.groupingBy(Planned::kind, Collectors.counting()));
    assertEquals(300, plan.orders().size());
    assertEquals(2, kinds.get(Kind.NO_ANSWER));
    assertEquals(9, kinds.get(Kind.SLOW));
    assertEquals(15, kinds.get(Kind.DECLINED));
    assertEquals(15, kinds.get(Kind.INSUFFICIENT_FUNDS));
    assertTrue(kinds.get(Kind.SCARCE) > 0 && kinds.get(Kind.SCARCE) <= 30, kinds.toString());
  }

  @Test
  void scarceBooksAreAskedForMoreCopiesThanTheyHave() {
    OrderPlan plan = OrderPlan.mixed(300, 20, seed(), new Random(2));
    assertEquals(5, plan.scarceBooks().size());
    for (String isbn : plan.scarceBooks()) {
      assertTrue(plan.demand().get(isbn) >= 3, isbn + " asked for " + plan.demand().get(isbn));
    }
    for (Planned p : plan.orders()) {
      boolean hasScarce = p.lines().stream().anyMatch(l -> plan.scarceBooks().contains(l.isbn()));
      assertEquals(p.kind() == Kind.SCARCE, hasScarce, p.toString());
    }
  }

  @Test
  void everyOrderHasOneToThreeDistinctBooksOfOneOrTwoCopies() {
    for (Planned p : OrderPlan.mixed(300, 20, seed(), new Random(3)).orders()) {
      assertTrue(p.lines().size() >= 1 && p.lines().size() <= 3, p.toString());
      assertEquals(
          p.lines().size(), p.lines().stream().map(Bookstore.Line::isbn).distinct().count());
      assertTrue(p.lines().stream().allMatch(l -> l.quantity() == 1 || l.quantity() == 2));
      assertTrue(p.user() >= 0 && p.user() < 20);
    }
  }

  @Test
  void theSameRandomSeedGivesTheSamePlan() {
    assertEquals(
        OrderPlan.mixed(300, 20, seed(), new Random(42)).orders(),
        OrderPlan.mixed(300, 20, seed(), new Random(42)).orders());
  }
}
