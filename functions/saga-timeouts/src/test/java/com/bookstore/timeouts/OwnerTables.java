package com.bookstore.timeouts;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.flywaydb.core.Flyway;

/**
 * The tables saga-timeouts reads belong to saga-store ({@code saga.saga}) and reserve-stock ({@code
 * stock.reservation}). The tests create them with the owners' own migrations, configured as the
 * owners' Quarkus Flyway runs them (schema {@code saga} or {@code stock}, its history table in that
 * schema), so the owners' own runs later find a consistent history; and write rows straight into
 * them, as the owners would, over JDBC.
 */
final class OwnerTables {
  private static boolean migrated;

  private OwnerTables() {}

  static synchronized void migrate() {
    if (migrated) {
      return;
    }
    for (String schema : List.of("saga", "stock", "dispatch")) {
      Flyway.configure(OwnerTables.class.getClassLoader())
          .dataSource(url(), user(), password())
          .schemas(schema)
          .locations("classpath:db/" + schema)
          .load()
          .migrate();
    }
    migrated = true;
  }

  static Connection connect() throws SQLException {
    return DriverManager.getConnection(url(), user(), password());
  }

  static void insertSaga(String id, String status, Instant deadline) throws SQLException {
    boolean finished = status.equals("COMPLETED") || status.equals("COMPENSATED");
    try (Connection c = connect();
        PreparedStatement s =
            c.prepareStatement(
                "insert into saga.saga (id, definition, status, current_step, deadline, version,"
                    + " order_data, created_at, updated_at)"
                    + " values (?, 'order', ?, ?, ?, 0, '{}'::jsonb, now(), now())")) {
      s.setString(1, id);
      s.setString(2, status);
      s.setInt(3, finished ? -1 : 0);
      s.setObject(4, deadline == null ? null : utc(deadline));
      s.executeUpdate();
    }
  }

  static void moveDeadline(String id, Instant deadline) throws SQLException {
    try (Connection c = connect();
        PreparedStatement s =
            c.prepareStatement("update saga.saga set deadline = ? where id = ?")) {
      s.setObject(1, utc(deadline));
      s.setString(2, id);
      s.executeUpdate();
    }
  }

  static void insertHold(String orderId, String status, Instant expiresAt) throws SQLException {
    try (Connection c = connect();
        PreparedStatement s =
            c.prepareStatement(
                "insert into stock.reservation (order_id, status, items, expires_at, updated_at)"
                    + " values (?, ?, '[{\"isbn\":\"9780000000002\",\"quantity\":1}]', ?, now())")) {
      s.setString(1, orderId);
      s.setString(2, status);
      s.setObject(3, utc(expiresAt));
      s.executeUpdate();
    }
  }

  static void insertDelivery(String orderId, String status, int attempts, Instant deadline)
      throws SQLException {
    try (Connection c = connect();
        PreparedStatement s =
            c.prepareStatement(
                "insert into dispatch.delivery (order_id, customer_id, email, street, city,"
                    + " postcode, zone, status, courier_id, attempts, pickup_deadline) values (?,"
                    + " 'user-1', 'ada@example.com', '1 rue X', 'Paris', '75002', '75', ?,"
                    + " 'courier-1', ?, ?)")) {
      s.setString(1, orderId);
      s.setString(2, status);
      s.setInt(3, attempts);
      s.setObject(4, deadline == null ? null : utc(deadline));
      s.executeUpdate();
    }
  }

  static void delete(Collection<String> ids) throws SQLException {
    try (Connection c = connect();
        PreparedStatement sagas = c.prepareStatement("delete from saga.saga where id = any (?)");
        PreparedStatement holds =
            c.prepareStatement("delete from stock.reservation where order_id = any (?)")) {
      java.sql.Array array = c.createArrayOf("varchar", ids.toArray());
      sagas.setArray(1, array);
      sagas.executeUpdate();
      holds.setArray(1, array);
      holds.executeUpdate();
    }
    try (Connection c = connect();
        PreparedStatement deliveries =
            c.prepareStatement("delete from dispatch.delivery where order_id = any (?)")) {
      deliveries.setArray(1, c.createArrayOf("varchar", ids.toArray()));
      deliveries.executeUpdate();
    }
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  private static String url() {
    return config().getValue("quarkus.datasource.jdbc.url", String.class);
  }

  private static String user() {
    return config().getValue("quarkus.datasource.username", String.class);
  }

  private static String password() {
    return config().getValue("quarkus.datasource.password", String.class);
  }

  private static Config config() {
    return ConfigProvider.getConfig();
  }
}
