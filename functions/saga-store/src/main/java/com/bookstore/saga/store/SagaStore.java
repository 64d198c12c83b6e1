package com.bookstore.saga.store;

import com.bookstore.events.EventJson;
import com.bookstore.events.order.OrderPlaced;
import com.bookstore.kit.FunctionException;
import com.bookstore.kit.saga.SagaState;
import com.bookstore.kit.saga.SagaStatus;
import com.bookstore.kit.saga.StepState;
import com.bookstore.kit.saga.StepStatus;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Sagas in PostgreSQL (schema {@code saga}) on the reactive client. Built for the saga's hot path:
 * a transition is one {@link #load} (one query, steps aggregated alongside the saga row) and one
 * {@link #update} (one statement: the saga row under its version, and only the steps that changed,
 * in data-modifying CTEs that apply only if the row matched). A single statement is atomic on its
 * own, so there is no BEGIN/COMMIT round trip either.
 */
@ApplicationScoped
public class SagaStore {

  private static final String COLUMNS =
      """
      select s.id, s.definition, s.status, s.current_step::int as current_step, s.failure_reason,
             s.deadline, s.version, s.applied_replies, s.last_input, s.order_data::text as order_data,
             s.created_at, s.updated_at, now() as read_at,
             st.names, st.statuses, st.attempts, st.compensation_attempts
        from saga.saga s
        cross join lateral (
          select array_agg(name order by index) as names,
                 array_agg(status order by index) as statuses,
                 array_agg(attempts order by index) as attempts,
                 array_agg(compensation_attempts order by index) as compensation_attempts
            from saga.saga_step where saga_id = s.id) st
      """;

  /**
   * The timeline entries given as a JSON array (parameter {@code entries}, as text), each stamped
   * with the time {@code at}, in their order: a jsonb array to store or append.
   */
  private static String timeline(String at, String entries) {
    return ("(select coalesce(jsonb_agg(e.v || jsonb_build_object('at', %1$s) order by e.n),"
            + " '[]'::jsonb) from jsonb_array_elements(%2$s::text::jsonb) with ordinality as e(v, n))")
        .formatted(at, entries);
  }

  private static final String LOAD = COLUMNS + " where s.id = $1";

  private static final String STUCK =
      COLUMNS + " where s.status = 'STUCK' order by s.updated_at limit $1::int";

  /** The saga row and all its steps, or nothing when the id is taken (a duplicate start). */
  private static final String INSERT =
      """
      with s as (
        insert into saga.saga (id, definition, status, current_step, failure_reason, deadline,
                               version, applied_replies, last_input, order_data, created_at,
                               updated_at)
        values ($1, $2, $3, $4::int, $5, $6::timestamptz, $7::bigint, $8::text[], $9,
                $10::text::jsonb, $11::timestamptz, $11::timestamptz)
        on conflict (id) do nothing
        returning id),
      st as (
        insert into saga.saga_step (saga_id, index, name, status, attempts, compensation_attempts)
        select s.id, u.idx, u.name, u.status, u.attempts, u.compensation_attempts
          from s, unnest($12::int[], $13::text[], $14::text[], $15::int[], $16::int[])
                  as u(idx, name, status, attempts, compensation_attempts)
        returning 1)
      select count(*)::int as written from s
      """;

  /**
   * {@link #INSERT} on the database's clock: the row's times are the statement's {@code now()}, and
   * the deadline is {@code $6} microseconds after it ({@code $6} null for none).
   */
  private static final String INSERT_NOW =
      """
      with s as (
        insert into saga.saga (id, definition, status, current_step, failure_reason, deadline,
                               version, applied_replies, last_input, order_data, created_at,
                               updated_at, timeline)
        values ($1, $2, $3, $4::int, $5, now() + $6::bigint * interval '1 microsecond',
                $7::bigint, $8::text[], $9, $10::text::jsonb, now(), now(),
                :timeline)
        on conflict (id) do nothing
        returning id),
      st as (
        insert into saga.saga_step (saga_id, index, name, status, attempts, compensation_attempts)
        select s.id, u.idx, u.name, u.status, u.attempts, u.compensation_attempts
          from s, unnest($11::int[], $12::text[], $13::text[], $14::int[], $15::int[])
                  as u(idx, name, status, attempts, compensation_attempts)
        returning 1)
      select count(*)::int as written, now() as at from s
      """
          .replace(":timeline", timeline("now()", "$16"));

  /**
   * The optimistic lock: the row is written only at the version it was read with, and the changed
   * steps only if the row was (they join on the CTE's output). Zero means a concurrent input won.
   */
  private static final String UPDATE =
      """
      with s as (
        update saga.saga
           set status = $3, current_step = $4::int, failure_reason = $5,
               deadline = $6::timestamptz, version = $7::bigint, applied_replies = $8::text[],
               last_input = $9, updated_at = $10::timestamptz,
               timeline = timeline || :timeline
         where id = $1 and version = $2::bigint
        returning id),
      st as (
        update saga.saga_step t
           set status = u.status, attempts = u.attempts,
               compensation_attempts = u.compensation_attempts
          from s, unnest($11::int[], $12::text[], $13::int[], $14::int[])
                  as u(idx, status, attempts, compensation_attempts)
         where t.saga_id = s.id and t.index = u.idx
        returning 1)
      select count(*)::int as written from s
      """
          .replace(":timeline", timeline("$10::timestamptz", "$15"));

  private final Pool pool;

  public SagaStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * Stores a new saga with its order. False when a saga with this id exists already (a second
   * {@code order.placed} for the same order): nothing is changed then.
   */
  public Uni<Boolean> insert(SagaState state, OrderPlaced order, String input, Instant now) {
    Tuple params = insertParams(state, order, input, time(state.deadline()), time(now));
    return pool.preparedQuery(INSERT)
        .execute(params)
        .map(rows -> rows.iterator().next().getInteger("written") == 1);
  }

  /**
   * Stores a new saga decided at {@code decidedAt} by some other clock (it need not agree with the
   * database's) on the database's clock instead: the saga is created at the statement's {@code
   * now()}, and its deadline is as far after that as {@code state}'s is after {@code decidedAt}. So
   * the sweep, which compares deadlines with the database's {@code now()}, sees the step's full
   * time limit. The engine decides by differences of times only, so this is the state it would have
   * decided at the database's time.
   *
   * @return when the saga was created by the database's clock, or empty when a saga with this id
   *     exists already (nothing is changed then)
   */
  public Uni<Optional<Instant>> insertOnDatabaseClock(
      SagaState state, OrderPlaced order, String input, Instant decidedAt) {
    return insertOnDatabaseClock(state, order, input, decidedAt, List.of());
  }

  /**
   * {@link #insertOnDatabaseClock(SagaState, OrderPlaced, String, Instant)} with the saga's first
   * timeline entries (the event that started it, what it sent), stamped with the insert's time.
   */
  public Uni<Optional<Instant>> insertOnDatabaseClock(
      SagaState state,
      OrderPlaced order,
      String input,
      Instant decidedAt,
      List<TimelineEntry> timeline) {
    Long deadline =
        state.deadline() == null ? null : ChronoUnit.MICROS.between(decidedAt, state.deadline());
    Tuple params = insertParams(state, order, input, deadline, null);
    params.addValue(timelineJson(timeline));
    return pool.preparedQuery(INSERT_NOW)
        .execute(params)
        .map(
            rows -> {
              Row row = rows.iterator().next();
              return row.getInteger("written") == 1
                  ? Optional.of(instant(row.getOffsetDateTime("at")))
                  : Optional.empty();
            });
  }

  /** {@link #INSERT}'s parameters, or {@link #INSERT_NOW}'s when {@code now} is null. */
  private static Tuple insertParams(
      SagaState state, OrderPlaced order, String input, Object deadline, OffsetDateTime now) {
    List<StepState> steps = state.steps();
    Integer[] indexes = new Integer[steps.size()];
    String[] names = new String[steps.size()];
    String[] statuses = new String[steps.size()];
    Integer[] attempts = new Integer[steps.size()];
    Integer[] compensationAttempts = new Integer[steps.size()];
    for (int i = 0; i < steps.size(); i++) {
      StepState step = steps.get(i);
      indexes[i] = i;
      names[i] = step.name();
      statuses[i] = step.status().name();
      attempts[i] = step.attempts();
      compensationAttempts[i] = step.compensationAttempts();
    }
    List<Object> params =
        new ArrayList<>(
            Arrays.asList(
                state.sagaId(),
                state.definitionName(),
                state.status().name(),
                state.current(),
                state.failureReason(),
                deadline,
                state.version(),
                state.appliedReplies().toArray(String[]::new),
                input,
                json(order)));
    if (now != null) {
      params.add(now);
    }
    params.addAll(List.of(indexes, names, statuses, attempts, compensationAttempts));
    return Tuple.from(params);
  }

  public Uni<Optional<StoredSaga>> load(String sagaId) {
    return read(sagaId).map(found -> found.map(Read::saga));
  }

  /**
   * {@link #load} with the database's time of the read, in the same round trip: the time a
   * transition of this saga is decided at, so that its deadlines are set and judged by the clock
   * the sweep goes by (its {@code deadline <= now()}), whatever the function's own clock says.
   */
  public Uni<Optional<Read>> read(String sagaId) {
    return pool.preparedQuery(LOAD)
        .execute(Tuple.of(sagaId))
        .map(
            rows -> {
              if (rows.size() == 0) {
                return Optional.empty();
              }
              Row row = rows.iterator().next();
              return Optional.of(new Read(saga(row), instant(row.getOffsetDateTime("read_at"))));
            });
  }

  /**
   * A saga as read, and when by the database's clock ({@code now()} of the reading statement,
   * microseconds like every stored time).
   */
  public record Read(StoredSaga saga, Instant now) {}

  /**
   * Writes {@code next} over {@code previous} if the stored saga is still at {@code previous}'s
   * version. Only the steps that differ are sent. False when another input got there first.
   */
  public Uni<Boolean> update(SagaState previous, SagaState next, String input, Instant now) {
    return update(previous, next, input, now, List.of());
  }

  /**
   * {@link #update(SagaState, SagaState, String, Instant)} that also appends {@code timeline} (what
   * the transition took and sent, stamped {@code now}) to the saga's timeline, in the same
   * statement.
   */
  public Uni<Boolean> update(
      SagaState previous, SagaState next, String input, Instant now, List<TimelineEntry> timeline) {
    if (!previous.sagaId().equals(next.sagaId())
        || previous.steps().size() != next.steps().size()) {
      throw new IllegalArgumentException(
          "cannot write saga " + next.sagaId() + " over saga " + previous.sagaId());
    }
    List<Integer> indexes = new ArrayList<>();
    List<String> statuses = new ArrayList<>();
    List<Integer> attempts = new ArrayList<>();
    List<Integer> compensationAttempts = new ArrayList<>();
    for (int i = 0; i < next.steps().size(); i++) {
      StepState step = next.steps().get(i);
      if (!step.equals(previous.steps().get(i))) {
        indexes.add(i);
        statuses.add(step.status().name());
        attempts.add(step.attempts());
        compensationAttempts.add(step.compensationAttempts());
      }
    }
    Tuple params =
        Tuple.from(
            Arrays.asList(
                next.sagaId(),
                previous.version(),
                next.status().name(),
                next.current(),
                next.failureReason(),
                time(next.deadline()),
                next.version(),
                next.appliedReplies().toArray(String[]::new),
                input,
                time(now),
                indexes.toArray(Integer[]::new),
                statuses.toArray(String[]::new),
                attempts.toArray(Integer[]::new),
                compensationAttempts.toArray(Integer[]::new),
                timelineJson(timeline)));
    return pool.preparedQuery(UPDATE)
        .execute(params)
        .map(rows -> rows.iterator().next().getInteger("written") == 1);
  }

  /** The operators' query: stuck sagas, longest stuck first. */
  /**
   * How many sagas are in each unfinished status ({@code RUNNING}, {@code FAILED}, {@code
   * COMPENSATING}, {@code STUCK}), by definition: the finished ones are counted as they finish.
   */
  public Uni<Map<List<String>, Long>> unfinished() {
    return pool.query(
            "select definition, status, count(*) as n from saga.saga where status in ('RUNNING',"
                + " 'FAILED', 'COMPENSATING', 'STUCK') group by definition, status")
        .execute()
        .map(
            rows -> {
              Map<List<String>, Long> out = new java.util.HashMap<>();
              for (Row r : rows) {
                out.put(List.of(r.getString("definition"), r.getString("status")), r.getLong("n"));
              }
              return out;
            });
  }

  public Uni<List<StoredSaga>> stuck(int limit) {
    return pool.preparedQuery(STUCK)
        .execute(Tuple.of(limit))
        .map(
            rows -> {
              List<StoredSaga> found = new ArrayList<>();
              rows.forEach(row -> found.add(saga(row)));
              return found;
            });
  }

  /** A saga's timeline, oldest first; empty when there is no such saga. */
  public Uni<List<TimelineEntry>> timeline(String sagaId) {
    return pool.preparedQuery("select timeline::text as timeline from saga.saga where id = $1")
        .execute(Tuple.of(sagaId))
        .map(
            rows -> {
              if (rows.size() == 0) {
                return List.of();
              }
              try {
                return List.of(
                    EventJson.mapper()
                        .readValue(
                            rows.iterator().next().getString("timeline"), TimelineEntry[].class));
              } catch (JsonProcessingException e) {
                throw FunctionException.fatal(
                    "stored timeline of " + sagaId + " is unreadable: " + e.getOriginalMessage(),
                    e);
              }
            });
  }

  /** How many sagas are in each status, every definition together (the operators' overview). */
  public Uni<Map<String, Long>> countsByStatus() {
    return pool.query("select status, count(*) as n from saga.saga group by status")
        .execute()
        .map(
            rows -> {
              Map<String, Long> out = new java.util.TreeMap<>();
              for (Row r : rows) {
                out.put(r.getString("status"), r.getLong("n"));
              }
              return out;
            });
  }

  /** The sagas in one status, latest change first (the console's lists). */
  public Uni<List<StoredSaga>> byStatus(SagaStatus status, int limit) {
    return pool.preparedQuery(
            COLUMNS + " where s.status = $1 order by s.updated_at desc limit $2::int")
        .execute(Tuple.of(status.name(), limit))
        .map(
            rows -> {
              List<StoredSaga> found = new ArrayList<>();
              rows.forEach(row -> found.add(saga(row)));
              return found;
            });
  }

  private static String timelineJson(List<TimelineEntry> timeline) {
    List<Map<String, String>> entries = new ArrayList<>(timeline.size());
    for (TimelineEntry e : timeline) {
      Map<String, String> m = new java.util.LinkedHashMap<>();
      m.put("direction", e.direction());
      m.put("type", e.type());
      m.put("source", e.source());
      m.put("id", e.id());
      entries.add(m);
    }
    try {
      return EventJson.mapper().writeValueAsString(entries);
    } catch (JsonProcessingException e) {
      throw FunctionException.fatal("cannot write a timeline", e);
    }
  }

  private static StoredSaga saga(Row row) {
    String[] names = row.getArrayOfStrings("names");
    String[] statuses = row.getArrayOfStrings("statuses");
    Integer[] attempts = row.getArrayOfIntegers("attempts");
    Integer[] compensationAttempts = row.getArrayOfIntegers("compensation_attempts");
    List<StepState> steps = new ArrayList<>(names.length);
    for (int i = 0; i < names.length; i++) {
      steps.add(
          new StepState(
              names[i], StepStatus.valueOf(statuses[i]), attempts[i], compensationAttempts[i]));
    }
    SagaState state =
        new SagaState(
            row.getString("id"),
            row.getString("definition"),
            SagaStatus.valueOf(row.getString("status")),
            row.getInteger("current_step"),
            row.getString("failure_reason"),
            row.getLong("version"),
            steps,
            instant(row.getOffsetDateTime("deadline")),
            Set.of(row.getArrayOfStrings("applied_replies")));
    return new StoredSaga(
        state,
        order(row.getString("order_data")),
        row.getString("last_input"),
        instant(row.getOffsetDateTime("created_at")),
        instant(row.getOffsetDateTime("updated_at")));
  }

  private static String json(OrderPlaced order) {
    try {
      return EventJson.mapper().writeValueAsString(order);
    } catch (JsonProcessingException e) {
      throw FunctionException.fatal("cannot write order " + order.orderId(), e);
    }
  }

  private static OrderPlaced order(String json) {
    try {
      return EventJson.mapper().readValue(json, OrderPlaced.class);
    } catch (JsonProcessingException e) {
      throw FunctionException.fatal("stored order is unreadable: " + e.getOriginalMessage(), e);
    }
  }

  private static OffsetDateTime time(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }

  private static Instant instant(OffsetDateTime time) {
    return time == null ? null : time.toInstant();
  }
}
