package com.bookstore.dispatch;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The couriers' table: what the admin API and the seed write, what assignment reads. */
@ApplicationScoped
public class Couriers {
  private final Pool db;

  Couriers(Pool db) {
    this.db = db;
  }

  /** A courier as written, and whether the write added them. */
  public record Put(Courier courier, boolean added) {}

  /** Adds a courier or changes one; their current deliveries stay theirs. */
  public Uni<Put> put(String id, String name, List<String> zones, int capacity, boolean available) {
    return db.preparedQuery(
            "insert into dispatch.courier (id, name, zones, capacity, available) values ($1, $2,"
                + " $3, $4, $5) on conflict (id) do update set name = excluded.name, zones ="
                + " excluded.zones, capacity = excluded.capacity, available = excluded.available,"
                + " updated_at = now() returning (xmax = 0) as added, "
                + Courier.COLUMNS)
        .execute(Tuple.of(id, name, zones.toArray(new String[0]), capacity, available))
        .map(
            rows -> {
              Row row = rows.iterator().next();
              return new Put(Courier.of(row), row.getBoolean("added"));
            });
  }

  /** Adds a courier unless one with the id exists (the seed). */
  public Uni<Void> seed(String id, String name, List<String> zones, int capacity) {
    return db.preparedQuery(
            "insert into dispatch.courier (id, name, zones, capacity) values ($1, $2, $3, $4) on"
                + " conflict (id) do nothing")
        .execute(Tuple.of(id, name, zones.toArray(new String[0]), capacity))
        .replaceWithVoid();
  }

  /** Whether the courier takes new deliveries; empty when there is no such courier. */
  public Uni<Optional<Courier>> setAvailable(String id, boolean available) {
    return db.preparedQuery(
            "update dispatch.courier set available = $2, updated_at = now() where id = $1"
                + " returning "
                + Courier.COLUMNS)
        .execute(Tuple.of(id, available))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.empty()
                    : Optional.of(Courier.of(rows.iterator().next())));
  }

  public Uni<List<Courier>> all() {
    return db.query("select " + Courier.COLUMNS + " from dispatch.courier order by id")
        .execute()
        .map(
            rows -> {
              List<Courier> out = new ArrayList<>();
              for (Row r : rows) {
                out.add(Courier.of(r));
              }
              return out;
            });
  }
}
