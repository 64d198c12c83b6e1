package com.bookstore.saga.store;

import com.bookstore.events.EventCatalogue;
import com.bookstore.events.EventJson;
import com.bookstore.events.EventType;
import com.bookstore.events.EventTypes;
import com.bookstore.events.delivery.AssignDelivery;
import com.bookstore.events.delivery.CancelDelivery;
import com.bookstore.events.delivery.DispatchDelivery;
import com.bookstore.events.order.OrderCancelled;
import com.bookstore.events.order.OrderConfirmed;
import com.bookstore.events.order.OrderLine;
import com.bookstore.events.order.OrderPlaced;
import com.bookstore.events.payment.AuthorizePayment;
import com.bookstore.events.payment.CapturePayment;
import com.bookstore.events.payment.RefundPayment;
import com.bookstore.events.saga.SagaFailed;
import com.bookstore.events.saga.SagaStuck;
import com.bookstore.events.stock.CommitStock;
import com.bookstore.events.stock.ReleaseStock;
import com.bookstore.events.stock.ReserveStock;
import com.bookstore.events.stock.StockLine;
import com.bookstore.kit.CloudEvent;
import com.bookstore.kit.CloudEventCodec;
import com.bookstore.kit.FunctionException;
import com.bookstore.kit.InboundEvent;
import com.bookstore.kit.Tracing;
import com.bookstore.kit.saga.SagaCommand;
import com.bookstore.kit.saga.SagaDefinition;
import com.bookstore.kit.saga.SagaEvent;
import com.bookstore.kit.saga.SagaState;
import com.bookstore.kit.saga.StepDefinition;
import com.bookstore.kit.saga.StepState;
import com.bookstore.kit.saga.StepStatus;
import com.bookstore.kit.saga.Transition;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns what the engine decided into CloudEvents, with the data built from the stored order (the
 * contract's payload mapping). Every id is deterministic: a command's is {@link
 * SagaCommand#eventId()}, a fact's is derived from the saga (each fact happens once per saga, a
 * {@code saga.stuck} once per stuck attempt). So the same decision always gives the same events,
 * and a replay after a lost publish is absorbed by whoever already got them.
 */
final class SagaMessages {

  private final String source;
  private final OrderSaga saga;
  private final int holdSeconds;

  SagaMessages(String function, OrderSaga saga) {
    this.source = InboundEvent.sourceOf(function);
    this.saga = saga;
    this.holdSeconds = saga.holdSeconds();
  }

  private SagaDefinition definitionOf(SagaState state) {
    return saga.engineFor(state.definitionName()).definition();
  }

  /** The commands and facts of an applied transition made at {@code now}. */
  List<CloudEvent> of(Transition transition, OrderPlaced order, Instant now, CloudEvent cause) {
    List<CloudEvent> out = new ArrayList<>();
    for (SagaCommand command : transition.commands()) {
      out.add(command(command, transition.state(), order, now, cause));
    }
    for (SagaEvent event : transition.events()) {
      out.add(fact(event, transition.state(), order, now, cause));
    }
    return out;
  }

  /**
   * What the saga's latest transition emitted, rebuilt from the state it left behind: the command
   * in flight, or the fact that the status stands for. Transitions emit exactly one of these, so
   * this is the same list (same ids, same data) as the transition's own.
   */
  List<CloudEvent> latest(StoredSaga saga, CloudEvent cause) {
    SagaState state = saga.state();
    Instant at = saga.updatedAt();
    int index = state.current();
    StepState step = index < 0 ? null : state.steps().get(index);
    StepDefinition row = index < 0 ? null : definitionOf(state).step(index);
    SagaEvent fact =
        switch (state.status()) {
          case RUNNING, COMPENSATING -> null;
          case FAILED -> new SagaEvent.Failed(state.sagaId(), step.name(), state.failureReason());
          case COMPLETED -> new SagaEvent.Completed(state.sagaId());
          case COMPENSATED -> new SagaEvent.Compensated(state.sagaId(), state.failureReason());
          case STUCK -> {
            SagaCommand.Kind kind = kindInFlight(step);
            yield new SagaEvent.Stuck(
                state.sagaId(),
                step.name(),
                kind,
                kind == SagaCommand.Kind.ACTION ? step.attempts() : step.compensationAttempts());
          }
        };
    if (fact != null) {
      return List.of(fact(fact, state, saga.order(), at, cause));
    }
    SagaCommand command =
        step.status() == StepStatus.COMPENSATING
            ? new SagaCommand(
                state.sagaId(),
                step.name(),
                SagaCommand.Kind.COMPENSATION,
                row.compensation().orElseThrow().command(),
                step.compensationAttempts())
            : new SagaCommand(
                state.sagaId(),
                step.name(),
                SagaCommand.Kind.ACTION,
                row.command(),
                step.attempts());
    return List.of(command(command, state, saga.order(), at, cause));
  }

  static SagaCommand.Kind kindInFlight(StepState step) {
    return step.status() == StepStatus.COMPENSATING
        ? SagaCommand.Kind.COMPENSATION
        : SagaCommand.Kind.ACTION;
  }

  private CloudEvent command(
      SagaCommand command, SagaState state, OrderPlaced order, Instant now, CloudEvent cause) {
    String orderId = order.orderId();
    Object data =
        switch (command.type()) {
          case EventTypes.STOCK_RESERVE -> new ReserveStock(orderId, lines(order), holdSeconds);
          case EventTypes.PAYMENT_AUTHORIZE ->
              new AuthorizePayment(
                  orderId, order.customerId(), order.total(), order.paymentMethod());
          case EventTypes.STOCK_COMMIT -> new CommitStock(orderId);
          case EventTypes.PAYMENT_CAPTURE -> new CapturePayment(orderId);
          case EventTypes.STOCK_RELEASE -> new ReleaseStock(orderId, state.failureReason());
          case EventTypes.PAYMENT_REFUND -> new RefundPayment(orderId, state.failureReason());
          case EventTypes.DELIVERY_ASSIGN ->
              new AssignDelivery(orderId, order.customerId(), order.email(), order.delivery());
          case EventTypes.DELIVERY_DISPATCH -> new DispatchDelivery(orderId);
          case EventTypes.DELIVERY_CANCEL -> new CancelDelivery(orderId, state.failureReason());
          default ->
              throw FunctionException.fatal(
                  "the order saga has no payload for command " + command.type(), null);
        };
    return event(command.eventId(), command.type(), state.sagaId(), now, data, cause);
  }

  private CloudEvent fact(
      SagaEvent fact, SagaState state, OrderPlaced order, Instant now, CloudEvent cause) {
    String id = state.sagaId();
    if (fact instanceof SagaEvent.Completed) {
      return event(
          id + ":completed",
          EventTypes.ORDER_CONFIRMED,
          id,
          now,
          new OrderConfirmed(
              order.orderId(), order.customerId(), order.email(), order.total(), now),
          cause);
    }
    if (fact instanceof SagaEvent.Failed failed) {
      return event(
          id + ":failed",
          EventTypes.SAGA_FAILED,
          id,
          now,
          new SagaFailed(id, state.definitionName(), failed.step(), failed.reason()),
          cause);
    }
    if (fact instanceof SagaEvent.Compensated compensated) {
      return event(
          id + ":compensated",
          EventTypes.ORDER_CANCELLED,
          id,
          now,
          new OrderCancelled(
              order.orderId(),
              order.customerId(),
              order.email(),
              order.total(),
              compensated.reason(),
              now),
          cause);
    }
    SagaEvent.Stuck stuck = (SagaEvent.Stuck) fact;
    String kind = stuck.kind().name().toLowerCase(Locale.ROOT);
    return event(
        id + ":" + stuck.step() + ":" + kind + ":" + stuck.attempts() + ":stuck",
        EventTypes.SAGA_STUCK,
        id,
        now,
        new SagaStuck(id, state.definitionName(), stuck.step(), kind, stuck.attempts()),
        cause);
  }

  /** One line per ISBN, as reserve-stock wants them; the order's lines are merged if repeated. */
  private static List<StockLine> lines(OrderPlaced order) {
    Map<String, Integer> quantities = new LinkedHashMap<>();
    for (OrderLine line : order.items()) {
      quantities.merge(line.isbn(), line.quantity(), Integer::sum);
    }
    List<StockLine> lines = new ArrayList<>();
    quantities.forEach((isbn, quantity) -> lines.add(new StockLine(isbn, quantity)));
    return lines;
  }

  private CloudEvent event(
      String id, String type, String sagaId, Instant now, Object data, CloudEvent cause) {
    EventType eventType = EventCatalogue.get(type);
    byte[] bytes;
    try {
      bytes = EventJson.mapper().writeValueAsBytes(data);
    } catch (JsonProcessingException e) {
      throw FunctionException.fatal("cannot write " + type + " data", e);
    }
    Map<String, String> extensions = new LinkedHashMap<>();
    extensions.put(CloudEvent.PARTITION_KEY, sagaId);
    // One order is one trace: the trace context of the event that caused this one rides along.
    Tracing.startContext(cause, extensions);
    return new CloudEvent(
        id,
        source,
        type,
        sagaId,
        now.toString(),
        CloudEventCodec.JSON,
        eventType.dataschema(),
        extensions,
        bytes);
  }
}
