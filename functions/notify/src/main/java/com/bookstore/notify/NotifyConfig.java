package com.bookstore.notify;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** notify's settings, under {@code notify.*}. Credentials come from the environment only. */
@ConfigMapping(prefix = "notify")
public interface NotifyConfig {

  /** How long one send (SMTP or webhook) may take before it counts as failed and is retried. */
  @WithDefault("PT20S")
  Duration sendTimeout();

  /**
   * How long a PENDING notification belongs to the delivery that claimed it. Longer than {@link
   * #sendTimeout()}: a PENDING row older than this was left by a crash, and is sent again.
   */
  @WithDefault("PT60S")
  Duration claimLease();

  Mail mail();

  Webhook webhook();

  interface Mail {
    /** The domain of each e-mail's Message-ID, {@code <notification-id@domain>}. */
    @WithDefault("bookstore.example.com")
    String messageIdDomain();
  }

  interface Webhook {
    /** Where to POST each milestone; none: no webhook notifications. */
    Optional<String> url();

    /** Signs each webhook body (HMAC-SHA256) when set. */
    Optional<String> secret();
  }
}
