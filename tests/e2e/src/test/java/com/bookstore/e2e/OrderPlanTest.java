package com.bookstore.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bookstore.e2e.OrderPlan.Kind;
import com.bookstore.e2e.OrderPlan.Planned;
import com.bookstore.events.delivery.Zones;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
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
  void aQuarterOfTheOrdersAreForDeliveryEachWithAnAddressOfTheZoneItsKindNeeds() {
    OrderPlan plan = OrderPlan.mixed(300, 20, seed(), new Random(4));
    Map<Kind, Long> kinds =
        plan.orders().stream().collect(Collectors.groupingBy(Planned::kind, Collectors.counting()));
    assertEquals(45, kinds.get(Kind.DELIVERED));
    assertEquals(9, kinds.get(Kind.REASSIGNED));
    assertEquals(9, kinds.get(Kind.DELIVERY_FAILED));
    assertEquals(6, kinds.get(Kind.NO_COURIER));
    assertEquals(2, kinds.get(Kind.NEVER_PICKED_UP));
    Set<String> covered =
        OrderPlan.COVERED.stream().map(a -> Zones.of(a.postcode())).collect(Collectors.toSet());
    Set<String> twice =
        OrderPlan.COVERED_TWICE.stream()
            .map(a -> Zones.of(a.postcode()))
            .collect(Collectors.toSet());
    for (Planned p : plan.orders()) {
      assertEquals(p.kind().delivery(), p.address() != null, p.toString());
      if (p.address() == null) {
        continue;
      }
      String zone = Zones.of(p.address().postcode());
      switch (p.kind()) {
        case NO_COURIER -> assertFalse(covered.contains(zone), zone);
        // a courier who never picks up can only be replaced where a second one works
        case REASSIGNED, NEVER_PICKED_UP -> assertTrue(twice.contains(zone), zone);
        default -> assertTrue(covered.contains(zone), zone);
      }
    }
  }

  @Test
  void theZonesTheMainJobCountsOnHaveThoseCouriersInTheSeed() throws Exception {
    JsonNode seed =
        new ObjectMapper()
            .readTree(
                Path.of("../../functions/dispatch-courier/src/main/resources/seed/couriers.json")
                    .toFile());
    Map<String, Integer> couriersIn = new java.util.HashMap<>();
    seed.forEach(c -> c.path("zones").forEach(z -> couriersIn.merge(z.asText(), 1, Integer::sum)));
    for (Bookstore.Address a : OrderPlan.COVERED) {
      assertTrue(couriersIn.getOrDefault(Zones.of(a.postcode()), 0) >= 1, a.toString());
    }
    for (Bookstore.Address a : OrderPlan.COVERED_TWICE) {
      assertTrue(couriersIn.getOrDefault(Zones.of(a.postcode()), 0) >= 2, a.toString());
    }
    // NEVER_PICKED_UP goes to the first zone: every one of its couriers is tried, then it fails
    assertTrue(couriersIn.get(Zones.of(OrderPlan.COVERED.get(0).postcode())) >= 2);
  }

  @Test
  void theSameRandomSeedGivesTheSamePlan() {
    assertEquals(
        OrderPlan.mixed(300, 20, seed(), new Random(42)).orders(),
        OrderPlan.mixed(300, 20, seed(), new Random(42)).orders());
  }
}
