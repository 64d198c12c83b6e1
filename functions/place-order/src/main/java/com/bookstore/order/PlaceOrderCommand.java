package com.bookstore.order;

import com.bookstore.events.order.PlaceOrder;
import com.bookstore.kit.Answer;
import com.bookstore.kit.CloudEvent;
import com.bookstore.kit.Digests;
import com.bookstore.kit.FunctionException;
import com.bookstore.kit.InboundEvent;
import com.bookstore.kit.Problem;
import com.bookstore.kit.SessionCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The order.place command of other systems: place-order owns order.placed, so an order that does
 * not come through {@code POST /orders} comes as this command. It takes exactly the path of {@code
 * POST /orders} ({@link OrderService#place}): the same cart rules, the catalog's prices (nothing
 * the sender says about money counts), one SQL statement with the outbox row, and order.placed
 * published once by the service or its outbox relay. The answer to the kit is therefore {@link
 * Answer#none()}: answering order.placed as well would publish it a second time.
 *
 * <p>The command's {@code source} and {@code id} make its Idempotency-Key ({@link #keyOf}), stored
 * with the order under the customer: a redelivery, even one the kit's ledger has forgotten, finds
 * that order and places no second one.
 *
 * <p>A command that cannot be placed (unknown books, mixed currencies, its id reused for another
 * cart) is a bad event naming the field: a 4xx problem over HTTP, a dead letter from Kafka. A
 * catalog that cannot answer is retryable: the command is tried again, nothing was stored.
 */
@ApplicationScoped
public class PlaceOrderCommand {
  private static final Logger LOG = Logger.getLogger(PlaceOrderCommand.class);

  /** Prefix of the Idempotency-Keys of commands; 68 characters in all. */
  static final String KEY_PREFIX = "cmd:";

  private final OrderService orders;

  PlaceOrderCommand(OrderService orders) {
    this.orders = orders;
  }

  public Uni<Answer> handle(InboundEvent event) {
    CloudEvent ce = event.event();
    PlaceOrder command = event.data(PlaceOrder.class);
    Cart cart;
    try {
      cart = OrderForm.read(event.json());
    } catch (OrderProblem p) {
      return Uni.createFrom().failure(refused(p, ce));
    }
    SessionCheck.Session customer =
        new SessionCheck.Session(command.customerId(), command.email(), null);
    return orders
        .place(customer, cart, keyOf(ce))
        .onFailure(OrderProblem.class)
        .transform(f -> refused((OrderProblem) f, ce))
        .map(
            placed -> {
              if (placed.replayed()) {
                LOG.infof(
                    "%s placed order %s before; not placed again", ce, placed.order().orderId());
              } else {
                LOG.debugf("%s placed order %s", ce, placed.order().orderId());
              }
              return Answer.none();
            });
  }

  /**
   * The Idempotency-Key of a command: {@code cmd:} and the SHA-256 of its {@code source} and {@code
   * id} (length-prefixed, so no two pairs share a key). Within the customer's keys, as those of
   * {@code POST /orders} are.
   */
  static String keyOf(CloudEvent command) {
    String source = command.source();
    return KEY_PREFIX + Digests.sha256Hex(source.length() + ":" + source + "|" + command.id());
  }

  /**
   * A refusal of the order service as the kit's failure: unavailable (the catalog) is retryable;
   * anything else is the command's fault, with its fields named in the event's data.
   */
  static FunctionException refused(OrderProblem refusal, CloudEvent command) {
    Problem p = refusal.problem();
    if (p.status() >= 500) {
      return FunctionException.retryable(p.detail(), refusal);
    }
    if (p.type().endsWith("/idempotency-key-reused")) {
      return FunctionException.badEvent(
          new Problem(
              p.type(),
              "Command id reused",
              p.status(),
              "this command's source and id placed an order with another cart; a new order needs"
                  + " a new id",
              List.of(
                  new Problem.FieldError(
                      "attribute",
                      "id",
                      "already used by "
                          + command.source()
                          + " for another cart: "
                          + command.id()))));
    }
    List<Problem.FieldError> errors =
        p.errors().stream()
            .map(
                e ->
                    "body".equals(e.in())
                        ? new Problem.FieldError("data", e.field(), e.detail())
                        : e)
            .toList();
    return FunctionException.badEvent(
        new Problem(p.type(), p.title(), p.status(), p.detail(), errors));
  }
}
