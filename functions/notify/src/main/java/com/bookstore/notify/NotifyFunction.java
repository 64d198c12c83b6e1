package com.bookstore.notify;

import com.bookstore.events.EventTypes;
import com.bookstore.events.notification.NotificationSent;
import com.bookstore.events.order.OrderCancelled;
import com.bookstore.events.order.OrderConfirmed;
import com.bookstore.kit.Answer;
import com.bookstore.kit.CloudEvent;
import com.bookstore.kit.CloudEventFunction;
import com.bookstore.kit.FunctionException;
import com.bookstore.kit.InboundEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * {@code order.confirmed} | {@code order.cancelled} -> one {@code notification.sent} per channel
 * (e-mail, and the webhook when one is configured). The subject of every answer is the order id.
 */
@ApplicationScoped
public class NotifyFunction implements CloudEventFunction {
  private final Notifier notifier;

  NotifyFunction(Notifier notifier) {
    this.notifier = notifier;
  }

  @Override
  public Uni<Answer> handle(InboundEvent event) {
    Milestone milestone =
        switch (event.type()) {
          case EventTypes.ORDER_CONFIRMED -> Milestone.of(event.data(OrderConfirmed.class));
          case EventTypes.ORDER_CANCELLED -> Milestone.of(event.data(OrderCancelled.class));
          default -> throw FunctionException.fatal("routed " + event.type(), null);
        };
    return notifier
        .notify(milestone)
        .map(sent -> new Answer(sent.stream().map(s -> answer(event, s)).toList()));
  }

  /**
   * The kit's answer, with an id derived from the notification rather than from the incoming event:
   * the same fact delivered twice under different ids (re-emitted, or from another source) still
   * yields the same {@code notification.sent}.
   */
  private static CloudEvent answer(InboundEvent event, NotificationSent sent) {
    CloudEvent a = event.answer(sent.orderId(), sent);
    return new CloudEvent(
        eventId(sent.notificationId()),
        a.source(),
        a.type(),
        a.subject(),
        a.time(),
        a.datacontenttype(),
        a.dataschema(),
        a.extensions(),
        a.data());
  }

  static String eventId(String notificationId) {
    return UUID.nameUUIDFromBytes(
            ("notification.sent\n" + notificationId).getBytes(StandardCharsets.UTF_8))
        .toString();
  }
}
