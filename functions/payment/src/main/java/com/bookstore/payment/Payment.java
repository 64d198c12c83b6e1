package com.bookstore.payment;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.OffsetDateTime;

/** One order's payment (table payment.payment, migration V1). */
@Entity
@Table(name = "payment")
public class Payment {

  public enum Status {
    PENDING,
    AUTHORIZED,
    CAPTURED,
    DECLINED,
    REFUNDED
  }

  @Id
  @Column(name = "order_id")
  public String orderId;

  @Enumerated(EnumType.STRING)
  public Status status;

  @Column(name = "authorization_id")
  public String authorizationId;

  /** The amount held or taken; once REFUNDED, the amount given back. */
  @Column(name = "amount_cents")
  public long amountCents;

  public String currency;

  @Column(name = "decline_reason")
  public String declineReason;

  @Column(name = "updated_at")
  public OffsetDateTime updatedAt;

  @Version public long version;
}
