package com.bookstore.saga.step;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With no operator token configured the operator routes are closed, saying what opens them. */
@QuarkusTest
@TestProfile(OperatorApiDisabledTest.NoToken.class)
class OperatorApiDisabledTest {

  public static class NoToken implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("bookstore.operator.token", "");
    }
  }

  @Test
  void withoutAConfiguredTokenTheOperatorRoutesAreDisabledNamingTheSetting() {
    for (String path : new String[] {"/sagas/order-1", "/sagas?status=STUCK"}) {
      given()
          .header("Authorization", "Bearer anything")
          .get(path)
          .then()
          .statusCode(403)
          .contentType("application/problem+json")
          .body("type", equalTo("https://bookstore.example.com/problems/operator-api-disabled"))
          .body("detail", containsString("bookstore.operator.token"))
          .body("detail", containsString("BOOKSTORE_OPERATOR_TOKEN"));
    }
    given().post("/sagas/order-1/resume").then().statusCode(403);
  }
}
