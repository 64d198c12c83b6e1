package com.bookstore.saga.store;

import static com.bookstore.events.EventTypes.DELIVERY_ASSIGN;
import static com.bookstore.events.EventTypes.DELIVERY_ASSIGNED;
import static com.bookstore.events.EventTypes.DELIVERY_CANCEL;
import static com.bookstore.events.EventTypes.DELIVERY_CANCELLED;
import static com.bookstore.events.EventTypes.DELIVERY_DELIVERED;
import static com.bookstore.events.EventTypes.DELIVERY_DISPATCH;
import static com.bookstore.events.EventTypes.DELIVERY_FAILED;
import static com.bookstore.events.EventTypes.DELIVERY_REJECTED;
import static com.bookstore.events.EventTypes.PAYMENT_AUTHORIZE;
import static com.bookstore.events.EventTypes.PAYMENT_AUTHORIZED;
import static com.bookstore.events.EventTypes.PAYMENT_CAPTURE;
import static com.bookstore.events.EventTypes.PAYMENT_CAPTURED;
import static com.bookstore.events.EventTypes.PAYMENT_DECLINED;
import static com.bookstore.events.EventTypes.PAYMENT_REFUND;
import static com.bookstore.events.EventTypes.PAYMENT_REFUNDED;
import static com.bookstore.events.EventTypes.STOCK_COMMIT;
import static com.bookstore.events.EventTypes.STOCK_COMMITTED;
import static com.bookstore.events.EventTypes.STOCK_REJECTED;
import static com.bookstore.events.EventTypes.STOCK_RELEASE;
import static com.bookstore.events.EventTypes.STOCK_RELEASED;
import static com.bookstore.events.EventTypes.STOCK_RESERVE;
import static com.bookstore.events.EventTypes.STOCK_RESERVED;
import static com.bookstore.kit.saga.SagaDefinition.acknowledgedBy;
import static com.bookstore.kit.saga.SagaDefinition.advance;
import static com.bookstore.kit.saga.SagaDefinition.fail;

import com.bookstore.events.order.OrderPlaced;
import com.bookstore.kit.saga.SagaDefinition;
import com.bookstore.kit.saga.SagaEngine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.eclipse.microprofile.config.Config;

/**
 * The bookstore order saga, declared as tables, one per kind of order:
 *
 * <ul>
 *   <li>{@value #NAME} (collected at the shop): reserve stock, authorize payment (the pivot), then
 *       commit stock and capture payment, which can only be retried.
 *   <li>{@value #DELIVERED} (an order with a delivery address): reserve stock, authorize payment,
 *       assign a courier, commit stock, capture payment, deliver. The delivery can fail after the
 *       money is taken, so it is the pivot and every step before it is compensatable: no courier
 *       for the zone fails the saga before anything is charged (the authorization is voided, the
 *       hold released); a delivery that fails after pickup (or never happens) cancels the delivery,
 *       refunds the captured payment and puts the sold copies back in stock, newest first.
 * </ul>
 *
 * The table is chosen when the saga starts (by whether {@code order.placed} carries a delivery) and
 * stored with it. Time limits come from {@code saga.order.time-limit.<step>}; the hold asked of
 * reserve-stock from {@code saga.order.hold-seconds}.
 */
@ApplicationScoped
public class OrderSaga {

  public static final String NAME = "order";
  public static final String RESERVE_STOCK = "reserve-stock";
  public static final String AUTHORIZE_PAYMENT = "authorize-payment";
  public static final String COMMIT_STOCK = "commit-stock";
  public static final String CAPTURE_PAYMENT = "capture-payment";

  /** The table of an order delivered by a courier. */
  public static final String DELIVERED = "order-delivered";

  public static final String ASSIGN_COURIER = "assign-courier";
  public static final String DELIVER = "deliver";

  /**
   * The deliver step waits for the delivery workflow: every pickup attempt and the ride. Longer
   * than dispatch-courier's attempts times its pickup time limit, or the saga would cancel a
   * delivery that is still being reassigned.
   */
  public static final Duration DEFAULT_DELIVERY_TIME_LIMIT = Duration.ofHours(4);

  public static final Duration DEFAULT_TIME_LIMIT = Duration.ofSeconds(10);
  public static final int DEFAULT_HOLD_SECONDS = 900;
  public static final int MAX_ATTEMPTS = 5;

  private final SagaDefinition definition;
  private final SagaEngine engine;
  private final SagaDefinition delivered;
  private final SagaEngine deliveredEngine;
  private final int holdSeconds;

  @Inject
  OrderSaga(Config config) {
    this(
        step ->
            config
                .getOptionalValue("saga.order.time-limit." + step, Duration.class)
                .orElse(DELIVER.equals(step) ? DEFAULT_DELIVERY_TIME_LIMIT : DEFAULT_TIME_LIMIT),
        config
            .getOptionalValue("saga.order.hold-seconds", Integer.class)
            .orElse(DEFAULT_HOLD_SECONDS));
  }

  public OrderSaga(Function<String, Duration> timeLimits, int holdSeconds) {
    this.definition = table(timeLimits);
    this.engine = new SagaEngine(definition);
    this.delivered = deliveredTable(timeLimits);
    this.deliveredEngine = new SagaEngine(delivered);
    this.holdSeconds = holdSeconds;
  }

  /**
   * The table. A step's time limit covers its command and later its compensation; holds are kept
   * much longer than the time limits, so a slow saga does not lose its copies half-way.
   */
  public static SagaDefinition table(Function<String, Duration> timeLimits) {
    return reserveAndAuthorize(NAME, timeLimits)
        .step(COMMIT_STOCK)
        .invoke(STOCK_COMMIT)
        .onReply(STOCK_COMMITTED, advance())
        .retriable()
        .timeLimit(timeLimits.apply(COMMIT_STOCK))
        .step(CAPTURE_PAYMENT)
        .invoke(PAYMENT_CAPTURE)
        .onReply(PAYMENT_CAPTURED, advance())
        .retriable()
        .timeLimit(timeLimits.apply(CAPTURE_PAYMENT))
        .build();
  }

  /** The first two rows, the same in both tables: hold the copies, then the money. */
  private static SagaDefinition.StepBuilder reserveAndAuthorize(
      String name, Function<String, Duration> timeLimits) {
    return SagaDefinition.named(name)
        .maxAttempts(MAX_ATTEMPTS)
        .step(RESERVE_STOCK)
        .invoke(STOCK_RESERVE)
        .onReply(STOCK_RESERVED, advance())
        .onReply(STOCK_REJECTED, fail("out-of-stock"))
        .compensateWith(STOCK_RELEASE, acknowledgedBy(STOCK_RELEASED))
        .timeLimit(timeLimits.apply(RESERVE_STOCK))
        .step(AUTHORIZE_PAYMENT)
        .invoke(PAYMENT_AUTHORIZE)
        .onReply(PAYMENT_AUTHORIZED, advance())
        .onReply(PAYMENT_DECLINED, fail("payment-declined"))
        .compensateWith(PAYMENT_REFUND, acknowledgedBy(PAYMENT_REFUNDED))
        .timeLimit(timeLimits.apply(AUTHORIZE_PAYMENT));
  }

  /**
   * The table of an order with a delivery. Commit and capture come before the pivot here, so they
   * are compensatable rows without a compensation of their own: the refund (authorize-payment's)
   * gives back a captured payment as well as an authorized one, and the release (reserve-stock's)
   * restocks sold copies as well as held ones. A commit or capture that passes its time limit fails
   * the saga, which is then compensated, rather than being retried.
   */
  public static SagaDefinition deliveredTable(Function<String, Duration> timeLimits) {
    return reserveAndAuthorize(DELIVERED, timeLimits)
        .step(ASSIGN_COURIER)
        .invoke(DELIVERY_ASSIGN)
        .onReply(DELIVERY_ASSIGNED, advance())
        .onReply(DELIVERY_REJECTED, fail("no-courier"))
        .compensateWith(DELIVERY_CANCEL, acknowledgedBy(DELIVERY_CANCELLED))
        .timeLimit(timeLimits.apply(ASSIGN_COURIER))
        .step(COMMIT_STOCK)
        .invoke(STOCK_COMMIT)
        .onReply(STOCK_COMMITTED, advance())
        .timeLimit(timeLimits.apply(COMMIT_STOCK))
        .step(CAPTURE_PAYMENT)
        .invoke(PAYMENT_CAPTURE)
        .onReply(PAYMENT_CAPTURED, advance())
        .timeLimit(timeLimits.apply(CAPTURE_PAYMENT))
        .step(DELIVER)
        .invoke(DELIVERY_DISPATCH)
        .onReply(DELIVERY_DELIVERED, advance())
        .onReply(DELIVERY_FAILED, fail("delivery-failed"))
        .timeLimit(timeLimits.apply(DELIVER))
        .build();
  }

  /** The collect-at-the-shop table. */
  public SagaDefinition definition() {
    return definition;
  }

  /** The collect-at-the-shop table's engine. */
  public SagaEngine engine() {
    return engine;
  }

  /** The delivered table. */
  public SagaDefinition delivered() {
    return delivered;
  }

  /** Both tables, collect first. */
  public List<SagaDefinition> definitions() {
    return List.of(definition, delivered);
  }

  /** The table an order runs: the delivered one when it has a delivery address. */
  public SagaEngine engineFor(OrderPlaced order) {
    return order.delivery() != null ? deliveredEngine : engine;
  }

  /** The engine of a stored saga's table, by the name stored with it. */
  public SagaEngine engineFor(String definitionName) {
    if (NAME.equals(definitionName)) {
      return engine;
    }
    if (DELIVERED.equals(definitionName)) {
      return deliveredEngine;
    }
    throw new IllegalArgumentException(
        "no order saga table named '"
            + definitionName
            + "'; this version runs "
            + NAME
            + " and "
            + DELIVERED);
  }

  /** Whether {@code name} is one of the tables this version runs. */
  public static boolean runs(String name) {
    return NAME.equals(name) || DELIVERED.equals(name);
  }

  /** How long reserve-stock holds the copies ({@code stock.reserve}'s {@code holdSeconds}). */
  public int holdSeconds() {
    return holdSeconds;
  }
}
