package com.bookstore.stock;

import com.bookstore.kit.OnContext;
import io.quarkus.funqy.Funq;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/** Plain JSON over HTTP (Funqy): {@code POST /restock} and {@code POST /stock-level}. */
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
}
