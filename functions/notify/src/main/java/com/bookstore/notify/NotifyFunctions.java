package com.bookstore.notify;

import com.bookstore.kit.OnContext;
import io.quarkus.funqy.Funq;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import java.time.OffsetDateTime;
import java.util.List;

/** Plain JSON over HTTP (Funqy): {@code POST /notifications {orderId}}, for operators and tests. */
public class NotifyFunctions {
  private final NotificationStore store;
  private final Vertx vertx;

  NotifyFunctions(NotificationStore store, Vertx vertx) {
    this.store = store;
    this.vertx = vertx;
  }

  public record OrderId(String orderId) {}

  public record View(
      String notificationId,
      String channel,
      String recipient,
      String topic,
      String status,
      int attempts,
      String lastError,
      OffsetDateTime sentAt) {}

  @Funq("notifications")
  public Uni<List<View>> notifications(OrderId request) {
    if (request == null || request.orderId() == null || request.orderId().isBlank()) {
      throw new IllegalArgumentException("notifications needs an orderId");
    }
    return OnContext.run(
        vertx,
        () ->
            store
                .of(request.orderId())
                .map(
                    rows ->
                        rows.stream()
                            .map(
                                n ->
                                    new View(
                                        n.id,
                                        n.channel,
                                        n.recipient,
                                        n.topic,
                                        n.status.name(),
                                        n.attempts,
                                        n.lastError,
                                        n.sentAt))
                            .toList()));
  }
}
