package com.bookstore.user;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import com.bookstore.events.EventTypes;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Plain JSON over Funqy HTTP: register, login, session check, logout. */
@QuarkusTest
class UserSessionTest {

  static io.restassured.response.ValidatableResponse post(String path, Map<String, String> body) {
    return given().contentType(ContentType.JSON).body(body).post(path).then().statusCode(200);
  }

  static String login(String email, String password) {
    return post("/login", Map.of("email", email, "password", password))
        .body("ok", equalTo(true))
        .extract()
        .path("token");
  }

  static String register() {
    String email = RegisterUserHttpTest.newEmail();
    post("/register", Map.of("email", email, "password", RegisterUserHttpTest.PASSWORD))
        .body("type", equalTo(EventTypes.USER_REGISTERED))
        .body("registered.email", equalTo(email));
    return email;
  }

  @Test
  void registerOverPlainJsonAnswersWithTheFact() {
    register();
  }

  @Test
  void loginOpensASessionThatTheCheckRecognises() {
    String email = register();
    String token = login(email, RegisterUserHttpTest.PASSWORD);
    post("/session", Map.of("token", token))
        .body("valid", equalTo(true))
        .body("email", equalTo(email))
        .body("userId", notNullValue());
  }

  @Test
  void wrongPasswordOpensNoSession() {
    String email = register();
    post("/login", Map.of("email", email, "password", "Wrong-Horse-42"))
        .body("ok", equalTo(false))
        .body("token", nullValue());
  }

  @Test
  void revokedSessionIsRefused() {
    String email = register();
    String token = login(email, RegisterUserHttpTest.PASSWORD);
    post("/logout", Map.of("token", token)).body("revoked", equalTo(true));
    post("/session", Map.of("token", token)).body("valid", equalTo(false));
  }

  @Test
  void bearerSessionCheckAnswersWhoTheTokenBelongsTo() {
    String email = register();
    String token = login(email, RegisterUserHttpTest.PASSWORD);
    given()
        .header("Authorization", "Bearer " + token)
        .get("/sessions/current")
        .then()
        .statusCode(200)
        .body("email", equalTo(email))
        .body("userId", notNullValue())
        .body("expiresAt", notNullValue());
  }

  @Test
  void bearerSessionCheckRefusesARevokedToken() {
    String token = login(register(), RegisterUserHttpTest.PASSWORD);
    post("/logout", Map.of("token", token));
    given()
        .header("Authorization", "Bearer " + token)
        .get("/sessions/current")
        .then()
        .statusCode(401)
        .header("WWW-Authenticate", "Bearer")
        .contentType("application/problem+json");
  }

  @Test
  void bearerSessionCheckRefusesAMissingToken() {
    given().get("/sessions/current").then().statusCode(401);
  }

  @Test
  void malformedTokenIsNotASession() {
    post("/session", Map.of("token", "not-a-token")).body("valid", equalTo(false));
  }
}
