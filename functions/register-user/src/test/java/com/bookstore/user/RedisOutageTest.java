package com.bookstore.user;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.bookstore.events.EventTypes;
import com.bookstore.kit.testing.CloudEventRequest;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With Redis unreachable the idempotency ledger cannot guard: the function runs unguarded and the
 * PostgreSQL guards (the command key, answer ids derived from the event) still give one account and
 * the same answer. Slower, never twice.
 */
@QuarkusTest
@TestProfile(RedisOutageTest.RedisDown.class)
class RedisOutageTest {

  @Inject AgroalDataSource db;

  public static class RedisDown implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      // Nothing listens on port 1: every Redis call fails at once.
      return Map.of(
          "quarkus.redis.hosts", "redis://127.0.0.1:1", "bookstore.kafka.direct", "false");
    }
  }

  @Test
  void redeliveryWithRedisDownStillGivesOneAccountAndTheSameAnswer() throws Exception {
    String email = RegisterUserHttpTest.newEmail();
    CloudEventRequest request = RegisterUserHttpTest.registration(email);
    Response first = request.post();
    Response second = request.post();
    first.then().statusCode(200).header("ce-type", EventTypes.USER_REGISTERED);
    second.then().statusCode(200).header("ce-type", EventTypes.USER_REGISTERED);
    assertEquals(first.header("ce-id"), second.header("ce-id"));
    assertEquals(first.jsonPath().getString("userId"), second.jsonPath().getString("userId"));
    assertEquals(1, RegisterUserHttpTest.accounts(db, email));
  }
}
