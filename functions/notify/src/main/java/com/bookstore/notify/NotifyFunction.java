package com.bookstore.notify;

import com.bookstore.events.EventJson;
import com.bookstore.events.EventSchemas;
import com.bookstore.events.EventTypes;
import com.bookstore.events.delivery.DeliveryAssigned;
import com.bookstore.events.delivery.DeliveryDelivered;
import com.bookstore.events.delivery.DeliveryFailed;
import com.bookstore.events.delivery.DeliveryPickedUp;
import com.bookstore.events.delivery.DeliveryReassigned;
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
import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * {@code order.confirmed} | {@code order.cancelled} | {@code delivery.assigned} | {@code
 * delivery.reassigned} | {@code delivery.picked-up} | {@code delivery.delivered} | {@code
 * delivery.failed} -> one notification per channel (e-mail, and the webhook when one is
 * configured), each answered with its {@code notification.sent}. The subject of every answer is the
 * order id.
 *
 * <p>{@code notification.sent}'s schema names the topics it may carry ({@code order-confirmed},
 * {@code order-cancelled}); a milestone whose topic it does not name yet (the delivery milestones)
 * is sent exactly as the others, once, but not announced: an event that breaks its schema is never
 * emitted. Once the schema names a topic, its notifications are announced too.
 */
@ApplicationScoped
public class NotifyFunction implements CloudEventFunction {
  private static final Logger LOG = Logger.getLogger(NotifyFunction.class);

  /** The milestone topics {@code notification.sent}'s schema accepts. */
  static final Set<String> ANNOUNCED =
      Arrays.stream(Milestone.Topic.values())
          .map(Milestone.Topic::wire)
          .filter(NotifyFunction::schemaAccepts)
          .collect(Collectors.toUnmodifiableSet());

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
          case EventTypes.DELIVERY_ASSIGNED -> Milestone.of(event.data(DeliveryAssigned.class));
          case EventTypes.DELIVERY_REASSIGNED -> Milestone.of(event.data(DeliveryReassigned.class));
          case EventTypes.DELIVERY_PICKED_UP -> Milestone.of(event.data(DeliveryPickedUp.class));
          case EventTypes.DELIVERY_DELIVERED -> Milestone.of(event.data(DeliveryDelivered.class));
          case EventTypes.DELIVERY_FAILED -> Milestone.of(event.data(DeliveryFailed.class));
          default -> throw FunctionException.fatal("routed " + event.type(), null);
        };
    return notifier
        .notify(milestone)
        .map(
            sent -> {
              if (!ANNOUNCED.contains(milestone.topic().wire())) {
                LOG.debugf(
                    "order %s: %s sent on %d channel(s), not announced (notification.sent does"
                        + " not name the topic)",
                    milestone.orderId(), milestone.topic().wire(), sent.size());
                return Answer.none();
              }
              return new Answer(sent.stream().map(s -> answer(event, s)).toList());
            });
  }

  /** Whether {@code notification.sent}'s schema accepts a notification of this topic. */
  static boolean schemaAccepts(String topic) {
    NotificationSent sample =
        new NotificationSent(
            "00000000-0000-0000-0000-000000000000",
            "order-1",
            Channel.EMAIL.wire(),
            "reader@example.com",
            topic,
            Instant.EPOCH);
    return EventSchemas.validate(
            EventTypes.NOTIFICATION_SENT, EventJson.mapper().valueToTree(sample))
        .isEmpty();
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
