package com.bookstore.saga.store;

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

import com.bookstore.kit.saga.SagaDefinition;
import com.bookstore.kit.saga.SagaEngine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.function.Function;
import org.eclipse.microprofile.config.Config;

/**
 * The bookstore order saga, declared once as a table (the contract's, in this order): reserve
 * stock, authorize payment (the pivot), then commit stock and capture payment, which can only be
 * retried. Time limits come from {@code saga.order.time-limit.<step>}; the hold asked of
 * reserve-stock from {@code saga.order.hold-seconds}.
 */
@ApplicationScoped
public class OrderSaga {

  public static final String NAME = "order";
  public static final String RESERVE_STOCK = "reserve-stock";
  public static final String AUTHORIZE_PAYMENT = "authorize-payment";
  public static final String COMMIT_STOCK = "commit-stock";
  public static final String CAPTURE_PAYMENT = "capture-payment";

  public static final Duration DEFAULT_TIME_LIMIT = Duration.ofSeconds(10);
  public static final int DEFAULT_HOLD_SECONDS = 900;
  public static final int MAX_ATTEMPTS = 5;

  private final SagaDefinition definition;
  private final SagaEngine engine;
  private final int holdSeconds;

  @Inject
  OrderSaga(Config config) {
    this(
        step ->
            config
                .getOptionalValue("saga.order.time-limit." + step, Duration.class)
                .orElse(DEFAULT_TIME_LIMIT),
        config
            .getOptionalValue("saga.order.hold-seconds", Integer.class)
            .orElse(DEFAULT_HOLD_SECONDS));
  }

  public OrderSaga(Function<String, Duration> timeLimits, int holdSeconds) {
    this.definition = table(timeLimits);
    this.engine = new SagaEngine(definition);
    this.holdSeconds = holdSeconds;
  }

  /**
   * The table. A step's time limit covers its command and later its compensation; holds are kept
   * much longer than the time limits, so a slow saga does not lose its copies half-way.
   */
  public static SagaDefinition table(Function<String, Duration> timeLimits) {
    return SagaDefinition.named(NAME)
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
        .timeLimit(timeLimits.apply(AUTHORIZE_PAYMENT))
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

  public SagaDefinition definition() {
    return definition;
  }

  public SagaEngine engine() {
    return engine;
  }

  /** How long reserve-stock holds the copies ({@code stock.reserve}'s {@code holdSeconds}). */
  public int holdSeconds() {
    return holdSeconds;
  }
}
