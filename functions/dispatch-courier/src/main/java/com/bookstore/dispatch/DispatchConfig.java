package com.bookstore.dispatch;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** dispatch-courier's settings ({@code dispatch.*} in application.properties). */
@ConfigMapping(prefix = "dispatch")
public interface DispatchConfig {

  /** How long a courier has to pick up a dispatched order before it is reassigned. */
  @WithDefault("PT10M")
  Duration pickupTimeLimit();

  /** Couriers tried per delivery, the first included; then the delivery fails. */
  @WithDefault("3")
  int maxAttempts();

  /** The admin API's bearer token; empty closes the admin API. */
  Optional<String> adminToken();

  /** Whether the demo's couriers are loaded at start. */
  @WithDefault("true")
  boolean seed();
}
