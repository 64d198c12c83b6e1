package com.bookstore.user;

import static com.bookstore.kit.testing.CloudEventRequest.event;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.bookstore.events.EventTypes;
import com.bookstore.events.user.RegisterUser;
import com.bookstore.kit.testing.CloudEventRequest;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;

/**
 * register-user over HTTP CloudEvents (binary and structured), against real PostgreSQL and Redis.
 */
@QuarkusTest
class RegisterUserHttpTest {

  static final String PASSWORD = "Correct-Horse-42";

  @Inject AgroalDataSource db;

  static String newEmail() {
    return "reader-" + UUID.randomUUID() + "@example.com";
  }

  static CloudEventRequest registration(String email) {
    return event(EventTypes.USER_REGISTER).data(new RegisterUser(email, PASSWORD, "A Reader"));
  }

  int accounts(String email) throws Exception {
    return accounts(db, email);
  }

  static int accounts(AgroalDataSource db, String email) throws Exception {
    try (Connection c = db.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "select count(*) from users.user_account where email_normalized = ?")) {
      s.setString(1, email.toLowerCase());
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getInt(1);
      }
    }
  }

  @Test
  void registersOverBinaryCloudEventAndAnswersUserRegistered() throws Exception {
    String email = newEmail();
    CloudEventRequest request = registration(email).attribute("partitionkey", "signup-1");
    request
        .post()
        .then()
        .statusCode(200)
        .header("ce-type", EventTypes.USER_REGISTERED)
        .header("ce-source", "/bookstore/functions/register-user")
        .header("ce-specversion", "1.0")
        .header("ce-id", notNullValue())
        .header("ce-partitionkey", "signup-1")
        .header("ce-dataschema", containsString(EventTypes.USER_REGISTERED))
        .body("email", equalTo(email))
        .body("userId", notNullValue());
    assertEquals(1, accounts(email));
  }

  @Test
  void registersOverStructuredCloudEvent() throws Exception {
    String email = newEmail();
    registration(email)
        .structured()
        .post()
        .then()
        .statusCode(200)
        .header("ce-type", EventTypes.USER_REGISTERED)
        .body("email", equalTo(email));
    assertEquals(1, accounts(email));
  }

  @Test
  void storesAHashNotThePassword() throws Exception {
    String email = newEmail();
    registration(email).post().then().statusCode(200);
    try (Connection c = db.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "select password_hash from users.user_account where email_normalized = ?")) {
      s.setString(1, email);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        String hash = r.getString(1);
        org.junit.jupiter.api.Assertions.assertTrue(hash.startsWith("$2"), "not bcrypt: " + hash);
        org.junit.jupiter.api.Assertions.assertFalse(hash.contains(PASSWORD));
      }
    }
  }

  @Test
  void sameEventDeliveredTwiceGivesOneUserAndTheSameAnswer() throws Exception {
    String email = newEmail();
    CloudEventRequest request = registration(email);
    Response first = request.post();
    Response second = request.post();
    first.then().statusCode(200).header("ce-type", EventTypes.USER_REGISTERED);
    second.then().statusCode(200);
    assertEquals(first.header("ce-id"), second.header("ce-id"));
    assertEquals(first.header("ce-time"), second.header("ce-time"));
    assertEquals(first.body().asString(), second.body().asString());
    assertEquals(1, accounts(email));
  }

  @Test
  void sameEventDeliveredTwiceAtOnceGivesOneUserAndTheSameAnswer() throws Exception {
    String email = newEmail();
    CloudEventRequest request = registration(email);
    CyclicBarrier start = new CyclicBarrier(2);
    List<CompletableFuture<Response>> deliveries =
        List.of(1, 2).stream()
            .map(
                i ->
                    CompletableFuture.supplyAsync(
                        () -> {
                          try {
                            start.await();
                          } catch (Exception e) {
                            throw new IllegalStateException(e);
                          }
                          return request.post();
                        }))
            .toList();
    Response a = deliveries.get(0).get();
    Response b = deliveries.get(1).get();
    a.then().statusCode(200).header("ce-type", EventTypes.USER_REGISTERED);
    b.then().statusCode(200).header("ce-type", EventTypes.USER_REGISTERED);
    assertEquals(a.header("ce-id"), b.header("ce-id"));
    assertEquals(a.body().asString(), b.body().asString());
    assertEquals(1, accounts(email));
  }

  @Test
  void duplicateEmailIsRejectedAsEmailTaken() throws Exception {
    String email = newEmail();
    registration(email).post().then().statusCode(200);
    registration(email.toUpperCase())
        .post()
        .then()
        .statusCode(200)
        .header("ce-type", EventTypes.USER_REGISTRATION_REJECTED)
        .body("reason", equalTo("email-taken"));
    assertEquals(1, accounts(email));
  }

  @Test
  void weakPasswordIsRejectedWithTheReason() throws Exception {
    String email = newEmail();
    event(EventTypes.USER_REGISTER)
        .data(new RegisterUser(email, "short", null))
        .post()
        .then()
        .statusCode(200)
        .header("ce-type", EventTypes.USER_REGISTRATION_REJECTED)
        .body("reason", equalTo("weak-password"));
    assertEquals(0, accounts(email));
  }

  @Test
  void invalidEmailIsRejectedWithTheReason() {
    event(EventTypes.USER_REGISTER)
        .data(new RegisterUser("not-an-address", PASSWORD, null))
        .post()
        .then()
        .statusCode(200)
        .header("ce-type", EventTypes.USER_REGISTRATION_REJECTED)
        .body("reason", equalTo("invalid-email"));
  }

  // --- bad events: 4xx with RFC 9457 problem details naming what is wrong ---

  @Test
  void missingCeIdIsRefusedNamingTheHeader() {
    registration(newEmail())
        .attribute("id", null)
        .post()
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("type", containsString("invalid-cloudevent"))
        .body("status", equalTo(400))
        .body("errors.field", hasItem("ce-id"));
  }

  @Test
  void wrongSpecVersionIsRefusedNamingTheHeader() {
    registration(newEmail())
        .attribute("specversion", "0.3")
        .post()
        .then()
        .statusCode(400)
        .body("errors.field", hasItem("ce-specversion"))
        .body("errors.detail", hasItem(containsString("must be 1.0")));
  }

  @Test
  void unknownTypeIsRefusedNamingTheHeader() {
    registration(newEmail())
        .attribute("type", "com.bookstore.user.frobnicate.v1")
        .post()
        .then()
        .statusCode(400)
        .body("type", containsString("unknown-event-type"))
        .body("errors.field", hasItem("ce-type"));
  }

  @Test
  void typeOfAnotherFunctionIsRefused() {
    event(EventTypes.USER_REGISTERED)
        .data("{}")
        .post()
        .then()
        .statusCode(400)
        .body("detail", containsString("register-user does not take"));
  }

  @Test
  void invalidJsonIsRefusedNamingTheBody() {
    event(EventTypes.USER_REGISTER)
        .data("{\"email\": \"a@b.c\", ")
        .post()
        .then()
        .statusCode(400)
        .body("type", containsString("malformed-json"))
        .body("errors.in", hasItem("body"));
  }

  @Test
  void schemaViolationIsRefusedNamingTheField() {
    event(EventTypes.USER_REGISTER)
        .data("{\"password\": \"Correct-Horse-42\"}")
        .post()
        .then()
        .statusCode(400)
        .body("type", containsString("schema-violation"))
        .body("errors.field", hasItem("/email"));
  }

  @Test
  void structuredEventWithoutIdIsRefusedNamingTheAttribute() {
    registration(newEmail())
        .attribute("id", null)
        .structured()
        .post()
        .then()
        .statusCode(400)
        .body("errors.in", hasItem("attribute"))
        .body("errors.field", hasItem("id"));
  }

  @Test
  void oversizedBodyIsRefusedAsTooLarge() {
    String big = "x".repeat(300_000);
    event(EventTypes.USER_REGISTER)
        .data("{\"email\":\"a@b.co\",\"password\":\"" + big + "\"}")
        .post()
        .then()
        .statusCode(413)
        .contentType("application/problem+json")
        .body("type", containsString("payload-too-large"))
        .body("detail", containsString("262144"));
  }

  @Test
  void nonJsonContentTypeIsRefused() {
    registration(newEmail())
        .contentType("text/plain")
        .post()
        .then()
        .statusCode(415)
        .body("errors.field", hasItem("Content-Type"));
  }
}
