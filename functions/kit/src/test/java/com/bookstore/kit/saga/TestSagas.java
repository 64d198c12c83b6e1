package com.bookstore.kit.saga;

import static com.bookstore.kit.saga.SagaDefinition.acknowledgedBy;
import static com.bookstore.kit.saga.SagaDefinition.advance;
import static com.bookstore.kit.saga.SagaDefinition.fail;

import java.time.Duration;

/**
 * A table shaped like the bookstore order saga, with its own type strings so these tests do not
 * depend on the catalogue. It has every kind of row: compensated steps, a step that can fail but
 * has nothing to undo (check-fraud), a compensation that can be refused (void-payment), the pivot
 * (schedule-delivery) and retriable steps after it.
 */
final class TestSagas {
  private TestSagas() {}

  static final String STOCK_RESERVE = "test.stock.reserve.v1";
  static final String STOCK_RESERVED = "test.stock.reserved.v1";
  static final String STOCK_REJECTED = "test.stock.rejected.v1";
  static final String STOCK_RELEASE = "test.stock.release.v1";
  static final String STOCK_RELEASED = "test.stock.released.v1";

  static final String FRAUD_CHECK = "test.fraud.check.v1";
  static final String FRAUD_CLEARED = "test.fraud.cleared.v1";
  static final String FRAUD_SUSPECTED = "test.fraud.suspected.v1";

  static final String PAYMENT_AUTHORIZE = "test.payment.authorize.v1";
  static final String PAYMENT_AUTHORIZED = "test.payment.authorized.v1";
  static final String PAYMENT_DECLINED = "test.payment.declined.v1";
  static final String PAYMENT_VOID = "test.payment.void.v1";
  static final String PAYMENT_VOIDED = "test.payment.voided.v1";
  static final String PAYMENT_VOID_FAILED = "test.payment.void-failed.v1";

  static final String DELIVERY_REQUEST = "test.delivery.request.v1";
  static final String DELIVERY_SCHEDULED = "test.delivery.scheduled.v1";
  static final String DELIVERY_UNAVAILABLE = "test.delivery.unavailable.v1";
  static final String DELIVERY_CANCEL = "test.delivery.cancel.v1";
  static final String DELIVERY_CANCELLED = "test.delivery.cancelled.v1";

  static final String STOCK_COMMIT = "test.stock.commit.v1";
  static final String STOCK_COMMITTED = "test.stock.committed.v1";
  static final String PAYMENT_CAPTURE = "test.payment.capture.v1";
  static final String PAYMENT_CAPTURED = "test.payment.captured.v1";
  static final String ORDER_CONFIRM = "test.order.confirm.v1";
  static final String ORDER_CONFIRMATION_RECORDED = "test.order.confirmation-recorded.v1";

  static final Duration RESERVE_LIMIT = Duration.ofSeconds(30);
  static final Duration FRAUD_LIMIT = Duration.ofSeconds(5);
  static final Duration AUTHORIZE_LIMIT = Duration.ofSeconds(20);
  static final Duration DELIVERY_LIMIT = Duration.ofSeconds(60);
  static final Duration FINISH_LIMIT = Duration.ofSeconds(10);

  static final int MAX_ATTEMPTS = 3;

  static SagaDefinition order() {
    return SagaDefinition.named("test-order")
        .maxAttempts(MAX_ATTEMPTS)
        .step("reserve-stock")
        .invoke(STOCK_RESERVE)
        .onReply(STOCK_RESERVED, advance())
        .onReply(STOCK_REJECTED, fail("out-of-stock"))
        .compensateWith(STOCK_RELEASE, acknowledgedBy(STOCK_RELEASED))
        .timeLimit(RESERVE_LIMIT)
        .step("check-fraud")
        .invoke(FRAUD_CHECK)
        .onReply(FRAUD_CLEARED, advance())
        .onReply(FRAUD_SUSPECTED, fail("fraud-suspected"))
        .timeLimit(FRAUD_LIMIT)
        .step("authorize-payment")
        .invoke(PAYMENT_AUTHORIZE)
        .onReply(PAYMENT_AUTHORIZED, advance())
        .onReply(PAYMENT_DECLINED, fail("payment-declined"))
        .compensateWith(PAYMENT_VOID, acknowledgedBy(PAYMENT_VOIDED).orRetryOn(PAYMENT_VOID_FAILED))
        .timeLimit(AUTHORIZE_LIMIT)
        .step("schedule-delivery")
        .invoke(DELIVERY_REQUEST)
        .onReply(DELIVERY_SCHEDULED, advance())
        .onReply(DELIVERY_UNAVAILABLE, fail("no-courier"))
        .compensateWith(DELIVERY_CANCEL, acknowledgedBy(DELIVERY_CANCELLED))
        .timeLimit(DELIVERY_LIMIT)
        .step("commit-stock")
        .invoke(STOCK_COMMIT)
        .onReply(STOCK_COMMITTED, advance())
        .retriable()
        .timeLimit(FINISH_LIMIT)
        .step("capture-payment")
        .invoke(PAYMENT_CAPTURE)
        .onReply(PAYMENT_CAPTURED, advance())
        .retriable()
        .timeLimit(FINISH_LIMIT)
        .step("confirm")
        .invoke(ORDER_CONFIRM)
        .onReply(ORDER_CONFIRMATION_RECORDED, advance())
        .retriable()
        .timeLimit(FINISH_LIMIT)
        .build();
  }
}
