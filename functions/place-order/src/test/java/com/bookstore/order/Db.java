package com.bookstore.order;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** Reads the orders schema for assertions (blocking; test threads only). */
final class Db {
  private Db() {}

  static List<Row> rows(Pool pool, String sql, Object... params) {
    List<Row> out = new ArrayList<>();
    pool.preparedQuery(sql).execute(Tuple.from(params)).await().indefinitely().forEach(out::add);
    return out;
  }

  static long count(Pool pool, String sql, Object... params) {
    return rows(pool, sql, params).get(0).getLong(0);
  }

  static String status(Pool pool, String orderId) {
    List<Row> rows = rows(pool, "select status from orders.customer_order where id = $1", orderId);
    return rows.isEmpty() ? null : rows.get(0).getString(0);
  }

  static long history(Pool pool, String orderId) {
    return count(pool, "select count(*) from orders.order_history where order_id = $1", orderId);
  }

  static long ordersOf(Pool pool, String customerId) {
    return count(
        pool, "select count(*) from orders.customer_order where customer_id = $1", customerId);
  }
}
