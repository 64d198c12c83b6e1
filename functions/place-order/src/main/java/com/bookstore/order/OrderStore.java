package com.bookstore.order;

import com.bookstore.events.EventJson;
import com.bookstore.events.delivery.DeliveryAddress;
import com.bookstore.events.order.OrderLine;
import com.bookstore.events.payment.Money;
import com.bookstore.kit.CloudEvent;
import com.bookstore.kit.CloudEventCodec;
import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The {@code orders} schema. Each write is one SQL statement (data-modifying CTEs), so it is one
 * transaction and one round trip: the order with its lines, first history row and outbox row; a
 * fact's history row with the status move it brings.
 */
@ApplicationScoped
public class OrderStore {
  private final Pool pool;

  OrderStore(Pool pool) {
    this.pool = pool;
  }

  private static final String INSERT_ORDER =
      """
      with o as (
        insert into orders.customer_order (id, customer_id, email, payment_method, total_cents,
            currency, status, idempotency_key, request_hash, placed_at, updated_at,
            delivery_street, delivery_city, delivery_postcode, delivery_zone)
        values ($1, $2, $3, $4, $5, $6, 'PENDING', $7, $8, $9, $9, $18, $19, $20, $21)
        on conflict (customer_id, idempotency_key) do nothing
        returning id),
      l as (
        insert into orders.order_line (order_id, line_no, isbn, quantity, unit_cents, currency)
        select o.id, x.n - 1, x.isbn, x.quantity, x.unit_cents, $6
        from o, unnest($10::text[], $11::int[], $12::bigint[])
            with ordinality as x (isbn, quantity, unit_cents, n)),
      h as (
        insert into orders.order_history (order_id, at, event_type, detail, event_source, event_id)
        select o.id, $9, $13, $14, $15, $16 from o),
      b as (
        insert into orders.outbox (event_id, order_id, event, created_at)
        select $16, o.id, $17, $9 from o)
      select count(*) as inserted from o
      """;

  /**
   * Stores the order PENDING with its lines, its first history row and its order.placed outbox row,
   * atomically. False when the customer already has an order under this Idempotency-Key (nothing
   * written).
   */
  public Uni<Boolean> insert(Placement p) {
    List<OrderLine> lines = p.placed().items();
    CloudEvent event = p.event();
    DeliveryAddress delivery = p.placed().delivery();
    Tuple params =
        Tuple.from(
            Arrays.asList(
                p.orderId(),
                p.placed().customerId(),
                p.placed().email(),
                p.placed().paymentMethod(),
                p.placed().total().cents(),
                p.placed().total().currency(),
                p.idempotencyKey(),
                p.requestHash(),
                utc(p.placed().placedAt()),
                lines.stream().map(OrderLine::isbn).toArray(String[]::new),
                lines.stream().map(OrderLine::quantity).toArray(Integer[]::new),
                lines.stream().map(l -> l.unitPrice().cents()).toArray(Long[]::new),
                event.type(),
                p.detail(),
                event.source(),
                event.id(),
                CloudEventCodec.toStructured(event).toString(),
                delivery == null ? null : delivery.street(),
                delivery == null ? null : delivery.city(),
                delivery == null ? null : delivery.postcode(),
                delivery == null ? null : delivery.zone()));
    return pool.preparedQuery(INSERT_ORDER)
        .execute(params)
        .map(rows -> rows.iterator().next().getLong("inserted") == 1);
  }

  /** An order placed under an Idempotency-Key, and the fingerprint of what was asked. */
  public record Keyed(String orderId, String requestHash) {}

  public Uni<Optional<Keyed>> findByKey(String customerId, String idempotencyKey) {
    return pool.preparedQuery(
            "select id, request_hash from orders.customer_order"
                + " where customer_id = $1 and idempotency_key = $2")
        .execute(Tuple.of(customerId, idempotencyKey))
        .map(
            rows ->
                first(rows).map(r -> new Keyed(r.getString("id"), r.getString("request_hash"))));
  }

  private static final String VIEW =
      """
      select o.id, o.status, o.reason, o.total_cents, o.currency, o.placed_at, o.updated_at,
        o.delivery_street, o.delivery_city, o.delivery_postcode, o.delivery_zone,
        o.delivery_status, o.delivery_courier_id, o.delivery_attempts,
        (select coalesce(json_agg(json_build_object('isbn', l.isbn, 'quantity', l.quantity,
                    'unitPrice', json_build_object('cents', l.unit_cents, 'currency', l.currency))
                  order by l.line_no), '[]'::json)
           from orders.order_line l where l.order_id = o.id)::text as items,
        (select coalesce(json_agg(json_build_object(
                    'at', to_char(h.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                    'type', h.event_type, 'detail', h.detail)
                  order by h.at, h.id), '[]'::json)
           from orders.order_history h where h.order_id = o.id)::text as history
      from orders.customer_order o
      where o.id = $1 and o.customer_id = $2
      """;

  /** The customer's order with its lines and history; empty when it is not theirs or unknown. */
  public Uni<Optional<OrderView>> view(String orderId, String customerId) {
    return pool.preparedQuery(VIEW)
        .execute(Tuple.of(orderId, customerId))
        .map(
            rows ->
                first(rows)
                    .map(
                        r ->
                            new OrderView(
                                r.getString("id"),
                                OrderStatus.valueOf(r.getString("status")),
                                r.getString("reason"),
                                new Money(r.getLong("total_cents"), r.getString("currency").trim()),
                                r.getOffsetDateTime("placed_at").toInstant(),
                                r.getOffsetDateTime("updated_at").toInstant(),
                                json(r.getString("items")),
                                json(r.getString("history")),
                                delivery(r))));
  }

  /**
   * {@code {address: {street, city, postcode}, zone, status, courierId, attempts}}; null for an
   * order collected at the shop. status, courierId and attempts are null until a delivery fact says
   * them.
   */
  private static JsonNode delivery(Row r) {
    String zone = r.getString("delivery_zone");
    if (zone == null) {
      return null;
    }
    return OrderView.delivery(
        new DeliveryAddress(
            r.getString("delivery_street"),
            r.getString("delivery_city"),
            r.getString("delivery_postcode"),
            zone),
        r.getString("delivery_status"),
        r.getString("delivery_courier_id"),
        r.getInteger("delivery_attempts"));
  }

  /** What recording a fact did. */
  public enum Recorded {
    /** The order is not in this database (another system's saga, or a hand-driven command). */
    UNKNOWN_ORDER,
    /** This fact (source + id) is already in the history. */
    DUPLICATE,
    /** A history row was added; the status did not change (none asked, or not a forward move). */
    HISTORY_ONLY,
    /** A history row was added and the status moved. */
    MOVED
  }

  /**
   * @param statusBefore the order's status before the fact (null when the order is unknown)
   */
  public record Outcome(Recorded recorded, OrderStatus statusBefore) {}

  private static final String RECORD_FACT =
      """
      with o as (select id, status from orders.customer_order where id = $1),
      h as (
        insert into orders.order_history (order_id, at, event_type, detail, event_source, event_id)
        select o.id, $2, $3, $4, $5, $6 from o
        on conflict (event_source, event_id) do nothing
        returning order_id)
      """;

  private static final String RECORD_ONLY =
      RECORD_FACT
          + "select (select status from o) as status, (select count(*) from h) as recorded,"
          + " 0 as moved";

  private static final String RECORD_AND_MOVE =
      RECORD_FACT
          + """
          , u as (
            update orders.customer_order c set status = $7, reason = coalesce($8, c.reason),
                updated_at = now()
            from h where c.id = h.order_id and c.status = any($9::text[])
            returning c.id)
          select (select status from o) as status, (select count(*) from h) as recorded,
              (select count(*) from u) as moved
          """;

  /**
   * A delivery fact: the history row and, only if it was added (not a redelivery), the delivery's
   * state, when the order has a delivery and the fact takes it further along than it is.
   */
  private static final String RECORD_AND_DELIVER =
      RECORD_FACT
          + """
          , u as (
            update orders.customer_order c set delivery_status = $7,
                delivery_courier_id = coalesce($8, c.delivery_courier_id),
                delivery_attempts = coalesce($9, c.delivery_attempts),
                delivery_progress = $10, updated_at = now()
            from h where c.id = h.order_id and c.delivery_zone is not null
              and coalesce(c.delivery_progress, 0) < $10
            returning c.id)
          select (select status from o) as status, (select count(*) from h) as recorded,
              (select count(*) from u) as moved
          """;

  /**
   * Adds the fact's history row (once per event source and id) and, in the same statement, moves
   * the status forward when the fact asks for it and the order's status allows it, or the
   * delivery's state further along for a delivery fact.
   */
  public Uni<Outcome> record(
      OrderFacts.Fact fact, String type, String source, String id, Instant at) {
    List<Object> params =
        new ArrayList<>(Arrays.asList(fact.orderId(), utc(at), type, fact.detail(), source, id));
    String sql = RECORD_ONLY;
    if (fact.delivery() != null) {
      sql = RECORD_AND_DELIVER;
      params.add(fact.delivery().status().name());
      params.add(fact.delivery().courierId());
      params.add(fact.delivery().attempts());
      params.add(fact.delivery().progress());
    } else if (fact.moveTo() != null) {
      sql = RECORD_AND_MOVE;
      params.add(fact.moveTo().name());
      params.add(fact.reason());
      params.add(
          OrderStatus.allowedBefore(fact.moveTo()).stream().map(Enum::name).toArray(String[]::new));
    }
    return pool.preparedQuery(sql)
        .execute(Tuple.from(params))
        .map(
            rows -> {
              Row r = rows.iterator().next();
              String status = r.getString("status");
              if (status == null) {
                return new Outcome(Recorded.UNKNOWN_ORDER, null);
              }
              OrderStatus before = OrderStatus.valueOf(status);
              if (r.getLong("recorded") == 0) {
                return new Outcome(Recorded.DUPLICATE, before);
              }
              return new Outcome(
                  r.getLong("moved") > 0 ? Recorded.MOVED : Recorded.HISTORY_ONLY, before);
            });
  }

  /** Marks an outbox row published (the request's own publish succeeded). */
  public Uni<Void> markPublished(String eventId) {
    return pool.preparedQuery(
            "update orders.outbox set published_at = now()"
                + " where event_id = $1 and published_at is null")
        .execute(Tuple.of(eventId))
        .replaceWithVoid();
  }

  /**
   * Publishes the unpublished rows older than {@code createdBefore}, oldest first, and marks them,
   * in one transaction. {@code skip locked}: two instances' relays share the rows, never publish
   * the same ones at once. A failed publish rolls back, so the rows stay for the next run.
   */
  public Uni<Integer> relay(
      Instant createdBefore, int batchSize, Function<List<CloudEvent>, Uni<Void>> publish) {
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(
                    "select event_id, event from orders.outbox"
                        + " where published_at is null and created_at <= $1"
                        + " order by created_at limit $2 for update skip locked")
                .execute(Tuple.of(utc(createdBefore), batchSize))
                .flatMap(
                    rows -> {
                      List<String> ids = new ArrayList<>();
                      List<CloudEvent> events = new ArrayList<>();
                      for (Row r : rows) {
                        ids.add(r.getString("event_id"));
                        events.add(CloudEventCodec.fromStructured(json(r.getString("event"))));
                      }
                      if (events.isEmpty()) {
                        return Uni.createFrom().item(0);
                      }
                      return publish
                          .apply(events)
                          .flatMap(
                              x ->
                                  conn.preparedQuery(
                                          "update orders.outbox set published_at = now()"
                                              + " where event_id = any($1::text[])")
                                      .execute(Tuple.of(ids.toArray(String[]::new))))
                          .map(x -> events.size());
                    }));
  }

  /** Deletes up to {@code limit} rows published before {@code publishedBefore}. */
  public Uni<Integer> purge(Instant publishedBefore, int limit) {
    return pool.preparedQuery(
            "delete from orders.outbox where event_id in (select event_id from orders.outbox"
                + " where published_at < $1 limit $2)")
        .execute(Tuple.of(utc(publishedBefore), limit))
        .map(RowSet::rowCount);
  }

  private static Optional<Row> first(RowSet<Row> rows) {
    var it = rows.iterator();
    return it.hasNext() ? Optional.of(it.next()) : Optional.empty();
  }

  private static JsonNode json(String text) {
    try {
      return EventJson.mapper().readTree(text);
    } catch (IOException e) {
      throw new IllegalStateException("unreadable JSON from the orders schema", e);
    }
  }

  private static OffsetDateTime utc(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
