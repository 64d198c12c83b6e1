package com.bookstore.stock;

import com.bookstore.events.OrderEvent;
import com.bookstore.events.stock.StockCommitted;
import com.bookstore.events.stock.StockExpired;
import com.bookstore.events.stock.StockLine;
import com.bookstore.events.stock.StockRejected;
import com.bookstore.events.stock.StockReleased;
import com.bookstore.events.stock.StockReserved;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hibernate.LockMode;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Holds, sales and returns of copies. Never oversells: a hold locks the books' rows (always in ISBN
 * order, so two orders cannot deadlock), checks what is free, and only then takes it, all in one
 * transaction. Every operation is keyed by the order, so a repeat gets the same answer.
 */
@ApplicationScoped
public class StockService {
  private final Mutiny.SessionFactory sessions;
  private final StockConfig config;

  StockService(Mutiny.SessionFactory sessions, StockConfig config) {
    this.sessions = sessions;
    this.config = config;
  }

  /** Answers StockReserved or StockRejected. */
  public Uni<OrderEvent> reserve(String orderId, List<StockLine> items, Integer holdSeconds) {
    List<StockLine> lines = Lines.normalize(items);
    Duration hold = holdSeconds == null ? config.defaultHold() : Duration.ofSeconds(holdSeconds);
    return sessions.withTransaction(
        session ->
            session
                .find(Reservation.class, orderId, LockMode.PESSIMISTIC_WRITE)
                .flatMap(
                    existing ->
                        existing != null
                            ? Uni.createFrom().item(answerFor(existing))
                            : holdIfAvailable(session, orderId, lines, hold)));
  }

  private Uni<OrderEvent> holdIfAvailable(
      Mutiny.Session session, String orderId, List<StockLine> lines, Duration hold) {
    return session
        .<Object[]>createNativeQuery(
            "select isbn, on_hand - reserved from stock.stock_level where isbn in (?1)"
                + " order by isbn for update")
        .setParameter(1, lines.stream().map(StockLine::isbn).toList())
        .getResultList()
        .flatMap(
            rows -> {
              Map<String, Integer> free = new HashMap<>();
              for (Object[] row : rows) {
                free.put((String) row[0], ((Number) row[1]).intValue());
              }
              List<StockRejected.Shortage> shortages = new ArrayList<>();
              boolean unknown = false;
              for (StockLine line : lines) {
                Integer available = free.get(line.isbn());
                unknown |= available == null;
                int have = available == null ? 0 : available;
                if (have < line.quantity()) {
                  shortages.add(new StockRejected.Shortage(line.isbn(), line.quantity(), have));
                }
              }
              if (!shortages.isEmpty()) {
                String reason = unknown ? "unknown-book" : "out-of-stock";
                return Uni.createFrom().item(new StockRejected(orderId, reason, shortages));
              }
              return take(session, lines).flatMap(x -> persistHold(session, orderId, lines, hold));
            });
  }

  private static Uni<Void> take(Mutiny.Session session, List<StockLine> lines) {
    return adjust(
        session, lines, "update stock.stock_level set reserved = reserved + ?1 where isbn = ?2");
  }

  private static Uni<OrderEvent> persistHold(
      Mutiny.Session session, String orderId, List<StockLine> lines, Duration hold) {
    OffsetDateTime now = now();
    Reservation r = new Reservation();
    r.orderId = orderId;
    r.status = Reservation.Status.RESERVED;
    r.items = Lines.toJson(lines);
    r.expiresAt = now.plus(hold);
    r.updatedAt = now;
    return session.persist(r).replaceWith(answerFor(r));
  }

  /** Answers StockCommitted, or StockRejected (not-reserved) when there is no live hold. */
  public Uni<OrderEvent> commit(String orderId) {
    return sessions.withTransaction(
        session ->
            session
                .find(Reservation.class, orderId, LockMode.PESSIMISTIC_WRITE)
                .flatMap(
                    r -> {
                      if (r != null && r.status == Reservation.Status.COMMITTED) {
                        return Uni.createFrom()
                            .item(
                                (OrderEvent) new StockCommitted(orderId, Lines.fromJson(r.items)));
                      }
                      if (r == null || r.status != Reservation.Status.RESERVED) {
                        return Uni.createFrom()
                            .item(
                                (OrderEvent) new StockRejected(orderId, "not-reserved", List.of()));
                      }
                      List<StockLine> lines = Lines.fromJson(r.items);
                      return adjust(
                              session,
                              lines,
                              "update stock.stock_level set on_hand = on_hand - ?1,"
                                  + " reserved = reserved - ?1 where isbn = ?2")
                          .invoke(
                              () -> {
                                r.status = Reservation.Status.COMMITTED;
                                r.updatedAt = now();
                              })
                          .replaceWith((OrderEvent) new StockCommitted(orderId, lines));
                    }));
  }

  /**
   * Gives the order's copies back: a live hold is released, a sale is restocked (a delivery that
   * failed for good). A release for an order with no hold succeeds and leaves a tombstone, so a
   * reserve command that arrives after its own compensation holds nothing.
   */
  public Uni<StockReleased> release(String orderId) {
    return sessions.withTransaction(
        session ->
            session
                .find(Reservation.class, orderId, LockMode.PESSIMISTIC_WRITE)
                .flatMap(
                    r -> {
                      if (r == null) {
                        Reservation tombstone = new Reservation();
                        tombstone.orderId = orderId;
                        tombstone.status = Reservation.Status.RELEASED;
                        tombstone.items = Lines.toJson(List.of());
                        tombstone.updatedAt = now();
                        return session
                            .persist(tombstone)
                            .replaceWith(new StockReleased(orderId, List.of()));
                      }
                      if (r.status == Reservation.Status.RELEASED
                          || r.status == Reservation.Status.EXPIRED) {
                        return Uni.createFrom().item(new StockReleased(orderId, List.of()));
                      }
                      List<StockLine> lines = Lines.fromJson(r.items);
                      String sql =
                          r.status == Reservation.Status.RESERVED
                              ? "update stock.stock_level set reserved = reserved - ?1 where isbn = ?2"
                              : "update stock.stock_level set on_hand = on_hand + ?1 where isbn = ?2";
                      return adjust(session, lines, sql)
                          .invoke(
                              () -> {
                                r.status = Reservation.Status.RELEASED;
                                r.updatedAt = now();
                              })
                          .replaceWith(new StockReleased(orderId, lines));
                    }));
  }

  /**
   * Gives back a hold that is still {@code RESERVED} past its expiry (the sweep's {@code
   * stock.expire}); answers the lines given back. Anything else (committed, released, expired
   * already, not yet due, no reservation) is left alone and answered with no lines, so a repeat
   * changes nothing and a committed sale is never touched.
   *
   * <p>One conditional UPDATE takes the row's lock and decides: a concurrent commit or release
   * either finishes first (the status no longer matches) or waits for this one. "Due" is judged by
   * the database clock, the clock the sweep used to find the hold, so what the sweep sends is never
   * refused as not yet due by a clock that lags behind.
   */
  public Uni<StockExpired> expire(String orderId) {
    return sessions.withTransaction(
        session ->
            session
                .createNativeQuery(
                    "with expired as (update stock.reservation set status = 'EXPIRED',"
                        + " updated_at = now(), version = version + 1"
                        + " where order_id = ?1 and status = 'RESERVED' and expires_at <= now()"
                        + " returning items) select items from expired",
                    String.class)
                .setParameter(1, orderId)
                .getResultList()
                .flatMap(
                    rows -> {
                      if (rows.isEmpty()) {
                        return Uni.createFrom().item(new StockExpired(orderId, List.of()));
                      }
                      // Stored merged and sorted by ISBN: rows are locked in the usual order.
                      List<StockLine> lines = Lines.fromJson(rows.get(0));
                      return adjust(
                              session,
                              lines,
                              "update stock.stock_level set reserved = reserved - ?1 where isbn = ?2")
                          .replaceWith(new StockExpired(orderId, lines));
                    }));
  }

  /** Adds copies to a book (creating it), for the catalog's stock and for tests. */
  public Uni<Integer> restock(String isbn, int quantity) {
    return sessions.withTransaction(
        session ->
            session
                .createNativeQuery(
                    "insert into stock.stock_level (isbn, on_hand, reserved) values (?1, ?2, 0)"
                        + " on conflict (isbn) do update set on_hand = stock.stock_level.on_hand"
                        + " + excluded.on_hand")
                .setParameter(1, isbn)
                .setParameter(2, quantity)
                .executeUpdate());
  }

  /** An order's hold, or null when the order has none. */
  public Uni<Reservation> reservation(String orderId) {
    return sessions.withSession(session -> session.find(Reservation.class, orderId));
  }

  /** On hand and reserved copies of a book; both zero when it is unknown. */
  public Uni<int[]> level(String isbn) {
    return sessions.withSession(
        session ->
            session
                .<Object[]>createNativeQuery(
                    "select on_hand, reserved from stock.stock_level where isbn = ?1")
                .setParameter(1, isbn)
                .getResultList()
                .map(
                    rows ->
                        rows.isEmpty()
                            ? new int[] {0, 0}
                            : new int[] {
                              ((Number) rows.get(0)[0]).intValue(),
                              ((Number) rows.get(0)[1]).intValue()
                            }));
  }

  private static Uni<Void> adjust(Mutiny.Session session, List<StockLine> lines, String sql) {
    Uni<Void> chain = Uni.createFrom().voidItem();
    for (StockLine line : lines) {
      chain =
          chain.flatMap(
              x ->
                  session
                      .createNativeQuery(sql)
                      .setParameter(1, line.quantity())
                      .setParameter(2, line.isbn())
                      .executeUpdate()
                      .replaceWithVoid());
    }
    return chain;
  }

  private static OrderEvent answerFor(Reservation r) {
    return switch (r.status) {
      case RESERVED, COMMITTED ->
          new StockReserved(r.orderId, Lines.fromJson(r.items), r.expiresAt.toInstant());
      case RELEASED, EXPIRED -> new StockRejected(r.orderId, "released", List.of());
    };
  }

  private static OffsetDateTime now() {
    return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
  }
}
