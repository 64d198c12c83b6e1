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

  static String login(String email, String password) {
    return given()
        .contentType(ContentType.JSON)
        .body(Map.of("email", email, "password", password))
        .post("/login")
        .then()
        .statusCode(200)
        .body("ok", equalTo(true))
        .extract()
        .path("token");
  }

  static String register() {
    String email = RegisterUserHttpTest.newEmail();
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("email", email, "password", RegisterUserHttpTest.PASSWORD))
        .post("/register")
        .then()
        .statusCode(200)
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
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("token", token))
        .post("/session")
        .then()
        .statusCode(200)
        .body("valid", equalTo(true))
        .body("email", equalTo(email))
        .body("userId", notNullValue());
  }

  @Test
  void wrongPasswordOpensNoSession() {
    String email = register();
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("email", email, "password", "Wrong-Horse-42"))
        .post("/login")
        .then()
        .statusCode(200)
        .body("ok", equalTo(false))
        .body("token", nullValue());
  }

  @Test
  void revokedSessionIsRefused() {
    String email = register();
    String token = login(email, RegisterUserHttpTest.PASSWORD);
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("token", token))
        .post("/logout")
        .then()
        .statusCode(200)
        .body("revoked", equalTo(true));
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("token", token))
        .post("/session")
        .then()
        .statusCode(200)
        .body("valid", equalTo(false));
  }

  @Test
  void malformedTokenIsNotASession() {
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("token", "not-a-token"))
        .post("/session")
        .then()
        .statusCode(200)
        .body("valid", equalTo(false));
  }
}
