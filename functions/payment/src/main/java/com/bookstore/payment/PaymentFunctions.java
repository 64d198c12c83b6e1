package com.bookstore.payment;

import com.bookstore.kit.OnContext;
import io.quarkus.funqy.Funq;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/** Plain JSON over HTTP (Funqy): {@code POST /payment-status {orderId}}. */
public class PaymentFunctions {
  private final PaymentService payments;
  private final Vertx vertx;

  PaymentFunctions(PaymentService payments, Vertx vertx) {
    this.payments = payments;
    this.vertx = vertx;
  }

  public record OrderRef(String orderId) {}

  /** {@code status} is null when the order has no payment. */
  public record Status(String orderId, String status, long amountCents, String currency) {}

  @Funq("payment-status")
  public Uni<Status> status(OrderRef ref) {
    return OnContext.run(vertx, () -> payments.find(ref.orderId()))
        .map(
            p ->
                p == null
                    ? new Status(ref.orderId(), null, 0, null)
                    : new Status(p.orderId, p.status.name(), p.amountCents, p.currency));
  }
}
