package com.bookstore.payment;

import com.bookstore.events.OrderEvent;
import com.bookstore.events.payment.AuthorizePayment;
import com.bookstore.events.payment.Money;
import com.bookstore.events.payment.PaymentAuthorized;
import com.bookstore.events.payment.PaymentCaptured;
import com.bookstore.events.payment.PaymentDeclined;
import com.bookstore.events.payment.PaymentRefunded;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.LockMode;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Authorize, capture, refund against the simulated provider. Every operation is keyed by the order
 * and locks its row, so repeats and concurrent deliveries give the same answer and one effect. An
 * empty answer means the provider has not answered (the silent payment method).
 */
@ApplicationScoped
public class PaymentService {
  private static final String NO_CURRENCY = "XXX";

  private final Mutiny.SessionFactory sessions;
  private final SimulatedProvider provider;
  private final Vertx vertx;

  PaymentService(Mutiny.SessionFactory sessions, PaymentConfig config, Vertx vertx) {
    this.sessions = sessions;
    this.vertx = vertx;
    this.provider =
        new SimulatedProvider(
            config.decline(),
            config.slowMethod(),
            config.slowDelay(),
            config.silentMethod(),
            config.maxAmountCents());
  }

  /** PaymentAuthorized or PaymentDeclined; empty while the provider stays silent. */
  public Uni<Optional<OrderEvent>> authorize(AuthorizePayment command) {
    SimulatedProvider.Decision decision = provider.decide(command);
    Duration delay = decision instanceof SimulatedProvider.Approve a ? a.delay() : Duration.ZERO;
    return pause(delay)
        .flatMap(
            x ->
                sessions.withTransaction(
                    session ->
                        session
                            .find(Payment.class, command.orderId(), LockMode.PESSIMISTIC_WRITE)
                            .flatMap(
                                existing ->
                                    existing != null
                                        ? Uni.createFrom().item(answerFor(existing))
                                        : record(session, command, decision))));
  }

  private static Uni<Optional<OrderEvent>> record(
      Mutiny.Session session, AuthorizePayment command, SimulatedProvider.Decision decision) {
    Payment p = new Payment();
    p.orderId = command.orderId();
    p.amountCents = command.amount().cents();
    p.currency = command.amount().currency();
    p.updatedAt = now();
    if (decision instanceof SimulatedProvider.Decline d) {
      p.status = Payment.Status.DECLINED;
      p.declineReason = d.reason();
    } else if (decision instanceof SimulatedProvider.Silent) {
      p.status = Payment.Status.PENDING;
    } else {
      p.status = Payment.Status.AUTHORIZED;
      p.authorizationId = "auth-" + UUID.randomUUID();
    }
    return session.persist(p).replaceWith(answerFor(p));
  }

  /** PaymentCaptured, or PaymentDeclined (not-authorized) when nothing is authorized. */
  public Uni<OrderEvent> capture(String orderId) {
    return sessions.withTransaction(
        session ->
            session
                .find(Payment.class, orderId, LockMode.PESSIMISTIC_WRITE)
                .map(
                    p -> {
                      if (p != null && p.status == Payment.Status.AUTHORIZED) {
                        p.status = Payment.Status.CAPTURED;
                        p.updatedAt = now();
                      }
                      if (p != null && p.status == Payment.Status.CAPTURED) {
                        return new PaymentCaptured(orderId, p.authorizationId, money(p));
                      }
                      return new PaymentDeclined(orderId, "not-authorized");
                    }));
  }

  /**
   * Voids an authorization or refunds a capture. With nothing authorized (declined, pending, or no
   * payment at all) it succeeds with nothing given back, and leaves a tombstone so that a late
   * authorization for the order is declined rather than charged.
   */
  public Uni<PaymentRefunded> refund(String orderId) {
    return sessions.withTransaction(
        session ->
            session
                .find(Payment.class, orderId, LockMode.PESSIMISTIC_WRITE)
                .flatMap(
                    p -> {
                      if (p == null) {
                        Payment tombstone = new Payment();
                        tombstone.orderId = orderId;
                        tombstone.status = Payment.Status.REFUNDED;
                        tombstone.currency = NO_CURRENCY;
                        tombstone.updatedAt = now();
                        return session
                            .persist(tombstone)
                            .replaceWith(new PaymentRefunded(orderId, money(tombstone)));
                      }
                      if (p.status != Payment.Status.REFUNDED) {
                        boolean moneyHeld =
                            p.status == Payment.Status.AUTHORIZED
                                || p.status == Payment.Status.CAPTURED;
                        if (!moneyHeld) {
                          p.amountCents = 0;
                        }
                        p.status = Payment.Status.REFUNDED;
                        p.updatedAt = now();
                      }
                      return Uni.createFrom().item(new PaymentRefunded(orderId, money(p)));
                    }));
  }

  public Uni<Payment> find(String orderId) {
    return sessions.withSession(session -> session.find(Payment.class, orderId));
  }

  private static Optional<OrderEvent> answerFor(Payment p) {
    return switch (p.status) {
      case AUTHORIZED, CAPTURED ->
          Optional.of(new PaymentAuthorized(p.orderId, p.authorizationId, money(p)));
      case DECLINED -> Optional.of(new PaymentDeclined(p.orderId, p.declineReason));
      case REFUNDED -> Optional.of(new PaymentDeclined(p.orderId, "refunded"));
      case PENDING -> Optional.empty();
    };
  }

  private static Money money(Payment p) {
    return new Money(p.amountCents, p.currency);
  }

  /** A delay that resumes on the caller's Vert.x context (Hibernate Reactive needs it). */
  private Uni<Void> pause(Duration delay) {
    if (delay.isZero()) {
      return Uni.createFrom().voidItem();
    }
    return Uni.createFrom()
        .emitter(em -> vertx.setTimer(Math.max(1, delay.toMillis()), id -> em.complete(null)));
  }

  private static OffsetDateTime now() {
    return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
  }
}
