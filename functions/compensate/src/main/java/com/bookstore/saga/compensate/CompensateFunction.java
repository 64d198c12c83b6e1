package com.bookstore.saga.compensate;

import com.bookstore.events.EventTypes;
import com.bookstore.events.saga.SagaFailed;
import com.bookstore.kit.Answer;
import com.bookstore.kit.CloudEventFunction;
import com.bookstore.kit.FunctionException;
import com.bookstore.kit.InboundEvent;
import com.bookstore.kit.Problem;
import com.bookstore.saga.store.OrderSaga;
import com.bookstore.saga.store.SagaRunner;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Undoes a failed order saga: {@code saga.failed} sends the compensation of the newest step that
 * may have acted ({@code payment.refund} before {@code stock.release}); each acknowledgement
 * ({@code payment.refunded}, {@code stock.released}) sends the next older one; the last one closes
 * the saga with {@code order.cancelled} and the failure's reason. A saga with nothing to undo is
 * cancelled at once. One compensation at a time, so reverse order holds across participants.
 */
@ApplicationScoped
public class CompensateFunction implements CloudEventFunction {
  private final SagaRunner sagas;

  CompensateFunction(SagaRunner sagas) {
    this.sagas = sagas;
  }

  @Override
  public Uni<Answer> handle(InboundEvent event) {
    if (!EventTypes.SAGA_FAILED.equals(event.type())) {
      // stock.released, payment.refunded
      return sagas.onReply(event);
    }
    SagaFailed failed = event.data(SagaFailed.class);
    if (!OrderSaga.runs(failed.saga())) {
      // The tables deployed here; another saga's failure must not be acknowledged unseen.
      String tables = OrderSaga.NAME + "' or '" + OrderSaga.DELIVERED;
      throw FunctionException.badEvent(
          Problem.Kind.SCHEMA_VIOLATION,
          "compensate runs the '" + tables + "' saga, not '" + failed.saga() + "'",
          new Problem.FieldError("data", "/saga", "must be '" + tables + "'"));
    }
    return sagas.compensate(event.event(), failed.sagaId());
  }
}
