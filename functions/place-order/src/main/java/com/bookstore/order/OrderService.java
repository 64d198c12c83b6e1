package com.bookstore.order;

import com.bookstore.events.EventJson;
import com.bookstore.kit.Answer;
import com.bookstore.kit.EventPublisher;
import com.bookstore.kit.KitConfig;
import com.bookstore.kit.SessionCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Places orders and shows them. Per new order: one gRPC call (prices), one SQL statement (order,
 * lines, history, outbox) and one publish (order.placed) after the commit. The answer does not wait
 * for the publish: the order is safe once committed, and the outbox relay publishes it if this
 * process dies before it does.
 */
@ApplicationScoped
public class OrderService {
  private static final Logger LOG = Logger.getLogger(OrderService.class);

  private final CatalogPrices catalog;
  private final OrderStore store;
  private final EventPublisher publisher;
  private final String function;

  OrderService(CatalogPrices catalog, OrderStore store, EventPublisher publisher, KitConfig kit) {
    this.catalog = catalog;
    this.store = store;
    this.publisher = publisher;
    this.function = kit.functionName();
  }

  /**
   * @param order the order as the customer sees it
   * @param replayed true when an earlier request with the same Idempotency-Key placed it
   */
  public record Placed(OrderView order, boolean replayed) {}

  /**
   * Prices the cart, stores the order and announces it. With an Idempotency-Key the customer's
   * earlier order under that key is answered instead (looked up first, so a repeat needs neither
   * the catalog nor a second order; two concurrent first requests are settled by the unique key).
   */
  public Uni<Placed> place(SessionCheck.Session customer, Cart cart, String idempotencyKey) {
    String fingerprint = cart.fingerprint();
    Uni<Optional<Placed>> earlier =
        idempotencyKey == null
            ? Uni.createFrom().item(Optional.empty())
            : earlier(customer, idempotencyKey, fingerprint);
    return earlier.flatMap(
        found ->
            found.isPresent()
                ? Uni.createFrom().item(found.get())
                : priceAndStore(customer, cart, idempotencyKey, fingerprint));
  }

  private Uni<Placed> priceAndStore(
      SessionCheck.Session customer, Cart cart, String idempotencyKey, String fingerprint) {
    return catalog
        .prices(cart.isbns())
        .map(prices -> Pricing.price(cart, prices))
        .flatMap(
            priced -> {
              Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
              Placement placement =
                  Placement.of(
                      function,
                      OrderIds.next(),
                      customer,
                      priced,
                      idempotencyKey,
                      idempotencyKey == null ? null : fingerprint,
                      now);
              return store
                  .insert(placement)
                  .flatMap(
                      inserted -> {
                        if (inserted) {
                          publish(placement);
                          return Uni.createFrom().item(new Placed(view(placement), false));
                        }
                        // A concurrent request with the same key won the insert: answer its order.
                        return earlier(customer, idempotencyKey, fingerprint)
                            .map(
                                o ->
                                    o.orElseThrow(
                                        () ->
                                            new IllegalStateException(
                                                "idempotency conflict without an order")));
                      });
            });
  }

  private Uni<Optional<Placed>> earlier(
      SessionCheck.Session customer, String idempotencyKey, String fingerprint) {
    return store
        .findByKey(customer.userId(), idempotencyKey)
        .flatMap(
            keyed -> {
              if (keyed.isEmpty()) {
                return Uni.createFrom().item(Optional.<Placed>empty());
              }
              if (!fingerprint.equals(keyed.get().requestHash())) {
                return Uni.createFrom().failure(OrderProblem.keyReused(idempotencyKey));
              }
              return store
                  .view(keyed.get().orderId(), customer.userId())
                  .map(v -> v.map(order -> new Placed(order, true)));
            });
  }

  /** The customer's order with its history; empty when unknown or someone else's. */
  public Uni<Optional<OrderView>> find(String orderId, SessionCheck.Session customer) {
    return store.view(orderId, customer.userId());
  }

  /**
   * Publishes order.placed and marks its outbox row. A failure only logs: the row stays unpublished
   * and the relay publishes it after its grace period.
   */
  private void publish(Placement placement) {
    publisher
        .publish(Answer.of(placement.event()))
        .flatMap(x -> store.markPublished(placement.event().id()))
        .subscribe()
        .with(
            x -> {},
            failure ->
                LOG.warnf(
                    "order.placed for %s not published yet, the outbox relay will: %s",
                    placement.orderId(), failure.toString()));
  }

  private static OrderView view(Placement p) {
    return new OrderView(
        p.orderId(),
        OrderStatus.PENDING,
        null,
        p.placed().total(),
        p.placed().placedAt(),
        p.placed().placedAt(),
        EventJson.mapper().valueToTree(p.placed().items()),
        EventJson.mapper().createArrayNode(),
        p.placed().delivery() == null
            ? null
            : OrderView.delivery(p.placed().delivery(), null, null, null));
  }
}
