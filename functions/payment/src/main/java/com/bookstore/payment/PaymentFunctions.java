package com.bookstore.payment;

import com.bookstore.kit.OnContext;
import io.quarkus.funqy.Funq;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import java.time.OffsetDateTime;

/** Plain JSON over HTTP (Funqy): {@code POST /payment-status {orderId}}. */
public class PaymentFunctions {
  private final PaymentService payments;
  private final Vertx vertx;

  PaymentFunctions(PaymentService payments, Vertx vertx) {
    this.payments = payments;
    this.vertx = vertx;
  }

  public record OrderRef(String orderId) {}

  /**
   * {@code status} is null when the order has no payment; {@code authorizationId} is the
   * provider's, {@code declineReason} why it declined.
   */
  public record Status(
      String orderId,
      String status,
      long amountCents,
      String currency,
      String authorizationId,
      String declineReason,
      OffsetDateTime updatedAt) {}

  @Funq("payment-status")
  public Uni<Status> status(OrderRef ref) {
    if (ref == null || ref.orderId() == null || ref.orderId().isBlank()) {
      throw new IllegalArgumentException("payment-status needs an orderId");
    }
    return OnContext.run(vertx, () -> payments.find(ref.orderId()))
        .map(
            p ->
                p == null
                    ? new Status(ref.orderId(), null, 0, null, null, null, null)
                    : new Status(
                        p.orderId,
                        p.status.name(),
                        p.amountCents,
                        p.currency,
                        p.authorizationId,
                        p.declineReason,
                        p.updatedAt));
  }
}
