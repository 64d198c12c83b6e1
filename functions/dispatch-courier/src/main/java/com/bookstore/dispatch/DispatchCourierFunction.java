package com.bookstore.dispatch;

import com.bookstore.events.EventTypes;
import com.bookstore.kit.Answer;
import com.bookstore.kit.CloudEventFunction;
import com.bookstore.kit.FunctionException;
import com.bookstore.kit.InboundEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The delivery workflow's function: the order saga's commands ({@code delivery.assign}, {@code
 * delivery.dispatch}, {@code delivery.cancel}), the sweep's {@code delivery.pickup-overdue}, and
 * the couriers' own events from their topic. The subject and partition key of every answer is the
 * order id.
 */
@ApplicationScoped
public class DispatchCourierFunction implements CloudEventFunction {
  private final Dispatcher dispatcher;

  DispatchCourierFunction(Dispatcher dispatcher) {
    this.dispatcher = dispatcher;
  }

  @Override
  public Uni<Answer> handle(InboundEvent event) {
    return switch (event.type()) {
      case EventTypes.DELIVERY_ASSIGN -> dispatcher.assign(event);
      case EventTypes.DELIVERY_DISPATCH -> dispatcher.dispatch(event);
      case EventTypes.DELIVERY_CANCEL -> dispatcher.cancel(event);
      case EventTypes.DELIVERY_PICKUP_OVERDUE -> dispatcher.pickupOverdue(event);
      case EventTypes.COURIER_PICKED_UP -> dispatcher.pickedUp(event);
      case EventTypes.COURIER_LOCATION_UPDATED -> dispatcher.located(event);
      case EventTypes.COURIER_DELIVERED -> dispatcher.delivered(event);
      case EventTypes.COURIER_FAILED -> dispatcher.failed(event);
      default ->
          Uni.createFrom()
              .failure(
                  FunctionException.fatal("dispatch-courier was routed " + event.type(), null));
    };
  }
}
