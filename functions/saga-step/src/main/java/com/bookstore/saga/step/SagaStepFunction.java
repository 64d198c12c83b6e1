package com.bookstore.saga.step;

import com.bookstore.events.EventTypes;
import com.bookstore.events.order.OrderPlaced;
import com.bookstore.events.saga.SagaDeadlinePassed;
import com.bookstore.kit.Answer;
import com.bookstore.kit.CloudEventFunction;
import com.bookstore.kit.InboundEvent;
import com.bookstore.saga.store.SagaRunner;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The order saga's orchestrator: {@code order.placed} starts a saga ({@code stock.reserve}); each
 * forward reply moves it on ({@code payment.authorize}, {@code stock.commit}, {@code
 * payment.capture}, then {@code order.confirmed}) or fails it ({@code saga.failed}, which
 * compensate takes from there); {@code saga.deadline-passed} fails an overdue step or sends a
 * retriable one again. The saga id is the order id.
 */
@ApplicationScoped
public class SagaStepFunction implements CloudEventFunction {
  private final SagaRunner sagas;

  SagaStepFunction(SagaRunner sagas) {
    this.sagas = sagas;
  }

  @Override
  public Uni<Answer> handle(InboundEvent event) {
    return switch (event.type()) {
      case EventTypes.ORDER_PLACED -> sagas.start(event.event(), event.data(OrderPlaced.class));
      case EventTypes.SAGA_DEADLINE_PASSED ->
          sagas.onTimeout(event.event(), event.data(SagaDeadlinePassed.class).sagaId());
      // stock.reserved/rejected/committed, payment.authorized/declined/captured
      default -> sagas.onReply(event);
    };
  }
}
