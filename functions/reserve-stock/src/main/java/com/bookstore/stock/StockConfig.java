package com.bookstore.stock;

import io.smallrye.config.ConfigMapping;
import java.time.Duration;

@ConfigMapping(prefix = "reserve-stock")
public interface StockConfig {
  /** How long a hold lasts when the reserve command does not say. */
  Duration defaultHold();
}
