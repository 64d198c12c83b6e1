package com.bookstore.user;

import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** A session dies when its TTL runs out (a short TTL here, the real Redis expiry). */
@QuarkusTest
@TestProfile(SessionExpiryTest.ShortSessions.class)
class SessionExpiryTest {

  public static class ShortSessions implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("register-user.session-ttl", "PT1S", "bookstore.kafka.direct", "false");
    }
  }

  @Test
  void sessionExpiresAfterItsTtl() {
    String email = UserSessionTest.register();
    String token = UserSessionTest.login(email, RegisterUserHttpTest.PASSWORD);
    UserSessionTest.post("/session", Map.of("token", token)).body("valid", equalTo(true));
    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () ->
                UserSessionTest.post("/session", Map.of("token", token))
                    .body("valid", equalTo(false)));
  }
}
