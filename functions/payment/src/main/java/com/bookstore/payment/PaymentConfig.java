package com.bookstore.payment;

import io.smallrye.config.ConfigMapping;
import java.time.Duration;
import java.util.Map;

/**
 * The simulated provider's behaviour, driven by the command's data (see application.properties).
 */
@ConfigMapping(prefix = "payment")
public interface PaymentConfig {
  /** Payment-method token -> decline reason. */
  Map<String, String> decline();

  /** The token whose authorization answers only after {@link #slowDelay()}. */
  String slowMethod();

  Duration slowDelay();

  /** The token whose authorization is never answered (the saga's time limit must handle it). */
  String silentMethod();

  /** Larger authorizations are declined as {@code limit-exceeded}. */
  long maxAmountCents();
}
