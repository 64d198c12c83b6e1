package com.bookstore.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The webhook's signature and the URL notify publishes, in plain unit tests. */
class WebhookChannelTest {

  @Test
  void signatureIsHmacSha256OfTheBody() {
    // RFC 4231, test case 2
    assertEquals(
        "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
        WebhookChannel.signature(
            "Jefe", "what do ya want for nothing?".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void thePublishedUrlHasNoCredentialsOrQuery() {
    assertEquals(
        "https://hooks.example.com:8443/bookstore/orders",
        WebhookChannel.withoutCredentials(
            "https://user:pw@hooks.example.com:8443/bookstore/orders?token=s3cr3t"));
    assertEquals(
        "http://hooks.example.com/", WebhookChannel.withoutCredentials("http://hooks.example.com"));
  }
}
