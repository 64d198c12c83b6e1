package com.bookstore.payment;

import com.bookstore.events.EventTypes;
import com.bookstore.events.OrderEvent;
import com.bookstore.events.payment.AuthorizePayment;
import com.bookstore.events.payment.CapturePayment;
import com.bookstore.events.payment.RefundPayment;
import com.bookstore.kit.Answer;
import com.bookstore.kit.CloudEventFunction;
import com.bookstore.kit.FunctionException;
import com.bookstore.kit.InboundEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * {@code payment.authorize} -> {@code payment.authorized} | {@code payment.declined} (or nothing,
 * while the provider is silent); {@code payment.capture} -> {@code payment.captured} | {@code
 * payment.declined}; {@code payment.refund} -> {@code payment.refunded}. Subject: the order id.
 */
@ApplicationScoped
public class PaymentFunction implements CloudEventFunction {
  private final PaymentService payments;

  PaymentFunction(PaymentService payments) {
    this.payments = payments;
  }

  @Override
  public Uni<Answer> handle(InboundEvent event) {
    Uni<Optional<OrderEvent>> fact =
        switch (event.type()) {
          case EventTypes.PAYMENT_AUTHORIZE ->
              payments.authorize(event.data(AuthorizePayment.class));
          case EventTypes.PAYMENT_CAPTURE ->
              payments.capture(event.data(CapturePayment.class).orderId()).map(Optional::of);
          case EventTypes.PAYMENT_REFUND ->
              payments
                  .refund(event.data(RefundPayment.class).orderId())
                  .map(r -> Optional.<OrderEvent>of(r));
          default ->
              Uni.createFrom().failure(FunctionException.fatal("routed " + event.type(), null));
        };
    return fact.map(
        f -> f.map(x -> Answer.of(event.answer(x.orderId(), x))).orElseGet(Answer::none));
  }
}
