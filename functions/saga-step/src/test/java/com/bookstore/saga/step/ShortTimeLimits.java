package com.bookstore.saga.step;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Authorization, commit and capture overdue after a fraction of a second, so tests see it. */
public class ShortTimeLimits implements QuarkusTestProfile {
  static final String LIMIT = "PT0.3S";

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "saga.order.time-limit.authorize-payment", LIMIT,
        "saga.order.time-limit.commit-stock", LIMIT,
        "saga.order.time-limit.capture-payment", LIMIT);
  }
}
