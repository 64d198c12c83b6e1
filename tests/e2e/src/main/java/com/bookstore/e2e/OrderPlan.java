package com.bookstore.e2e;

import com.bookstore.e2e.Bookstore.Address;
import com.bookstore.e2e.Bookstore.Line;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * What the workload orders, decided before the first order is placed so that every order's expected
 * outcome is known: the payment token decides the payment step, the books decide the stock step.
 * Deterministic for a given random seed.
 */
public final class OrderPlan {

  /** The kind of order, by what should happen to it. */
  public enum Kind {
    /** tok_visa, books with plenty of copies: confirmed. */
    VISA("tok_visa"),
    /** tok_slow: authorized after the provider's delay (PT2S), then confirmed. */
    SLOW("tok_slow"),
    /** tok_declined: cancelled, payment-declined, after the stock hold is released. */
    DECLINED("tok_declined"),
    /** tok_insufficient_funds: as DECLINED. */
    INSUFFICIENT_FUNDS("tok_insufficient_funds"),
    /** tok_no_answer: the authorize step times out; cancelled after hold and payment are undone. */
    NO_ANSWER("tok_no_answer"),
    /**
     * tok_visa with a line for a nearly sold-out book: confirmed while copies last, then
     * out-of-stock.
     */
    SCARCE("tok_visa"),
    /** Delivered: the courier picks up and delivers after a short ride; confirmed. */
    DELIVERED("tok_visa"),
    /** The first courier never picks up: reassigned after the pickup limit, then delivered. */
    REASSIGNED("tok_visa"),
    /** The courier picks up, then reports a failure: cancelled, refunded, restocked. */
    DELIVERY_FAILED("tok_visa"),
    /** No courier ever picks up: every attempt times out, then as DELIVERY_FAILED. */
    NEVER_PICKED_UP("tok_visa"),
    /** An address in a zone no courier covers: cancelled, no-courier, never charged. */
    NO_COURIER("tok_visa");

    public final String paymentMethod;

    Kind(String paymentMethod) {
      this.paymentMethod = paymentMethod;
    }

    /** Whether the order is for delivery (it has an address, and a courier is looked for). */
    public boolean delivery() {
      return ordinal() >= DELIVERED.ordinal();
    }
  }

  /**
   * One order to place: which user places it, what, how it pays, where it goes (null: collected at
   * the shop), and what should happen.
   */
  public record Planned(int index, int user, Kind kind, List<Line> lines, Address address) {
    public String paymentMethod() {
      return kind.paymentMethod;
    }
  }

  /**
   * Addresses in the seed couriers' zones (functions/dispatch-courier seed/couriers.json), with how
   * many couriers cover each: a reassignment needs a second courier in the zone.
   */
  static final List<Address> COVERED =
      List.of(
          new Address("12 rue Oberkampf", "Paris", "75011"), // 3 couriers
          new Address("4 place Bellecour", "Lyon", "69002"), // 2
          new Address("221 King's Road", "London", "SW3 5EP"), // 2
          new Address("8 Cours Julien", "Marseille", "13006"), // 1
          new Address("17 Rose Street", "Edinburgh", "EH2 2PR"), // 1
          new Address("3 Torstrasse", "Berlin", "10119")); // 1

  /** Zones with more than one courier, so that a courier who never picks up can be replaced. */
  static final List<Address> COVERED_TWICE = COVERED.subList(0, 3);

  private final List<Planned> orders;
  private final Set<String> scarce;

  private OrderPlan(List<Planned> orders, Set<String> scarce) {
    this.orders = List.copyOf(orders);
    this.scarce = Set.copyOf(scarce);
  }

  public List<Planned> orders() {
    return orders;
  }

  /** The nearly sold-out books the SCARCE orders compete for. */
  public Set<String> scarceBooks() {
    return scarce;
  }

  /** Copies of each book the plan asks for, over all its orders. */
  public Map<String, Integer> demand() {
    Map<String, Integer> d = new HashMap<>();
    for (Planned p : orders) {
      for (Line l : p.lines()) {
        d.merge(l.isbn(), l.quantity(), Integer::sum);
      }
    }
    return d;
  }

  /**
   * A realistic mix of {@code count} orders over the seed's books: about 10% declined (card
   * declined or insufficient funds, half each), 3% slow, {@code min(2, count / 50)} never answered,
   * up to 10% competing for the five books with the fewest copies (asking for each a couple of
   * copies more than it has), the rest plain tok_visa orders. Each order has 1 to 3 lines of 1 or 2
   * copies. A quarter of the tok_visa orders are for delivery: 15% of all orders delivered, 3%
   * reassigned, 3% failed by the courier after pickup, 2% to a zone no courier covers, and {@code
   * min(2, count / 100)} never picked up by anyone.
   */
  public static OrderPlan mixed(int count, int users, SeedBooks seed, Random random) {
    List<SeedBooks.Book> byStock = seed.byStock();
    List<SeedBooks.Book> scarceBooks = byStock.subList(0, Math.min(5, byStock.size() / 10));
    Set<String> scarce = new LinkedHashSet<>();
    scarceBooks.forEach(b -> scarce.add(b.isbn()));
    List<String> plenty =
        byStock.stream().map(SeedBooks.Book::isbn).filter(i -> !scarce.contains(i)).toList();
    if (plenty.size() < 3) {
      throw new IllegalStateException("the seed has too few books with stock to order from");
    }

    List<Kind> kinds = new ArrayList<>();
    add(kinds, Kind.NO_ANSWER, Math.min(2, count / 50));
    add(kinds, Kind.SLOW, Math.round(count * 0.03f));
    add(kinds, Kind.DECLINED, Math.round(count * 0.05f));
    add(kinds, Kind.INSUFFICIENT_FUNDS, Math.round(count * 0.05f));
    add(kinds, Kind.DELIVERED, Math.round(count * 0.15f));
    add(kinds, Kind.REASSIGNED, Math.round(count * 0.03f));
    add(kinds, Kind.DELIVERY_FAILED, Math.round(count * 0.03f));
    add(kinds, Kind.NO_COURIER, Math.round(count * 0.02f));
    add(kinds, Kind.NEVER_PICKED_UP, Math.min(2, count / 100));
    List<List<Line>> scarceLines = new ArrayList<>();
    int scarceBudget = Math.max(scarce.isEmpty() ? 0 : 1, count / 10);
    for (SeedBooks.Book b : scarceBooks) {
      int asked = 0;
      while (asked < b.stock() + 2 && scarceLines.size() < scarceBudget) {
        int q = 1 + random.nextInt(2);
        asked += q;
        List<Line> lines = new ArrayList<>();
        lines.add(new Line(b.isbn(), q));
        if (random.nextBoolean()) {
          lines.add(new Line(plenty.get(random.nextInt(plenty.size())), 1));
        }
        scarceLines.add(lines);
      }
    }
    add(kinds, Kind.SCARCE, scarceLines.size());
    if (kinds.size() > count) {
      throw new IllegalStateException("too few orders for the mix: " + count);
    }
    add(kinds, Kind.VISA, count - kinds.size());
    Collections.shuffle(kinds, random);

    // A zone of this plan's own that no courier covers: four letters (Zones: leading letters).
    StringBuilder nowhere = new StringBuilder();
    for (int i = 0; i < 4; i++) {
      nowhere.append((char) ('A' + random.nextInt(26)));
    }
    Address uncovered = new Address("1 Far Away Lane", "Nowhere", nowhere + " 1ZZ");

    List<Planned> orders = new ArrayList<>();
    int nextScarce = 0;
    for (int i = 0; i < count; i++) {
      Kind kind = kinds.get(i);
      List<Line> lines =
          kind == Kind.SCARCE ? scarceLines.get(nextScarce++) : lines(plenty, random);
      Address address =
          switch (kind) {
            case DELIVERED, DELIVERY_FAILED -> COVERED.get(random.nextInt(COVERED.size()));
            case REASSIGNED -> COVERED_TWICE.get(random.nextInt(COVERED_TWICE.size()));
            case NEVER_PICKED_UP -> COVERED.get(0);
            case NO_COURIER -> uncovered;
            default -> null;
          };
      orders.add(new Planned(i, i % Math.max(1, users), kind, lines, address));
    }
    return new OrderPlan(orders, scarce);
  }

  /** 1 to 3 distinct books (half one, a third two, the rest three), 1 or 2 copies each. */
  public static List<Line> lines(List<String> books, Random random) {
    int r = random.nextInt(6);
    int n = Math.min(books.size(), r < 3 ? 1 : r < 5 ? 2 : 3);
    Set<String> picked = new LinkedHashSet<>();
    while (picked.size() < n) {
      picked.add(books.get(random.nextInt(books.size())));
    }
    List<Line> lines = new ArrayList<>();
    for (String isbn : picked) {
      lines.add(new Line(isbn, random.nextInt(10) < 7 ? 1 : 2));
    }
    return lines;
  }

  private static void add(List<Kind> kinds, Kind kind, int n) {
    for (int i = 0; i < n; i++) {
      kinds.add(kind);
    }
  }
}
