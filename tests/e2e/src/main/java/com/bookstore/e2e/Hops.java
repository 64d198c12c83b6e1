package com.bookstore.e2e;

import com.bookstore.events.EventTypes;
import java.io.PrintStream;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where an order's time goes, hop by hop: for each step of the happy path, the time from the event
 * that triggers a function to the event it answers with (record timestamps, so each hop holds one
 * Kafka trip, the wait in the consumer's queue and the function's own work). The hop with the
 * largest share is the function that limits the saga.
 */
public final class Hops {
  private Hops() {}

  /** One hop: the function, the event it takes and the event it answers with. */
  record Hop(String function, String from, String to) {}

  static final List<Hop> HAPPY_PATH =
      List.of(
          new Hop("saga-step", EventTypes.ORDER_PLACED, EventTypes.STOCK_RESERVE),
          new Hop("reserve-stock", EventTypes.STOCK_RESERVE, EventTypes.STOCK_RESERVED),
          new Hop("saga-step", EventTypes.STOCK_RESERVED, EventTypes.PAYMENT_AUTHORIZE),
          new Hop("payment", EventTypes.PAYMENT_AUTHORIZE, EventTypes.PAYMENT_AUTHORIZED),
          new Hop("saga-step", EventTypes.PAYMENT_AUTHORIZED, EventTypes.STOCK_COMMIT),
          new Hop("reserve-stock", EventTypes.STOCK_COMMIT, EventTypes.STOCK_COMMITTED),
          new Hop("saga-step", EventTypes.STOCK_COMMITTED, EventTypes.PAYMENT_CAPTURE),
          new Hop("payment", EventTypes.PAYMENT_CAPTURE, EventTypes.PAYMENT_CAPTURED),
          new Hop("saga-step", EventTypes.PAYMENT_CAPTURED, EventTypes.ORDER_CONFIRMED),
          new Hop("notify", EventTypes.ORDER_CONFIRMED, EventTypes.NOTIFICATION_SENT));

  /**
   * Prints, for the confirmed orders among {@code traces}, the p50 and p99 of each hop, and first
   * the time from the POST to {@code order.placed} on the topic (place-order: price, store, emit).
   *
   * @param sentAt the POST time of each order, by order id (epoch ms)
   */
  static void print(
      PrintStream out,
      Collection<OrderTrace> traces,
      java.util.function.ToLongFunction<String> sentAt) {
    Latencies placing = new Latencies();
    Latencies[] hops = new Latencies[HAPPY_PATH.size()];
    for (int i = 0; i < hops.length; i++) {
      hops[i] = new Latencies();
    }
    for (OrderTrace t : traces) {
      if (t.finalEvent().map(f -> !f.confirmed()).orElse(true)) {
        continue;
      }
      t.firstAt(EventTypes.ORDER_PLACED)
          .ifPresent(p -> placing.add(p - sentAt.applyAsLong(t.orderId())));
      for (int i = 0; i < hops.length; i++) {
        Hop h = HAPPY_PATH.get(i);
        Optional<Long> from = t.firstAt(h.from());
        Optional<Long> to = t.firstAt(h.to());
        if (from.isPresent() && to.isPresent()) {
          hops[i].add(to.get() - from.get());
        }
      }
    }
    out.printf(
        Locale.ROOT,
        "  %-14s %-42s %9s %9s%n",
        "function",
        "hop (confirmed orders, record timestamps)",
        "p50 ms",
        "p99 ms");
    out.printf(
        Locale.ROOT,
        "  %-14s %-42s %9s %9s%n",
        "place-order",
        "POST /orders -> order.placed",
        Latencies.fmt(placing.percentile(50)),
        Latencies.fmt(placing.percentile(99)));
    for (int i = 0; i < hops.length; i++) {
      Hop h = HAPPY_PATH.get(i);
      out.printf(
          Locale.ROOT,
          "  %-14s %-42s %9s %9s%n",
          h.function(),
          Workload.shortType(h.from()) + " -> " + Workload.shortType(h.to()),
          Latencies.fmt(hops[i].percentile(50)),
          Latencies.fmt(hops[i].percentile(99)));
    }
  }
}
