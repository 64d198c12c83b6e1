package com.bookstore.stock;

import com.bookstore.events.EventTypes;
import com.bookstore.events.stock.CommitStock;
import com.bookstore.events.stock.ReleaseStock;
import com.bookstore.events.stock.ReserveStock;
import com.bookstore.events.stock.StockCommitted;
import com.bookstore.events.stock.StockRejected;
import com.bookstore.events.stock.StockReleased;
import com.bookstore.events.stock.StockReserved;
import com.bookstore.kit.Answer;
import com.bookstore.kit.CloudEvent;
import com.bookstore.kit.CloudEventFunction;
import com.bookstore.kit.FunctionException;
import com.bookstore.kit.InboundEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * {@code stock.reserve} -> {@code stock.reserved} | {@code stock.rejected}; {@code stock.commit} ->
 * {@code stock.committed} | {@code stock.rejected}; {@code stock.release} -> {@code
 * stock.released}. The subject of every answer is the order id.
 */
@ApplicationScoped
public class ReserveStockFunction implements CloudEventFunction {
  private final StockService stock;

  ReserveStockFunction(StockService stock) {
    this.stock = stock;
  }

  @Override
  public Uni<Answer> handle(InboundEvent event) {
    Uni<Object> fact =
        switch (event.type()) {
          case EventTypes.STOCK_RESERVE -> {
            ReserveStock command = event.data(ReserveStock.class);
            yield stock.reserve(command.orderId(), command.items(), command.holdSeconds());
          }
          case EventTypes.STOCK_COMMIT -> stock.commit(event.data(CommitStock.class).orderId());
          case EventTypes.STOCK_RELEASE ->
              stock.release(event.data(ReleaseStock.class).orderId()).map(r -> (Object) r);
          default ->
              Uni.createFrom().failure(FunctionException.fatal("routed " + event.type(), null));
        };
    return fact.map(f -> Answer.of(answer(event, f)));
  }

  static CloudEvent answer(InboundEvent event, Object fact) {
    if (fact instanceof StockReserved r) {
      return event.answer(EventTypes.STOCK_RESERVED, r.orderId(), r);
    }
    if (fact instanceof StockRejected r) {
      return event.answer(EventTypes.STOCK_REJECTED, r.orderId(), r);
    }
    if (fact instanceof StockCommitted r) {
      return event.answer(EventTypes.STOCK_COMMITTED, r.orderId(), r);
    }
    StockReleased r = (StockReleased) fact;
    return event.answer(EventTypes.STOCK_RELEASED, r.orderId(), r);
  }
}
