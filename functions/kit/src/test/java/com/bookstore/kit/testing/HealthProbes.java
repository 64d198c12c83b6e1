package com.bookstore.kit.testing;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/** Waits on a running function's {@code /q/health/ready}, as the kubelet would probe it. */
public final class HealthProbes {
  public static final Duration WAIT = Duration.ofSeconds(60);

  private HealthProbes() {}

  /** Returns once readiness answers 200 (every check UP). */
  public static void awaitReady() {
    await("readiness UP")
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
  }

  /** Waits for a 503 in which {@code check} is DOWN, and returns that answer's body. */
  public static JsonPath awaitNotReady(String check) {
    AtomicReference<JsonPath> body = new AtomicReference<>();
    await(check + " DOWN")
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              Response r = given().get("/q/health/ready");
              if (r.statusCode() == 503 && "DOWN".equals(status(r.jsonPath(), check))) {
                body.set(r.jsonPath());
                return true;
              }
              return false;
            });
    return body.get();
  }

  /** The status of one named check in a health answer, or null if it is not there. */
  public static String status(JsonPath health, String check) {
    return health.getString("checks.find { it.name == '" + check + "' }.status");
  }

  /** One data field of a named check. */
  public static String data(JsonPath health, String check, String key) {
    return health.getString("checks.find { it.name == '" + check + "' }.data." + key);
  }
}
