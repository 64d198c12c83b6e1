package com.bookstore.dispatch;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.vertx.mutiny.sqlclient.Row;
import java.util.Arrays;
import java.util.List;

/**
 * A courier: the zones they cover, how many deliveries they carry at once, whether they take new
 * ones, and how many they carry now.
 */
@RegisterForReflection
public record Courier(
    String id, String name, List<String> zones, int capacity, boolean available, int active) {

  static final String COLUMNS = "id, name, zones, capacity, available, active";

  static Courier of(Row row) {
    return new Courier(
        row.getString("id"),
        row.getString("name"),
        Arrays.asList(row.getArrayOfStrings("zones")),
        row.getInteger("capacity"),
        row.getBoolean("available"),
        row.getInteger("active"));
  }
}
