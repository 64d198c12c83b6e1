package com.bookstore.dispatch;

import com.bookstore.dispatch.Delivery.Status;
import com.bookstore.events.courier.CourierDelivered;
import com.bookstore.events.courier.CourierFailed;
import com.bookstore.events.courier.CourierLocationUpdated;
import com.bookstore.events.courier.CourierPickedUp;
import com.bookstore.events.delivery.AssignDelivery;
import com.bookstore.events.delivery.CancelDelivery;
import com.bookstore.events.delivery.DeliveryAssigned;
import com.bookstore.events.delivery.DeliveryCancelled;
import com.bookstore.events.delivery.DeliveryDelivered;
import com.bookstore.events.delivery.DeliveryFailed;
import com.bookstore.events.delivery.DeliveryPickedUp;
import com.bookstore.events.delivery.DeliveryPickupOverdue;
import com.bookstore.events.delivery.DeliveryReassigned;
import com.bookstore.events.delivery.DeliveryRejected;
import com.bookstore.events.delivery.DispatchDelivery;
import com.bookstore.kit.Answer;
import com.bookstore.kit.FunctionException;
import com.bookstore.kit.InboundEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The delivery workflow, one PostgreSQL transaction per event: the delivery's row is locked first
 * ({@code select ... for update}), then couriers' rows, so events for one delivery apply one at a
 * time and a courier's count of deliveries only moves inside the transaction that assigns or frees
 * them.
 *
 * <pre>
 *  delivery.assign -> ASSIGNED (a courier reserved)      | REJECTED (no courier: delivery.rejected)
 *  delivery.dispatch: ASSIGNED -> READY (pickup deadline)
 *  courier.picked-up: READY -> PICKED_UP                  (delivery.picked-up)
 *  courier.delivered: PICKED_UP -> DELIVERED              (delivery.delivered; courier freed)
 *  courier.failed:    PICKED_UP -> FAILED                 (delivery.failed; courier freed)
 *                     READY -> READY, another courier     (delivery.reassigned), as a timeout
 *  delivery.pickup-overdue: READY past its deadline -> READY with another courier
 *                     (delivery.reassigned) or, attempts spent or nobody left, FAILED
 *  delivery.cancel:   any live state -> CANCELLED         (delivery.cancelled; courier freed)
 *  courier.location-updated: READY/PICKED_UP, newer than the last one -> the latest location
 * </pre>
 *
 * A courier's event for an unknown delivery, from a courier other than the assigned one, or out of
 * order (delivered before picked up) changes nothing and is refused ({@link Refusal}). The same
 * event again in the state it led to is a duplicate and answers nothing.
 */
@ApplicationScoped
public class Dispatcher {
  private static final Logger LOG = Logger.getLogger(Dispatcher.class);

  /** Lost races for one courier before the assignment is retried as a whole. */
  static final int RESERVE_TRIES = 20;

  private final Pool db;
  private final DispatchConfig config;

  Dispatcher(Pool db, DispatchConfig config) {
    this.db = db;
    this.config = config;
  }

  // ---- commands of the order saga ----------------------------------------------------------

  Uni<Answer> assign(InboundEvent event) {
    AssignDelivery cmd = event.data(AssignDelivery.class);
    String zone = cmd.address().zone();
    return db.withTransaction(
        c ->
            lock(c, cmd.orderId())
                .flatMap(
                    found -> {
                      if (found.isPresent()) {
                        return again(c, event, found.get());
                      }
                      return reserve(c, zone, List.of(), RESERVE_TRIES)
                          .flatMap(
                              courier -> {
                                if (courier.isPresent()) {
                                  Courier k = courier.get();
                                  return insert(c, cmd, Status.ASSIGNED, k.id(), null)
                                      .call(d -> step(c, d.orderId(), "assigned", k.id(), zone))
                                      .map(d -> Answer.of(assigned(event, d, k.name())));
                                }
                                return covered(c, zone)
                                    .flatMap(
                                        covered -> {
                                          String reason =
                                              covered
                                                  ? "no-courier-available"
                                                  : "no-courier-for-zone";
                                          return insert(c, cmd, Status.REJECTED, null, reason)
                                              .call(
                                                  d ->
                                                      step(
                                                          c, d.orderId(), "rejected", null, reason))
                                              .map(d -> Answer.of(rejected(event, d)));
                                        });
                              });
                    }));
  }

  /** A redelivered assign whose row exists: the answer its state stands for. */
  private Uni<Answer> again(SqlConnection c, InboundEvent event, Delivery d) {
    return switch (d.status()) {
      case REJECTED -> Uni.createFrom().item(Answer.of(rejected(event, d)));
      case CANCELLED -> {
        LOG.infof("delivery.assign for order %s after its cancellation: nothing", d.orderId());
        yield Uni.createFrom().item(Answer.none());
      }
      default ->
          c.preparedQuery("select name from dispatch.courier where id = $1")
              .execute(Tuple.of(d.courierId()))
              .map(
                  rows ->
                      Answer.of(
                          assigned(
                              event, d, first(rows).map(r -> r.getString("name")).orElse(null))));
    };
  }

  Uni<Answer> dispatch(InboundEvent event) {
    String orderId = event.data(DispatchDelivery.class).orderId();
    return db.withTransaction(
        c ->
            lock(c, orderId)
                .flatMap(
                    found -> {
                      if (found.isEmpty() || found.get().status() != Status.ASSIGNED) {
                        LOG.infof(
                            "delivery.dispatch for order %s in %s: nothing to do",
                            orderId, found.map(Delivery::status).orElse(null));
                        return Uni.createFrom().item(Answer.none());
                      }
                      Delivery d = found.get();
                      return c.preparedQuery(
                              "update dispatch.delivery set status = 'READY', pickup_deadline ="
                                  + " now() + make_interval(secs => $2), version = version + 1,"
                                  + " updated_at = now() where order_id = $1")
                          .execute(Tuple.of(orderId, seconds()))
                          .call(() -> step(c, orderId, "ready", d.courierId(), null))
                          .replaceWith(Answer.none());
                    }));
  }

  Uni<Answer> cancel(InboundEvent event) {
    CancelDelivery cmd = event.data(CancelDelivery.class);
    return db.withTransaction(
        c ->
            lock(c, cmd.orderId())
                .flatMap(
                    found -> {
                      Instant now = Instant.now();
                      DeliveryCancelled cancelled =
                          new DeliveryCancelled(cmd.orderId(), cmd.reason(), now);
                      if (found.isEmpty()) {
                        // Nothing to cancel (the assignment never arrived): say so, and leave a
                        // tombstone so a late assign reserves nobody.
                        return c.preparedQuery(
                                "insert into dispatch.delivery (order_id, customer_id, email,"
                                    + " street, city, postcode, zone, status, reason) values ($1,"
                                    + " '', '', '', '', '', '', 'CANCELLED', $2) on conflict do"
                                    + " nothing")
                            .execute(Tuple.of(cmd.orderId(), cmd.reason()))
                            .replaceWith(Answer.of(event.answer(cmd.orderId(), cancelled)));
                      }
                      Delivery d = found.get();
                      if (!d.status().holdsCourier()) {
                        return Uni.createFrom()
                            .item(Answer.of(event.answer(cmd.orderId(), cancelled)));
                      }
                      return move(c, d, Status.CANCELLED, "cancelled", cmd.reason(), null)
                          .replaceWith(Answer.of(event.answer(cmd.orderId(), cancelled)));
                    }));
  }

  // ---- the pickup sweep ---------------------------------------------------------------------

  Uni<Answer> pickupOverdue(InboundEvent event) {
    DeliveryPickupOverdue overdue = event.data(DeliveryPickupOverdue.class);
    return db.withTransaction(
        c ->
            lockDue(c, overdue.orderId())
                .flatMap(
                    found -> {
                      if (found.isEmpty()) {
                        return Uni.createFrom().item(Answer.none());
                      }
                      Delivery d = found.get().delivery();
                      if (d.status() != Status.READY || d.attempts() != overdue.attempt()) {
                        LOG.debugf("pickup of %s already handled (%s)", d.orderId(), d.status());
                        return Uni.createFrom().item(Answer.none());
                      }
                      if (!found.get().due()) {
                        // the sweep's clock and ours disagree: judge the same event again later
                        return Uni.createFrom().item(Answer.notDoneYet());
                      }
                      return reassign(c, event, d, "not picked up in time");
                    }));
  }

  /**
   * Frees the courier and gives the delivery to one who was not tried yet; with the attempts spent
   * or nobody left, the delivery fails.
   */
  private Uni<Answer> reassign(SqlConnection c, InboundEvent event, Delivery d, String why) {
    Uni<Optional<Courier>> next =
        d.attempts() >= config.maxAttempts()
            ? Uni.createFrom().item(Optional.empty())
            : reserve(c, d.zone(), d.tried(), RESERVE_TRIES);
    return free(c, d.courierId())
        .flatMap(v -> next)
        .flatMap(
            courier -> {
              Instant now = Instant.now();
              if (courier.isEmpty()) {
                String reason =
                    d.attempts() >= config.maxAttempts()
                        ? why + "; no pickup after " + d.attempts() + " attempt(s)"
                        : why + "; no other courier for zone " + d.zone();
                return setStatus(c, d.orderId(), Status.FAILED, reason)
                    .call(() -> step(c, d.orderId(), "failed", d.courierId(), reason))
                    .replaceWith(
                        Answer.of(
                            event.answer(
                                d.orderId(),
                                new DeliveryFailed(
                                    d.orderId(), null, reason, d.attempts(), d.email(), now))));
              }
              Courier k = courier.get();
              return c.preparedQuery(
                      "update dispatch.delivery set courier_id = $2, attempts = attempts + 1,"
                          + " tried = array_append(tried, $2), pickup_deadline = now() +"
                          + " make_interval(secs => $3), version = version + 1, updated_at = now()"
                          + " where order_id = $1")
                  .execute(Tuple.of(d.orderId(), k.id(), seconds()))
                  .call(() -> step(c, d.orderId(), "reassigned", k.id(), why))
                  .replaceWith(
                      Answer.of(
                          event.answer(
                              d.orderId(),
                              new DeliveryReassigned(
                                  d.orderId(),
                                  k.id(),
                                  k.name(),
                                  d.courierId(),
                                  d.attempts() + 1,
                                  why,
                                  d.email(),
                                  now))));
            });
  }

  // ---- the couriers' events -----------------------------------------------------------------

  Uni<Answer> pickedUp(InboundEvent event) {
    CourierPickedUp e = event.data(CourierPickedUp.class);
    return courierEvent(
        event,
        e.orderId(),
        e.courierId(),
        (c, d) ->
            switch (d.status()) {
              case READY ->
                  move(c, d, Status.PICKED_UP, "picked-up", null, e.at())
                      .replaceWith(
                          Answer.of(
                              event.answer(
                                  d.orderId(),
                                  new DeliveryPickedUp(
                                      d.orderId(), d.courierId(), d.email(), e.at()))));
              case PICKED_UP -> duplicate(event, d);
              default ->
                  throw Refusal.outOfOrder(event.type(), d, "once the order is ready for pickup");
            });
  }

  Uni<Answer> delivered(InboundEvent event) {
    CourierDelivered e = event.data(CourierDelivered.class);
    return courierEvent(
        event,
        e.orderId(),
        e.courierId(),
        (c, d) ->
            switch (d.status()) {
              case PICKED_UP ->
                  move(c, d, Status.DELIVERED, "delivered", null, e.at())
                      .replaceWith(
                          Answer.of(
                              event.answer(
                                  d.orderId(),
                                  new DeliveryDelivered(
                                      d.orderId(), d.courierId(), d.email(), e.at()))));
              case DELIVERED -> duplicate(event, d);
              default -> throw Refusal.outOfOrder(event.type(), d, "after the pickup");
            });
  }

  Uni<Answer> failed(InboundEvent event) {
    CourierFailed e = event.data(CourierFailed.class);
    return courierEvent(
        event,
        e.orderId(),
        e.courierId(),
        (c, d) ->
            switch (d.status()) {
              case PICKED_UP -> {
                String reason = "courier: " + e.reason();
                yield move(c, d, Status.FAILED, "failed", reason, e.at())
                    .replaceWith(
                        Answer.of(
                            event.answer(
                                d.orderId(),
                                new DeliveryFailed(
                                    d.orderId(),
                                    d.courierId(),
                                    reason,
                                    d.attempts(),
                                    d.email(),
                                    e.at()))));
              }
              // Before the pickup the parcel is still here: another courier can take it.
              case READY -> reassign(c, event, d, "courier gave up: " + e.reason());
              case FAILED -> duplicate(event, d);
              default -> throw Refusal.outOfOrder(event.type(), d, "once the order is ready");
            });
  }

  /**
   * The latest location only, in one statement when it fits: a flood of updates costs one indexed
   * UPDATE each and keeps no history. An update older than the one kept is dropped quietly (the
   * courier's systems may deliver them out of order); one that does not fit the delivery is refused
   * like the other couriers' events.
   */
  Uni<Answer> located(InboundEvent event) {
    CourierLocationUpdated e = event.data(CourierLocationUpdated.class);
    return db.preparedQuery(
            "update dispatch.delivery set latitude = $3, longitude = $4, located_at = $5 where"
                + " order_id = $1 and courier_id = $2 and status in ('READY', 'PICKED_UP') and"
                + " (located_at is null or located_at < $5)")
        .execute(
            Tuple.of(e.orderId(), e.courierId(), e.latitude(), e.longitude())
                .addOffsetDateTime(e.at().atOffset(java.time.ZoneOffset.UTC)))
        .flatMap(
            rows -> {
              if (rows.rowCount() == 1) {
                return Uni.createFrom().item(Answer.none());
              }
              return find(e.orderId())
                  .map(
                      found -> {
                        Delivery d =
                            found.orElseThrow(
                                () -> Refusal.unknownDelivery(event.type(), e.orderId()));
                        if (!e.courierId().equals(d.courierId())) {
                          throw Refusal.wrongCourier(event.type(), d, e.courierId());
                        }
                        if (d.status() != Status.READY && d.status() != Status.PICKED_UP) {
                          throw Refusal.outOfOrder(
                              event.type(), d, "between dispatch and delivery");
                        }
                        LOG.debugf("an older location for %s dropped", d.orderId());
                        return Answer.none();
                      });
            });
  }

  @FunctionalInterface
  interface OnDelivery {
    Uni<Answer> apply(SqlConnection c, Delivery d);
  }

  private Uni<Answer> courierEvent(
      InboundEvent event, String orderId, String courierId, OnDelivery then) {
    return db.withTransaction(
        c ->
            lock(c, orderId)
                .flatMap(
                    found -> {
                      Delivery d =
                          found
                              .filter(x -> x.status() != Status.CANCELLED || x.courierId() != null)
                              .orElseThrow(() -> Refusal.unknownDelivery(event.type(), orderId));
                      if (!courierId.equals(d.courierId())) {
                        throw Refusal.wrongCourier(event.type(), d, courierId);
                      }
                      return then.apply(c, d);
                    }));
  }

  private static Uni<Answer> duplicate(InboundEvent event, Delivery d) {
    LOG.infof("%s for order %s, already %s: a duplicate", event.type(), d.orderId(), d.status());
    return Uni.createFrom().item(Answer.none());
  }

  // ---- reads --------------------------------------------------------------------------------

  public Uni<Optional<Delivery>> find(String orderId) {
    return db.preparedQuery(
            "select " + Delivery.COLUMNS + " from dispatch.delivery where order_id = $1")
        .execute(Tuple.of(orderId))
        .map(rows -> first(rows).map(Delivery::of));
  }

  /** A delivery's steps, oldest first. */
  public Uni<List<Step>> steps(String orderId) {
    return db.preparedQuery(
            "select at, step, courier_id, detail from dispatch.delivery_step where order_id = $1"
                + " order by seq")
        .execute(Tuple.of(orderId))
        .map(
            rows -> {
              List<Step> out = new ArrayList<>();
              for (Row r : rows) {
                out.add(
                    new Step(
                        r.getString("step"),
                        r.getOffsetDateTime("at").toInstant(),
                        r.getString("courier_id"),
                        r.getString("detail")));
              }
              return out;
            });
  }

  /** One step of a delivery, as {@code GET /deliveries/{id}} shows it. */
  @io.quarkus.runtime.annotations.RegisterForReflection
  public record Step(String step, Instant at, String courierId, String detail) {}

  // ---- statements ---------------------------------------------------------------------------

  private Uni<Optional<Delivery>> lock(SqlConnection c, String orderId) {
    return c.preparedQuery(
            "select " + Delivery.COLUMNS + " from dispatch.delivery where order_id = $1 for update")
        .execute(Tuple.of(orderId))
        .map(rows -> first(rows).map(Delivery::of));
  }

  record Due(Delivery delivery, boolean due) {}

  private Uni<Optional<Due>> lockDue(SqlConnection c, String orderId) {
    return c.preparedQuery(
            "select "
                + Delivery.COLUMNS
                + ", pickup_deadline <= now() as due from dispatch.delivery where order_id = $1"
                + " for update")
        .execute(Tuple.of(orderId))
        .map(
            rows ->
                first(rows)
                    .map(r -> new Due(Delivery.of(r), Boolean.TRUE.equals(r.getBoolean("due")))));
  }

  /**
   * Reserves a courier of the zone with room, the least loaded first, skipping {@code tried}. The
   * conditional UPDATE is the guarantee: it takes the courier's row lock and re-checks {@code
   * active < capacity} on the row as it is then, so concurrent assignments can never push a courier
   * over capacity; one that loses the race reads again and takes the next courier.
   */
  private Uni<Optional<Courier>> reserve(
      SqlConnection c, String zone, List<String> tried, int triesLeft) {
    return c.preparedQuery(
            "select "
                + Courier.COLUMNS
                + " from dispatch.courier where available and $1 = any(zones) and active <"
                + " capacity and not (id = any($2)) order by active, id limit 1")
        .execute(Tuple.of(zone, tried.toArray(new String[0])))
        .flatMap(
            rows -> {
              Optional<Courier> candidate = first(rows).map(Courier::of);
              if (candidate.isEmpty()) {
                return Uni.createFrom().item(Optional.<Courier>empty());
              }
              return c.preparedQuery(
                      "update dispatch.courier set active = active + 1, updated_at = now() where"
                          + " id = $1 and available and active < capacity returning "
                          + Courier.COLUMNS)
                  .execute(Tuple.of(candidate.get().id()))
                  .flatMap(
                      won -> {
                        if (won.rowCount() == 1) {
                          return Uni.createFrom().item(first(won).map(Courier::of));
                        }
                        if (triesLeft <= 0) {
                          return Uni.createFrom()
                              .failure(
                                  FunctionException.retryable(
                                      "couriers of zone " + zone + " kept filling up; retrying",
                                      null));
                        }
                        return reserve(c, zone, tried, triesLeft - 1);
                      });
            });
  }

  private Uni<Boolean> covered(SqlConnection c, String zone) {
    return c.preparedQuery("select exists (select 1 from dispatch.courier where $1 = any(zones))")
        .execute(Tuple.of(zone))
        .map(rows -> rows.iterator().next().getBoolean(0));
  }

  private Uni<Void> free(SqlConnection c, String courierId) {
    if (courierId == null) {
      return Uni.createFrom().voidItem();
    }
    return c.preparedQuery(
            "update dispatch.courier set active = greatest(active - 1, 0), updated_at = now()"
                + " where id = $1")
        .execute(Tuple.of(courierId))
        .replaceWithVoid();
  }

  private Uni<Delivery> insert(
      SqlConnection c, AssignDelivery cmd, Status status, String courierId, String reason) {
    return c.preparedQuery(
            "insert into dispatch.delivery (order_id, customer_id, email, street, city, postcode,"
                + " zone, status, courier_id, attempts, tried, reason) values ($1, $2, $3, $4, $5,"
                + " $6, $7, $8, $9, $10, $11, $12) returning "
                + Delivery.COLUMNS)
        .execute(
            Tuple.from(
                new Object[] {
                  cmd.orderId(),
                  cmd.customerId(),
                  cmd.email(),
                  cmd.address().street(),
                  cmd.address().city(),
                  cmd.address().postcode(),
                  cmd.address().zone(),
                  status.name(),
                  courierId,
                  courierId == null ? 0 : 1,
                  courierId == null ? new String[0] : new String[] {courierId},
                  reason
                }))
        .map(rows -> Delivery.of(rows.iterator().next()));
  }

  /**
   * The delivery moves to {@code status} with its step row (the reason as the step's detail, at the
   * courier's time when given); a state that holds no courier frees the one it had.
   */
  private Uni<Void> move(
      SqlConnection c, Delivery d, Status status, String stepName, String reason, Instant at) {
    Uni<Void> freed = status.holdsCourier() ? Uni.createFrom().voidItem() : free(c, d.courierId());
    return freed
        .call(() -> setStatus(c, d.orderId(), status, reason))
        .call(() -> step(c, d.orderId(), stepName, d.courierId(), reason, at));
  }

  private Uni<Void> setStatus(SqlConnection c, String orderId, Status status, String reason) {
    return c.preparedQuery(
            "update dispatch.delivery set status = $2, reason = coalesce($3, reason), version ="
                + " version + 1, updated_at = now() where order_id = $1")
        .execute(Tuple.of(orderId, status.name(), reason))
        .replaceWithVoid();
  }

  private Uni<Void> step(
      SqlConnection c, String orderId, String step, String courierId, String detail) {
    return step(c, orderId, step, courierId, detail, null);
  }

  /** A step row; {@code at} is the courier's time when their event says when it happened. */
  private Uni<Void> step(
      SqlConnection c, String orderId, String step, String courierId, String detail, Instant at) {
    return c.preparedQuery(
            "insert into dispatch.delivery_step (order_id, step, courier_id, detail, at) values"
                + " ($1, $2, $3, $4, coalesce($5, now()))")
        .execute(
            Tuple.of(orderId, step, courierId, detail)
                .addOffsetDateTime(at == null ? null : at.atOffset(java.time.ZoneOffset.UTC)))
        .replaceWithVoid();
  }

  private double seconds() {
    return config.pickupTimeLimit().toMillis() / 1000.0;
  }

  private static Optional<Row> first(RowSet<Row> rows) {
    var it = rows.iterator();
    return it.hasNext() ? Optional.of(it.next()) : Optional.empty();
  }

  private static com.bookstore.kit.CloudEvent assigned(
      InboundEvent event, Delivery d, String name) {
    return event.answer(
        d.orderId(),
        new DeliveryAssigned(
            d.orderId(),
            d.courierId(),
            name == null ? d.courierId() : name,
            d.zone(),
            Math.max(1, d.attempts()),
            d.email(),
            d.createdAt()));
  }

  private static com.bookstore.kit.CloudEvent rejected(InboundEvent event, Delivery d) {
    return event.answer(d.orderId(), new DeliveryRejected(d.orderId(), d.zone(), d.reason()));
  }
}
