package com.bookstore.order;

import static io.restassured.RestAssured.given;

import com.bookstore.kit.SessionCheck;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.redis.client.RedisAPI;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * Customers for tests: a session written into Redis exactly as register-user writes it (key and
 * JSON from the kit's {@link SessionCheck}), and requests to the order API with its token.
 */
final class Customers {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Customers() {}

  /** A logged-in customer. */
  record Customer(String userId, String email, String token) {
    RequestSpecification request() {
      return given().header("Authorization", "Bearer " + token);
    }

    Response place(Object body) {
      return request().contentType(ContentType.JSON).body(body).post("/orders");
    }

    Response place(Object body, String idempotencyKey) {
      return request()
          .header("Idempotency-Key", idempotencyKey)
          .contentType(ContentType.JSON)
          .body(body)
          .post("/orders");
    }

    Response order(String orderId) {
      return request().get("/orders/" + orderId);
    }
  }

  static Customer loggedIn(RedisAPI redis) {
    String userId = "user-" + UUID.randomUUID();
    String token = newToken();
    SessionCheck.Session session =
        new SessionCheck.Session(userId, userId + "@example.com", Instant.now().plusSeconds(900));
    redis
        .set(List.of(SessionCheck.key(token), SessionCheck.json(session), "EX", "900"))
        .await()
        .indefinitely();
    return new Customer(userId, session.email(), token);
  }

  /** Revokes the customer's session, as register-user's logout does. */
  static void logOut(RedisAPI redis, Customer customer) {
    redis.del(List.of(SessionCheck.key(customer.token()))).await().indefinitely();
  }

  static String newToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
