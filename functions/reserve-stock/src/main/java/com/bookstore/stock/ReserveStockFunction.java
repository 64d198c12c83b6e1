package com.bookstore.stock;

import com.bookstore.events.EventTypes;
import com.bookstore.events.OrderEvent;
import com.bookstore.events.stock.CommitStock;
import com.bookstore.events.stock.ExpireStock;
import com.bookstore.events.stock.ReleaseStock;
import com.bookstore.events.stock.ReserveStock;
import com.bookstore.kit.Answer;
import com.bookstore.kit.CloudEventFunction;
import com.bookstore.kit.FunctionException;
import com.bookstore.kit.InboundEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * {@code stock.reserve} -> {@code stock.reserved} | {@code stock.rejected}; {@code stock.commit} ->
 * {@code stock.committed} | {@code stock.rejected}; {@code stock.release} -> {@code
 * stock.released}; {@code stock.expire} (from the sweep) -> {@code stock.expired}. The subject of
 * every answer is the order id.
 */
@ApplicationScoped
public class ReserveStockFunction implements CloudEventFunction {
  private final StockService stock;

  ReserveStockFunction(StockService stock) {
    this.stock = stock;
  }

  @Override
  public Uni<Answer> handle(InboundEvent event) {
    Uni<OrderEvent> fact =
        switch (event.type()) {
          case EventTypes.STOCK_RESERVE -> {
            ReserveStock command = event.data(ReserveStock.class);
            yield stock.reserve(command.orderId(), command.items(), command.holdSeconds());
          }
          case EventTypes.STOCK_COMMIT -> stock.commit(event.data(CommitStock.class).orderId());
          case EventTypes.STOCK_RELEASE ->
              stock.release(event.data(ReleaseStock.class).orderId()).map(r -> (OrderEvent) r);
          case EventTypes.STOCK_EXPIRE ->
              stock.expire(event.data(ExpireStock.class).orderId()).map(r -> (OrderEvent) r);
          default ->
              Uni.createFrom().failure(FunctionException.fatal("routed " + event.type(), null));
        };
    return fact.map(f -> Answer.of(event.answer(f.orderId(), f)));
  }
}
