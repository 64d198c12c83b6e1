package com.bookstore.stock;

import com.bookstore.events.stock.StockLine;
import com.bookstore.kit.OnContext;
import io.quarkus.funqy.Funq;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * Plain JSON over HTTP (Funqy): {@code POST /restock}, {@code POST /stock-level} and {@code POST
 * /reservation {orderId}} (an order's hold, for operators and the saga console).
 */
public class StockFunctions {
  private final StockService stock;
  private final Vertx vertx;

  StockFunctions(StockService stock, Vertx vertx) {
    this.stock = stock;
    this.vertx = vertx;
  }

  public record Restock(String isbn, int quantity) {}

  public record Isbn(String isbn) {}

  public record Level(String isbn, int onHand, int reserved, int available) {}

  public record OrderRef(String orderId) {}

  /** {@code status} is null and {@code items} empty when the order holds nothing. */
  public record Hold(
      String orderId,
      String status,
      List<StockLine> items,
      OffsetDateTime expiresAt,
      OffsetDateTime updatedAt) {}

  @Funq("restock")
  public Uni<Level> restock(Restock request) {
    if (request.isbn() == null || request.quantity() < 1) {
      throw new IllegalArgumentException("restock needs an isbn and a quantity of at least 1");
    }
    return OnContext.run(
        vertx,
        () ->
            stock
                .restock(request.isbn(), request.quantity())
                .flatMap(x -> stock.level(request.isbn()))
                .map(l -> new Level(request.isbn(), l[0], l[1], l[0] - l[1])));
  }

  @Funq("stock-level")
  public Uni<Level> level(Isbn request) {
    return OnContext.run(
        vertx,
        () ->
            stock
                .level(request.isbn())
                .map(l -> new Level(request.isbn(), l[0], l[1], l[0] - l[1])));
  }

  @Funq("reservation")
  public Uni<Hold> reservation(OrderRef request) {
    if (request == null || request.orderId() == null || request.orderId().isBlank()) {
      throw new IllegalArgumentException("reservation needs an orderId");
    }
    return OnContext.run(vertx, () -> stock.reservation(request.orderId()))
        .map(
            r ->
                r == null
                    ? new Hold(request.orderId(), null, List.of(), null, null)
                    : new Hold(
                        r.orderId,
                        r.status.name(),
                        Lines.fromJson(r.items),
                        r.expiresAt,
                        r.updatedAt));
  }
}
