package com.bookstore.notify;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * One notification of one milestone on one channel (table notify.notification, migrations V1 and
 * V2).
 */
@Entity
@Table(name = "notification")
public class Notification {

  /** Explicit, so what is not sent yet is found with one query. */
  public enum Status {
    /** Claimed by a delivery that is sending it, or left by one that crashed (lease over). */
    PENDING,
    SENT,
    /** The last attempt failed; the next delivery of the fact (a retry) sends it. */
    FAILED
  }

  @Id public String id;

  @Column(name = "order_id")
  public String orderId;

  public String topic;

  /** Which one of its topic for the order: a reassignment's attempt; 0 for other milestones. */
  public int occurrence;

  public String channel;

  public String recipient;

  @Enumerated(EnumType.STRING)
  public Status status;

  public int attempts;

  @Column(name = "last_error")
  public String lastError;

  @Column(name = "lease_until")
  public OffsetDateTime leaseUntil;

  @Column(name = "created_at")
  public OffsetDateTime createdAt;

  @Column(name = "updated_at")
  public OffsetDateTime updatedAt;

  @Column(name = "sent_at")
  public OffsetDateTime sentAt;

  /**
   * The id of the one notification of this milestone on this channel: derived from the unique key,
   * so every delivery of the fact, on any instance, names the same notification (and the same
   * e-mail Message-ID).
   */
  public static String idFor(String orderId, Milestone.Topic topic, Channel channel) {
    return idFor(orderId, topic, 0, channel);
  }

  /**
   * The id of the one notification of the {@code occurrence}th milestone of this topic on this
   * channel; occurrence 0 (every milestone an order has at most once) keeps the key it always had.
   */
  public static String idFor(
      String orderId, Milestone.Topic topic, int occurrence, Channel channel) {
    String key =
        "notification\n"
            + orderId
            + "\n"
            + topic.wire()
            + (occurrence == 0 ? "" : "#" + occurrence)
            + "\n"
            + channel.wire();
    return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
  }

  /** The id of this milestone's notification on this channel. */
  public static String idFor(Milestone m, Channel channel) {
    return idFor(m.orderId(), m.topic(), m.occurrence(), channel);
  }
}
