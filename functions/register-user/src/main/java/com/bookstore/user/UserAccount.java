package com.bookstore.user;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A customer account (table users.user_account, migration V1). */
@Entity
@Table(name = "user_account")
public class UserAccount extends PanacheEntityBase {
  @Id public UUID id;

  public String email;

  @Column(name = "email_normalized")
  public String emailNormalized;

  @Column(name = "password_hash")
  public String passwordHash;

  @Column(name = "display_name")
  public String displayName;

  @Column(name = "registered_at")
  public OffsetDateTime registeredAt;

  @Column(name = "command_key")
  public String commandKey;

  @Version public long version;
}
