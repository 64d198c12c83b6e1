package com.bookstore.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The local stack's PostgreSQL keeps every commit it acknowledged across a crash, as a production
 * server does. The chaos suite crashes it (an immediate shutdown) while orders flow and then checks
 * that nothing was lost; a server that acknowledges commits before their WAL is written (as the
 * stack's {@code synchronous_commit = off} once did) loses the last moments of them, and the suite
 * then blames the functions for a sale that the database forgot (a reservation left RESERVED after
 * reserve-stock had answered {@code stock.committed}).
 *
 * <p>Restarts the stack's PostgreSQL: the other tests of this module run one at a time, and it
 * waits until the server answers again.
 */
class StackDurabilityTest {

  @Test
  void everyCommitAcknowledgedBeforeACrashIsThereAfterIt() throws Exception {
    Chaos chaos = new Chaos(Stack.fromEnvironment());
    String table = "durability_probe_" + Long.toHexString(System.nanoTime());
    try (Connection c = TestData.connect();
        Statement s = c.createStatement()) {
      s.execute("create table public." + table + " (n bigint primary key)");
    }
    AtomicLong acknowledged = new AtomicLong();
    AtomicBoolean crashed = new AtomicBoolean();
    CompletableFuture<Void> writer =
        CompletableFuture.runAsync(() -> insertUntilTheServerGoes(table, acknowledged, crashed));

    // Commits are being acknowledged one after another; crash the server in the middle of them.
    await(Duration.ofSeconds(30), () -> acknowledged.get() >= 300, "300 commits acknowledged");
    chaos.stack("stop", "postgres", "immediate");
    crashed.set(true);
    writer.get(60, TimeUnit.SECONDS);
    long acked = acknowledged.get();
    chaos.stack("up");

    try (Connection c = connectWhenBack(Duration.ofSeconds(60));
        Statement s = c.createStatement()) {
      try (ResultSet r = s.executeQuery("select count(*), coalesce(max(n), 0) from " + table)) {
        assertTrue(r.next());
        long count = r.getLong(1);
        assertTrue(
            count >= acked,
            "every acknowledged commit survives the crash: "
                + acked
                + " acknowledged, "
                + count
                + " rows after the restart (max "
                + r.getLong(2)
                + ")");
        // At most the one insert in flight at the crash may have landed without its answer.
        assertTrue(count <= acked + 1, count + " rows for " + acked + " acknowledged");
      } finally {
        s.execute("drop table public." + table);
      }
    }
    assertEquals(true, crashed.get());
  }

  /** Inserts 1, 2, 3, ... each in its own transaction, counting the ones PostgreSQL confirmed. */
  private static void insertUntilTheServerGoes(
      String table, AtomicLong acknowledged, AtomicBoolean crashed) {
    try (Connection c = TestData.connect();
        PreparedStatement insert = c.prepareStatement("insert into " + table + " values (?)")) {
      c.setAutoCommit(true);
      for (long n = 1; ; n++) {
        insert.setLong(1, n);
        insert.executeUpdate();
        acknowledged.set(n);
      }
    } catch (SQLException e) {
      if (!crashed.get() && acknowledged.get() < 300) {
        throw new IllegalStateException("the writer failed before the crash: " + e, e);
      }
      // the server went away: expected
    }
  }

  private static Connection connectWhenBack(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        return TestData.connect();
      } catch (SQLException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        ConsumerGroups.pause(Duration.ofMillis(200));
      }
    }
  }

  private static void await(
      Duration timeout, java.util.function.BooleanSupplier done, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "not within " + timeout + ": " + what);
      ConsumerGroups.pause(Duration.ofMillis(5));
    }
  }
}
