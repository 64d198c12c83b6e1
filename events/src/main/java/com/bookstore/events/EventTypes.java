package com.bookstore.events;

/**
 * Every CloudEvent type the product takes or emits. Reverse-DNS, imperative for commands, past
 * tense for facts, major version last. Annotations, routing tables and Knative Triggers use these
 * constants, never string literals.
 */
public final class EventTypes {
  private EventTypes() {}

  public static final String PREFIX = "com.bookstore.";

  // user
  public static final String USER_REGISTER = "com.bookstore.user.register.v1";
  public static final String USER_REGISTERED = "com.bookstore.user.registered.v1";
  public static final String USER_REGISTRATION_REJECTED =
      "com.bookstore.user.registration-rejected.v1";

  // stock (reserve-stock)
  public static final String STOCK_RESERVE = "com.bookstore.stock.reserve.v1";
  public static final String STOCK_RESERVED = "com.bookstore.stock.reserved.v1";
  public static final String STOCK_REJECTED = "com.bookstore.stock.rejected.v1";
  public static final String STOCK_COMMIT = "com.bookstore.stock.commit.v1";
  public static final String STOCK_COMMITTED = "com.bookstore.stock.committed.v1";
  public static final String STOCK_RELEASE = "com.bookstore.stock.release.v1";
  public static final String STOCK_RELEASED = "com.bookstore.stock.released.v1";
  public static final String STOCK_EXPIRE = "com.bookstore.stock.expire.v1";
  public static final String STOCK_EXPIRED = "com.bookstore.stock.expired.v1";

  // payment
  public static final String PAYMENT_AUTHORIZE = "com.bookstore.payment.authorize.v1";
  public static final String PAYMENT_AUTHORIZED = "com.bookstore.payment.authorized.v1";
  public static final String PAYMENT_DECLINED = "com.bookstore.payment.declined.v1";
  public static final String PAYMENT_CAPTURE = "com.bookstore.payment.capture.v1";
  public static final String PAYMENT_CAPTURED = "com.bookstore.payment.captured.v1";
  public static final String PAYMENT_REFUND = "com.bookstore.payment.refund.v1";
  public static final String PAYMENT_REFUNDED = "com.bookstore.payment.refunded.v1";

  // catalog
  public static final String BOOK_ADDED = "com.bookstore.book.added.v1";
  public static final String BOOK_PRICE_CHANGED = "com.bookstore.book.price-changed.v1";

  // orders (place-order, saga-step, compensate)
  public static final String ORDER_PLACE = "com.bookstore.order.place.v1";
  public static final String ORDER_PLACED = "com.bookstore.order.placed.v1";
  public static final String ORDER_CONFIRMED = "com.bookstore.order.confirmed.v1";
  public static final String ORDER_CANCELLED = "com.bookstore.order.cancelled.v1";

  // sagas (saga-step, compensate, saga-timeouts)
  public static final String SAGA_FAILED = "com.bookstore.saga.failed.v1";
  public static final String SAGA_DEADLINE_PASSED = "com.bookstore.saga.deadline-passed.v1";
  public static final String SAGA_STUCK = "com.bookstore.saga.stuck.v1";

  // delivery (dispatch-courier; assign, dispatch and cancel are saga-step's and compensate's)
  public static final String DELIVERY_ASSIGN = "com.bookstore.delivery.assign.v1";
  public static final String DELIVERY_ASSIGNED = "com.bookstore.delivery.assigned.v1";
  public static final String DELIVERY_REJECTED = "com.bookstore.delivery.rejected.v1";
  public static final String DELIVERY_DISPATCH = "com.bookstore.delivery.dispatch.v1";
  public static final String DELIVERY_REASSIGNED = "com.bookstore.delivery.reassigned.v1";
  public static final String DELIVERY_PICKED_UP = "com.bookstore.delivery.picked-up.v1";
  public static final String DELIVERY_DELIVERED = "com.bookstore.delivery.delivered.v1";
  public static final String DELIVERY_FAILED = "com.bookstore.delivery.failed.v1";
  public static final String DELIVERY_CANCEL = "com.bookstore.delivery.cancel.v1";
  public static final String DELIVERY_CANCELLED = "com.bookstore.delivery.cancelled.v1";
  public static final String DELIVERY_PICKUP_OVERDUE = "com.bookstore.delivery.pickup-overdue.v1";

  // couriers' own systems (outside the product), on the couriers' topic
  public static final String COURIER_PREFIX = "com.bookstore.courier.";
  public static final String COURIER_PICKED_UP = "com.bookstore.courier.picked-up.v1";
  public static final String COURIER_LOCATION_UPDATED = "com.bookstore.courier.location-updated.v1";
  public static final String COURIER_DELIVERED = "com.bookstore.courier.delivered.v1";
  public static final String COURIER_FAILED = "com.bookstore.courier.failed.v1";

  // notifications (notify)
  public static final String NOTIFICATION_SENT = "com.bookstore.notification.sent.v1";
}
