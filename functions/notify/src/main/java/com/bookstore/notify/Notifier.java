package com.bookstore.notify;

import com.bookstore.events.notification.NotificationSent;
import com.bookstore.kit.FunctionException;
import com.bookstore.notify.NotificationStore.Claim;
import com.bookstore.notify.NotificationStore.ClaimState;
import com.bookstore.notify.NotificationStore.Outcome;
import com.bookstore.notify.NotificationStore.Target;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Tells the customer about a milestone once per channel, however often the fact arrives: claim
 * (insert PENDING, or find it), send, record SENT. A notification already SENT is answered again
 * without sending; one that fails is recorded FAILED with its error and the whole fact is retried.
 */
@ApplicationScoped
public class Notifier {
  private static final Logger LOG = Logger.getLogger(Notifier.class);

  private final NotificationStore store;
  private final EmailChannel email;
  private final WebhookChannel webhook;
  private final NotifyConfig config;

  Notifier(
      NotificationStore store, EmailChannel email, WebhookChannel webhook, NotifyConfig config) {
    this.store = store;
    this.email = email;
    this.webhook = webhook;
    this.config = config;
  }

  /** The notifications this milestone gets: an e-mail, and a webhook call when one is set. */
  List<Target> targets(Milestone m) {
    List<Target> targets = new ArrayList<>(2);
    targets.add(new Target(Channel.EMAIL, m.email()));
    webhook
        .url()
        .ifPresent(
            url ->
                targets.add(new Target(Channel.WEBHOOK, WebhookChannel.withoutCredentials(url))));
    return targets;
  }

  /**
   * One {@link NotificationSent} per channel, all sent (now or before). Fails with a retryable
   * {@link FunctionException} when a send failed (the others are kept: a retry sends only what is
   * missing) or another delivery is sending one of them right now.
   */
  public Uni<List<NotificationSent>> notify(Milestone m) {
    // Database work must continue on the caller's (duplicated) Vert.x context, whichever thread
    // the SMTP or HTTP client answers on.
    Context context = Vertx.currentContext();
    // The lease is counted from the claim; our recording must land before it lapses.
    long recordBy =
        System.currentTimeMillis() + config.claimLease().toMillis() - RECORD_MARGIN.toMillis();
    return store
        .claim(m, targets(m), config.claimLease())
        .flatMap(claims -> sendClaimed(m, claims).map(outcomes -> new Round(claims, outcomes)))
        .emitOn(command -> onContext(context, command))
        .call(round -> record(m, round.outcomes(), context, recordBy))
        .map(round -> answer(m, round));
  }

  /** How long before the lease lapses we stop trying to record and let the fact be retried. */
  static final Duration RECORD_MARGIN = Duration.ofSeconds(5);

  /**
   * Records the outcomes, retrying while the claim's lease runs. Once a mail has gone out, failing
   * the fact because PostgreSQL was briefly away would leave the row PENDING, and the retry after
   * the lease would send the mail a second time: so the write is retried here, where we still know
   * what was sent, and the fact fails only when the lease is about to lapse.
   */
  private Uni<Void> record(Milestone m, List<Outcome> outcomes, Context context, long recordBy) {
    if (outcomes.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return Uni.createFrom()
        .deferred(() -> store.record(outcomes))
        .runSubscriptionOn(command -> onContext(context, command))
        .onFailure()
        .invoke(
            f ->
                LOG.warnf(
                    "order %s: recording %d sent/failed notification(s) failed, retrying: %s",
                    m.orderId(), outcomes.size(), describe(f)))
        .onFailure()
        .retry()
        .withBackOff(RECORD_BACKOFF_FIRST, RECORD_BACKOFF_MAX)
        .expireAt(Math.max(recordBy, System.currentTimeMillis() + 1));
  }

  static final Duration RECORD_BACKOFF_FIRST = Duration.ofMillis(100);
  static final Duration RECORD_BACKOFF_MAX = Duration.ofSeconds(2);

  private record Round(List<Claim> claims, List<Outcome> outcomes) {}

  private Uni<List<Outcome>> sendClaimed(Milestone m, List<Claim> claims) {
    List<Uni<Outcome>> sends =
        claims.stream()
            .filter(c -> c.state() == ClaimState.CLAIMED)
            .map(c -> send(m, c))
            .collect(Collectors.toList());
    if (sends.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    // Side by side: an e-mail is not held up by a slow webhook. Each send reports its own failure.
    return Uni.join().all(sends).andFailFast();
  }

  private Uni<Outcome> send(Milestone m, Claim c) {
    // Deferred, so that even a send that throws before it starts is recorded as a failure.
    return Uni.createFrom()
        .deferred(
            () ->
                switch (c.channel()) {
                  case EMAIL -> email.send(c.id(), m);
                  case WEBHOOK -> webhook.send(c.id(), m, webhook.url().orElseThrow());
                })
        .ifNoItem()
        .after(config.sendTimeout())
        .failWith(
            () ->
                new TimeoutException("no answer within " + config.sendTimeout().toMillis() + " ms"))
        .map(x -> new Outcome(c.id(), now(), null))
        .onFailure()
        .recoverWithItem(
            f -> {
              String error =
                  c.channel().wire() + " to " + c.recipient() + " failed: " + describe(f);
              LOG.warnf("order %s, attempt %d: %s", m.orderId(), c.attempts(), error);
              return new Outcome(c.id(), now(), error);
            });
  }

  private static List<NotificationSent> answer(Milestone m, Round round) {
    List<String> failures = new ArrayList<>();
    List<String> busy = new ArrayList<>();
    List<NotificationSent> sent = new ArrayList<>();
    for (Claim c : round.claims()) {
      switch (c.state()) {
        case SENT -> sent.add(fact(m, c, c.sentAt()));
        case BUSY -> busy.add(c.channel().wire());
        case CLAIMED -> {
          Outcome o =
              round.outcomes().stream()
                  .filter(x -> x.id().equals(c.id()))
                  .findFirst()
                  .orElseThrow();
          if (o.error() == null) {
            sent.add(fact(m, c, o.at()));
          } else {
            failures.add(o.error());
          }
        }
      }
    }
    if (!failures.isEmpty()) {
      throw FunctionException.retryable(String.join("; ", failures), null);
    }
    if (!busy.isEmpty()) {
      throw FunctionException.inProgress(
          "another delivery of this "
              + m.topic().wire()
              + " is sending its "
              + String.join(" and ", busy)
              + " notification");
    }
    return sent;
  }

  private static NotificationSent fact(Milestone m, Claim c, Instant at) {
    return new NotificationSent(
        c.id(), m.orderId(), c.channel().wire(), c.recipient(), m.topic().wire(), at);
  }

  private static String describe(Throwable f) {
    String message = f.getMessage();
    return f.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  private static Instant now() {
    // What PostgreSQL stores (microseconds), so a redelivery answers the very same sentAt.
    return Instant.now().truncatedTo(ChronoUnit.MICROS);
  }

  private static void onContext(Context context, Runnable command) {
    if (context == null || Vertx.currentContext() == context) {
      command.run();
    } else {
      context.runOnContext(x -> command.run());
    }
  }
}
