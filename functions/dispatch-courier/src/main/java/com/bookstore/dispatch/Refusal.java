package com.bookstore.dispatch;

import com.bookstore.kit.FunctionException;
import com.bookstore.kit.Problem;
import java.util.List;

/**
 * Couriers' events that do not fit the delivery they name: answered 422 over HTTP, dead-lettered
 * from Kafka with the reason ({@code unknown-delivery: ...}, {@code wrong-courier: ...}, {@code
 * out-of-order: ...}), and they change nothing.
 */
final class Refusal {
  private static final String PROBLEMS = "https://bookstore.example.com/problems/";

  private Refusal() {}

  static FunctionException unknownDelivery(String type, String orderId) {
    return refuse(
        "unknown-delivery",
        "Unknown delivery",
        type + " for order " + orderId + ", which has no delivery",
        "/orderId");
  }

  static FunctionException wrongCourier(String type, Delivery d, String courierId) {
    return refuse(
        "wrong-courier",
        "Not the assigned courier",
        type
            + " from courier "
            + courierId
            + ", but the delivery of order "
            + d.orderId()
            + " is assigned to "
            + (d.courierId() == null ? "nobody" : d.courierId()),
        "/courierId");
  }

  static FunctionException outOfOrder(String type, Delivery d, String expected) {
    return refuse(
        "out-of-order",
        "Event out of order",
        type
            + " for order "
            + d.orderId()
            + ", whose delivery is "
            + d.status()
            + "; it comes only "
            + expected,
        "/orderId");
  }

  private static FunctionException refuse(
      String slug, String title, String detail, String pointer) {
    return FunctionException.badEvent(
        new Problem(
            PROBLEMS + slug,
            title,
            422,
            detail,
            List.of(new Problem.FieldError("data", pointer, slug))));
  }
}
