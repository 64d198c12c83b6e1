package com.bookstore.dispatch;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.vertx.mutiny.sqlclient.Row;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;

/** One row of {@code dispatch.delivery}: a delivery's state. */
@RegisterForReflection
public record Delivery(
    String orderId,
    String customerId,
    String email,
    String street,
    String city,
    String postcode,
    String zone,
    Status status,
    String courierId,
    int attempts,
    List<String> tried,
    Instant pickupDeadline,
    Location location,
    String reason,
    int version,
    Instant createdAt,
    Instant updatedAt) {

  /** The delivery's states; see the README for the transitions. */
  public enum Status {
    ASSIGNED,
    READY,
    PICKED_UP,
    DELIVERED,
    FAILED,
    REJECTED,
    CANCELLED;

    /** Whether the delivery still holds a courier's capacity. */
    public boolean holdsCourier() {
      return this == ASSIGNED || this == READY || this == PICKED_UP;
    }
  }

  /** The latest position a courier's system reported, and when the courier was there. */
  @RegisterForReflection
  public record Location(double latitude, double longitude, Instant at) {}

  static final String COLUMNS =
      "order_id, customer_id, email, street, city, postcode, zone, status, courier_id, attempts,"
          + " tried, pickup_deadline, latitude, longitude, located_at, reason, version, created_at,"
          + " updated_at";

  static Delivery of(Row row) {
    OffsetDateTime located = row.getOffsetDateTime("located_at");
    Location location =
        located == null
            ? null
            : new Location(
                row.getDouble("latitude"), row.getDouble("longitude"), located.toInstant());
    String[] tried = row.getArrayOfStrings("tried");
    return new Delivery(
        row.getString("order_id"),
        row.getString("customer_id"),
        row.getString("email"),
        row.getString("street"),
        row.getString("city"),
        row.getString("postcode"),
        row.getString("zone"),
        Status.valueOf(row.getString("status")),
        row.getString("courier_id"),
        row.getInteger("attempts"),
        tried == null ? List.of() : Arrays.asList(tried),
        instant(row.getOffsetDateTime("pickup_deadline")),
        location,
        row.getString("reason"),
        row.getInteger("version"),
        instant(row.getOffsetDateTime("created_at")),
        instant(row.getOffsetDateTime("updated_at")));
  }

  private static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }
}
