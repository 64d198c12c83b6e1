package com.bookstore.stock;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.OffsetDateTime;

/** One order's hold on copies (table stock.reservation, migration V1). */
@Entity
@Table(name = "reservation")
public class Reservation {

  /** Explicit, so a stuck hold is found with one query. */
  public enum Status {
    RESERVED,
    COMMITTED,
    RELEASED,
    EXPIRED
  }

  @Id
  @Column(name = "order_id")
  public String orderId;

  @Enumerated(EnumType.STRING)
  public Status status;

  /** The held lines as JSON (a list of StockLine), merged per ISBN and sorted. */
  public String items;

  @Column(name = "expires_at")
  public OffsetDateTime expiresAt;

  @Column(name = "updated_at")
  public OffsetDateTime updatedAt;

  @Version public long version;
}
