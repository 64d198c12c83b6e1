package com.bookstore.user;

import io.smallrye.config.ConfigMapping;
import java.time.Duration;

@ConfigMapping(prefix = "register-user")
public interface UserConfig {
  int bcryptCost();

  int minPasswordLength();

  /** Sessions expire this long after login; logout revokes them earlier. */
  Duration sessionTtl();
}
