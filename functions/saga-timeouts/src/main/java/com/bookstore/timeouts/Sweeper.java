package com.bookstore.timeouts;

import com.bookstore.kit.Answer;
import com.bookstore.kit.CloudEvent;
import com.bookstore.kit.EventPublisher;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * One sweep: finds the sagas past their deadline, the stock holds past their expiry and the
 * dispatched deliveries past their pickup deadline, and writes one {@code saga.deadline-passed},
 * {@code stock.expire} or {@code delivery.pickup-overdue} per row. It only reads: the owners
 * (saga-step for sagas, reserve-stock for holds, dispatch-courier for deliveries) apply the
 * consequences under their own row locks and check again that the row is still due.
 *
 * <p>One sweep at a time across replicas: the sweep's transaction takes a PostgreSQL advisory lock
 * with {@code pg_try_advisory_xact_lock}; a sweep that finds it held does nothing. The lock is held
 * until the events are acknowledged by Kafka, so two replicas never publish the same batch side by
 * side, and it goes with the transaction if the process dies.
 */
@ApplicationScoped
public class Sweeper {
  private static final Logger LOG = Logger.getLogger(Sweeper.class);

  /** Served by saga-store's index on (deadline) for live statuses. */
  static final String OVERDUE_SAGAS =
      "select id, deadline from saga.saga"
          + " where status in ('RUNNING','FAILED','COMPENSATING') and deadline <= now()"
          + " order by deadline limit $1";

  /** Served by reserve-stock's partial index reservation_due. */
  static final String EXPIRED_HOLDS =
      "select order_id, expires_at from stock.reservation"
          + " where status = 'RESERVED' and expires_at <= now()"
          + " order by expires_at limit $1";

  /** Served by dispatch-courier's partial index delivery_pickup_due. */
  static final String OVERDUE_PICKUPS =
      "select order_id, pickup_deadline, attempts from dispatch.delivery"
          + " where status = 'READY' and pickup_deadline <= now()"
          + " order by pickup_deadline limit $1";

  private final Pool database;
  private final EventPublisher publisher;
  private final SweepConfig config;

  Sweeper(Pool database, EventPublisher publisher, SweepConfig config) {
    this.database = database;
    this.publisher = publisher;
    this.config = config;
  }

  public Uni<SweepResult> sweep() {
    Context caller = Vertx.currentContext();
    return database
        .withTransaction(
            connection ->
                connection
                    .query("set transaction read only")
                    .execute()
                    .flatMap(
                        x ->
                            connection
                                .preparedQuery("select pg_try_advisory_xact_lock($1)")
                                .execute(Tuple.of(config.lockKey())))
                    .flatMap(
                        locked ->
                            locked.iterator().next().getBoolean(0)
                                ? sweepLocked(connection, caller)
                                : Uni.createFrom().item(SweepResult.SKIPPED)))
        .invoke(
            result -> {
              // One line per sweep that found something: what a log-based dashboard counts.
              if (result.foundSomething()) {
                LOG.infof(
                    "sweep: sagasOverdue=%d holdsExpired=%d pickupsOverdue=%d",
                    result.sagasOverdue(), result.holdsExpired(), result.pickupsOverdue());
              } else if (result.skipped()) {
                LOG.debug("sweep skipped: another sweep holds the lock");
              }
            });
  }

  private Uni<SweepResult> sweepLocked(SqlConnection connection, Context caller) {
    return connection
        .preparedQuery(OVERDUE_SAGAS)
        .execute(Tuple.of(config.batch()))
        .flatMap(
            sagas ->
                connection
                    .preparedQuery(EXPIRED_HOLDS)
                    .execute(Tuple.of(config.batch()))
                    .flatMap(
                        holds ->
                            connection
                                .preparedQuery(OVERDUE_PICKUPS)
                                .execute(Tuple.of(config.batch()))
                                .flatMap(pickups -> publish(sagas, holds, pickups, caller))));
  }

  private Uni<SweepResult> publish(
      RowSet<Row> sagas, RowSet<Row> holds, RowSet<Row> pickups, Context caller) {
    Instant now = Instant.now();
    List<CloudEvent> events = new ArrayList<>(sagas.size() + holds.size() + pickups.size());
    for (Row row : sagas) {
      events.add(
          TimeoutEvents.deadlinePassed(
              row.getString(0), row.getOffsetDateTime(1).toInstant(), now));
    }
    for (Row row : holds) {
      events.add(
          TimeoutEvents.expireStock(row.getString(0), row.getOffsetDateTime(1).toInstant(), now));
    }
    for (Row row : pickups) {
      events.add(
          TimeoutEvents.pickupOverdue(
              row.getString(0), row.getInteger(2), row.getOffsetDateTime(1).toInstant(), now));
    }
    SweepResult result = new SweepResult(sagas.size(), holds.size(), pickups.size(), false);
    if (events.isEmpty()) {
      return Uni.createFrom().item(result);
    }
    // The producer is made on first use and a send may wait for topic metadata: never on the
    // event loop. Back on the caller's context afterwards, where the transaction was begun.
    Uni<Void> sent =
        Uni.createFrom()
            .deferred(() -> publisher.publish(new Answer(events)))
            .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    if (caller != null) {
      sent = sent.emitOn(task -> caller.runOnContext(x -> task.run()));
    }
    return sent.replaceWith(result);
  }
}
