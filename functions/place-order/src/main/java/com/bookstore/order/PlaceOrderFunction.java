package com.bookstore.order;

import com.bookstore.events.EventTypes;
import com.bookstore.kit.Answer;
import com.bookstore.kit.CloudEvent;
import com.bookstore.kit.CloudEventFunction;
import com.bookstore.kit.InboundEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Takes other systems' order.place commands ({@link PlaceOrderCommand}: priced and placed exactly
 * as {@code POST /orders} places an order) and follows the order saga's facts (stock.*, payment.*
 * replies, saga.failed, order.confirmed, order.cancelled, and the delivery facts delivery.*): each
 * adds one line to its order's history and may move its status (or, for a delivery fact, its
 * delivery's state) forward. Answers nothing: order.placed is published by the order service and
 * its outbox. A fact about an order this database does not know (another system's saga, a command
 * driven by hand) is acknowledged and logged: it is not a bad event, just not ours.
 */
@ApplicationScoped
public class PlaceOrderFunction implements CloudEventFunction {
  private static final Logger LOG = Logger.getLogger(PlaceOrderFunction.class);

  private final OrderStore store;
  private final PlaceOrderCommand placeOrder;

  PlaceOrderFunction(OrderStore store, PlaceOrderCommand placeOrder) {
    this.store = store;
    this.placeOrder = placeOrder;
  }

  @Override
  public Uni<Answer> handle(InboundEvent event) {
    if (EventTypes.ORDER_PLACE.equals(event.type())) {
      return placeOrder.handle(event);
    }
    CloudEvent ce = event.event();
    Optional<OrderFacts.Fact> read = OrderFacts.read(event.type(), event.json());
    if (read.isEmpty()) {
      LOG.infof("%s is not about an order saga; acknowledged", ce);
      return Uni.createFrom().item(Answer.none());
    }
    OrderFacts.Fact fact = read.get();
    return store
        .record(fact, ce.type(), ce.source(), ce.id(), timeOf(ce))
        .map(
            outcome -> {
              switch (outcome.recorded()) {
                case UNKNOWN_ORDER ->
                    LOG.infof("no order %s here for %s; acknowledged", fact.orderId(), ce);
                case DUPLICATE -> LOG.debugf("%s already in the history of %s", ce, fact.orderId());
                case HISTORY_ONLY -> {
                  if (fact.delivery() != null) {
                    LOG.debugf(
                        "delivery of order %s not moved to %s by %s (none, or further along)",
                        fact.orderId(), fact.delivery().status(), ce);
                  } else if (fact.moveTo() != null) {
                    LOG.infof(
                        "order %s stays %s: %s does not move it to %s",
                        fact.orderId(), outcome.statusBefore(), ce.type(), fact.moveTo());
                  }
                }
                case MOVED ->
                    LOG.debugf(
                        "order %s: %s -> %s",
                        fact.orderId(),
                        outcome.statusBefore(),
                        fact.delivery() != null
                            ? "delivery " + fact.delivery().status()
                            : fact.moveTo());
              }
              return Answer.none();
            });
  }

  /** When the fact happened: its {@code time} attribute (RFC 3339), or now when it has none. */
  private static Instant timeOf(CloudEvent ce) {
    if (ce.time() != null) {
      try {
        return OffsetDateTime.parse(ce.time()).toInstant();
      } catch (DateTimeParseException e) {
        // the codec has checked the attribute; an unreadable time still leaves "now"
      }
    }
    return Instant.now();
  }
}
