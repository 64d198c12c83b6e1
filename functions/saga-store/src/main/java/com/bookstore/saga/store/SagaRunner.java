package com.bookstore.saga.store;

import com.bookstore.events.order.OrderPlaced;
import com.bookstore.kit.Answer;
import com.bookstore.kit.CloudEvent;
import com.bookstore.kit.FunctionException;
import com.bookstore.kit.InboundEvent;
import com.bookstore.kit.Problem;
import com.bookstore.kit.saga.Ignored;
import com.bookstore.kit.saga.Reply;
import com.bookstore.kit.saga.SagaEngine;
import com.bookstore.kit.saga.SagaEvent;
import com.bookstore.kit.saga.SagaState;
import com.bookstore.kit.saga.Transition;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * What saga-step and compensate do with an event: load the saga, ask the engine, store the new
 * state under its version, and answer with the commands and facts it decided. The kit publishes the
 * answer after {@code handle()} returns and its ledger remembers it, so a failed publish is retried
 * with the same events.
 *
 * <p>Three cases are worth knowing:
 *
 * <ul>
 *   <li><b>Lost race</b>: another input for the same saga was stored first (zero rows). The saga is
 *       read again and the input applied to the fresh state, where the engine may now call it late
 *       or a duplicate; after {@value #RACES} such losses the event is retried later.
 *   <li><b>Replay</b>: the event is the one that made the saga's latest transition (its {@code
 *       source#id} is stored as {@code last_input}). That happens when the process stopped between
 *       the commit and the publish, or Redis forgot the answer: the transition's output is rebuilt
 *       from the state (same ids, same data) and answered again. Participants absorb the copy.
 *   <li><b>Ignored</b> inputs (duplicates of older events, late replies, early timeouts) are
 *       acknowledged with no answer and logged. An early timeout's answer is {@link
 *       Answer#notDoneYet()}, not remembered, since a later delivery of it may be due; a reply type
 *       the table does not know is a routing error and is dead-lettered. So is nothing else: an
 *       event for a saga that does not exist (answers to commands someone sent by hand) is
 *       acknowledged and logged.
 * </ul>
 *
 * <p>Time is the database's: a transition is decided at the {@code now()} of the query that read
 * the saga (no extra round trip), and a new saga's deadline is set from the {@code now()} of its
 * insert. The sweep finds overdue sagas by that same clock ({@code deadline <= now()}), so a
 * function whose own clock lags or runs ahead neither ignores a deadline the sweep found overdue
 * nor sets deadlines that are overdue at once or late.
 */
@ApplicationScoped
public class SagaRunner {
  private static final Logger LOG = Logger.getLogger(SagaRunner.class);

  /** Reloads after a lost optimistic race before the event is handed back for a later retry. */
  static final int RACES = 3;

  private final SagaStore store;
  private final OrderSaga saga;
  private final SagaMessages messages;

  /**
   * Only where a new saga is first decided, before the database has been asked: its times are moved
   * onto the database's clock when it is stored. Nothing is judged by this clock.
   */
  private final Clock clock;

  private final AtomicLong racesLost = new AtomicLong();
  private final SagaMetrics metrics;

  @Inject
  SagaRunner(
      SagaStore store,
      OrderSaga saga,
      @ConfigProperty(name = "bookstore.function.name") String function,
      MeterRegistry registry) {
    this(store, saga, function, Clock.systemUTC(), registry);
  }

  public SagaRunner(
      SagaStore store, OrderSaga saga, String function, Clock clock, MeterRegistry registry) {
    this.store = store;
    this.saga = saga;
    this.messages = new SagaMessages(function, saga);
    this.clock = clock;
    this.metrics = new SagaMetrics(registry, function);
  }

  /** Transitions that lost the optimistic race and were applied again to a fresh read. */
  public long racesLost() {
    return racesLost.get();
  }

  /** {@code order.placed}: a new saga; a second one for the same order is a duplicate. */
  public Uni<Answer> start(CloudEvent event, OrderPlaced order) {
    Instant decidedAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
    String input = keyOf(event);
    SagaEngine engine = saga.engineFor(order);
    Transition decided = engine.start(order.orderId(), decidedAt);
    // The events' types and ids do not depend on the time: the timeline is known before the insert.
    List<TimelineEntry> timeline =
        timeline(TimelineEntry.in(event), messages.of(decided, order, decidedAt, event));
    return store
        .insertOnDatabaseClock(decided.state(), order, input, decidedAt, timeline)
        .flatMap(
            inserted -> {
              if (inserted.isPresent()) {
                // The state as stored: decided at the database's time of the insert.
                Instant now = inserted.get();
                Transition started = engine.start(order.orderId(), now);
                metrics.started(engine.definition().name());
                return Uni.createFrom()
                    .item(answer(messages.of(started, order, now, event), started));
              }
              return store
                  .load(order.orderId())
                  .map(
                      found -> {
                        StoredSaga existing = found.orElseThrow();
                        if (input.equals(existing.lastInput())) {
                          return replay(existing, event);
                        }
                        LOG.infof(
                            "%s for order %s: the saga exists already (%s), duplicate acknowledged",
                            event, order.orderId(), existing.state().status());
                        return Answer.none();
                      });
            });
  }

  /**
   * A participant's reply as the kit hands it over. Every reply names its order ({@code orderId},
   * required by each reply's schema), and the order id is the saga id.
   */
  public Uni<Answer> onReply(InboundEvent event) {
    String orderId = event.json().path("orderId").asText("");
    if (orderId.isBlank()) {
      return Uni.createFrom()
          .failure(
              FunctionException.badEvent(
                  Problem.Kind.SCHEMA_VIOLATION,
                  event.type() + " names no order, so no saga",
                  new Problem.FieldError("data", "/orderId", "is missing")));
    }
    return onReply(event.event(), orderId);
  }

  /** A participant's reply: a step's answer or a compensation's acknowledgement. */
  public Uni<Answer> onReply(CloudEvent event, String sagaId) {
    Reply reply = Reply.of(event);
    return drive(sagaId, event, (engine, state, now) -> engine.onReply(state, reply, now), RACES);
  }

  /** {@code saga.deadline-passed}: the engine decides whether it is really due. */
  public Uni<Answer> onTimeout(CloudEvent event, String sagaId) {
    return drive(sagaId, event, SagaEngine::onTimeout, RACES);
  }

  /** {@code saga.failed}: begin the compensations, newest step first. */
  public Uni<Answer> compensate(CloudEvent event, String sagaId) {
    return drive(sagaId, event, SagaEngine::compensate, RACES);
  }

  /**
   * An operator's resume of a stuck saga: one more attempt of the stuck command. Not an event, so
   * no replay key; the answer is what must be published.
   */
  public Uni<Resumed> resume(String sagaId) {
    return store
        .read(sagaId)
        .flatMap(
            found -> {
              if (found.isEmpty()) {
                return Uni.createFrom()
                    .item(new Resumed(Optional.empty(), Optional.empty(), Answer.none()));
              }
              StoredSaga stored = found.get().saga();
              Instant now = found.get().now();
              Transition t = apply(stored.state(), SagaEngine::resume, now);
              if (t.ignored().isPresent()) {
                return Uni.createFrom()
                    .item(new Resumed(Optional.of(stored), t.ignored(), Answer.none()));
              }
              List<CloudEvent> out = messages.of(t, stored.order(), now, null);
              return store
                  .update(
                      stored.state(),
                      t.state(),
                      null,
                      now,
                      timeline(TimelineEntry.operator("resume"), out))
                  .map(
                      won -> {
                        if (!won) {
                          throw FunctionException.retryable(
                              "saga " + sagaId + " changed while it was being resumed", null);
                        }
                        LOG.infof("saga %s resumed by an operator", sagaId);
                        moved(stored, t.state(), now);
                        StoredSaga after =
                            new StoredSaga(
                                t.state(), stored.order(), null, stored.createdAt(), now);
                        return new Resumed(Optional.of(after), Optional.empty(), answer(out, t));
                      });
            });
  }

  /**
   * The outcome of an operator's resume: the saga after it (empty when unknown), why nothing
   * happened if nothing did, and the events to publish.
   */
  public record Resumed(Optional<StoredSaga> saga, Optional<Ignored> ignored, Answer answer) {}

  @FunctionalInterface
  interface Input {
    Transition apply(SagaEngine engine, SagaState state, Instant now);
  }

  private Uni<Answer> drive(String sagaId, CloudEvent event, Input input, int racesLeft) {
    return store
        .read(sagaId)
        .flatMap(
            found -> {
              if (found.isEmpty()) {
                LOG.infof("%s for unknown saga %s: acknowledged, nothing to do", event, sagaId);
                return Uni.createFrom().item(Answer.none());
              }
              StoredSaga stored = found.get().saga();
              String key = keyOf(event);
              if (key.equals(stored.lastInput())) {
                return Uni.createFrom().item(replay(stored, event));
              }
              // The database's clock, as the sweep's: an overdue deadline is overdue here too.
              Instant now = found.get().now();
              Transition t = apply(stored.state(), input, now);
              if (t.ignored().isPresent()) {
                return Uni.createFrom().item(ignored(stored, t.ignored().get(), event));
              }
              List<CloudEvent> out = messages.of(t, stored.order(), now, event);
              return store
                  .update(
                      stored.state(), t.state(), key, now, timeline(TimelineEntry.in(event), out))
                  .flatMap(
                      won -> {
                        if (won) {
                          moved(stored, t.state(), now);
                          return Uni.createFrom().item(answer(out, t));
                        }
                        if (racesLeft <= 0) {
                          return Uni.createFrom()
                              .failure(
                                  FunctionException.retryable(
                                      "saga "
                                          + sagaId
                                          + " kept changing under "
                                          + event
                                          + "; retrying later",
                                      null));
                        }
                        racesLost.incrementAndGet();
                        LOG.debugf("saga %s changed under %s; reloading", sagaId, event);
                        return drive(sagaId, event, input, racesLeft - 1);
                      });
            });
  }

  private Transition apply(SagaState state, Input input, Instant now) {
    try {
      return input.apply(saga.engineFor(state.definitionName()), state, now);
    } catch (IllegalArgumentException e) {
      // A state from another table (or another version of this one): retrying will not help.
      throw FunctionException.fatal(e.getMessage(), e);
    }
  }

  private void moved(StoredSaga before, SagaState after, Instant now) {
    metrics.moved(
        saga.engineFor(after.definitionName()).definition(),
        before.state(),
        after,
        before.createdAt(),
        now);
  }

  private Answer replay(StoredSaga saga, CloudEvent event) {
    List<CloudEvent> again = messages.latest(saga, event);
    LOG.infof(
        "%s made saga %s's latest transition already; answering its %d event(s) again",
        event, saga.id(), again.size());
    return new Answer(again);
  }

  private static Answer ignored(StoredSaga saga, Ignored ignored, CloudEvent event) {
    if (ignored.reason() == Ignored.Reason.UNKNOWN_REPLY_TYPE) {
      throw FunctionException.badEvent(Problem.Kind.UNKNOWN_EVENT_TYPE, ignored.detail());
    }
    LOG.infof(
        "%s ignored for saga %s (%s, version %d): %s %s",
        event,
        saga.id(),
        saga.state().status(),
        saga.state().version(),
        ignored.reason(),
        ignored.detail());
    if (ignored.reason() == Ignored.Reason.NOT_DUE) {
      // Not an answer for good: the sweep emits the same event id for this deadline every time it
      // finds it overdue, and a redelivery must be judged again rather than answered from the
      // ledger.
      return Answer.notDoneYet();
    }
    return Answer.none();
  }

  private static Answer answer(List<CloudEvent> events, Transition transition) {
    for (SagaEvent fact : transition.events()) {
      if (fact instanceof SagaEvent.Stuck stuck) {
        LOG.warnf(
            "saga %s is STUCK: %s %s unanswered after %d attempts; an operator must look",
            stuck.sagaId(), stuck.step(), stuck.kind(), stuck.attempts());
      }
    }
    return new Answer(events);
  }

  /** What a transition took (or who made it) and what it sent, in that order. */
  private static List<TimelineEntry> timeline(TimelineEntry cause, List<CloudEvent> sent) {
    List<TimelineEntry> entries = new java.util.ArrayList<>(sent.size() + 1);
    entries.add(cause);
    sent.forEach(e -> entries.add(TimelineEntry.out(e)));
    return entries;
  }

  /** The event's identity, as the engine keys replies: a CloudEvent id is unique per source. */
  static String keyOf(CloudEvent event) {
    return Reply.of(event).key();
  }
}
