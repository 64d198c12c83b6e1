package com.bookstore.payment;

import com.bookstore.events.EventTypes;
import com.bookstore.events.payment.AuthorizePayment;
import com.bookstore.events.payment.CapturePayment;
import com.bookstore.events.payment.PaymentAuthorized;
import com.bookstore.events.payment.PaymentCaptured;
import com.bookstore.events.payment.PaymentDeclined;
import com.bookstore.events.payment.PaymentRefunded;
import com.bookstore.events.payment.RefundPayment;
import com.bookstore.kit.Answer;
import com.bookstore.kit.CloudEvent;
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
    Uni<Optional<Object>> fact =
        switch (event.type()) {
          case EventTypes.PAYMENT_AUTHORIZE ->
              payments.authorize(event.data(AuthorizePayment.class));
          case EventTypes.PAYMENT_CAPTURE ->
              payments.capture(event.data(CapturePayment.class).orderId()).map(Optional::of);
          case EventTypes.PAYMENT_REFUND ->
              payments
                  .refund(event.data(RefundPayment.class).orderId())
                  .map(r -> Optional.<Object>of(r));
          default ->
              Uni.createFrom().failure(FunctionException.fatal("routed " + event.type(), null));
        };
    return fact.map(f -> f.map(x -> Answer.of(answer(event, x))).orElseGet(Answer::none));
  }

  static CloudEvent answer(InboundEvent event, Object fact) {
    if (fact instanceof PaymentAuthorized f) {
      return event.answer(EventTypes.PAYMENT_AUTHORIZED, f.orderId(), f);
    }
    if (fact instanceof PaymentDeclined f) {
      return event.answer(EventTypes.PAYMENT_DECLINED, f.orderId(), f);
    }
    if (fact instanceof PaymentCaptured f) {
      return event.answer(EventTypes.PAYMENT_CAPTURED, f.orderId(), f);
    }
    PaymentRefunded f = (PaymentRefunded) fact;
    return event.answer(EventTypes.PAYMENT_REFUNDED, f.orderId(), f);
  }
}
