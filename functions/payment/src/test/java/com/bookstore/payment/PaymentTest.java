package com.bookstore.payment;

import static com.bookstore.kit.testing.CloudEventRequest.event;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bookstore.events.EventTypes;
import com.bookstore.events.payment.AuthorizePayment;
import com.bookstore.events.payment.CapturePayment;
import com.bookstore.events.payment.Money;
import com.bookstore.events.payment.RefundPayment;
import com.bookstore.kit.testing.CloudEventRequest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** payment over HTTP CloudEvents against the real PostgreSQL and Redis. */
@QuarkusTest
class PaymentTest {

  static String newOrder() {
    return "order-" + UUID.randomUUID();
  }

  static CloudEventRequest authorize(String order, String method, long cents) {
    return event(EventTypes.PAYMENT_AUTHORIZE)
        .attribute("partitionkey", order)
        .data(new AuthorizePayment(order, "user-1", new Money(cents, "EUR"), method));
  }

  static Response capture(String order) {
    return event(EventTypes.PAYMENT_CAPTURE).data(new CapturePayment(order)).post();
  }

  static Response refund(String order) {
    return event(EventTypes.PAYMENT_REFUND).data(new RefundPayment(order, "test")).post();
  }

  static String status(String order) {
    return given()
        .contentType(ContentType.JSON)
        .body(Map.of("orderId", order))
        .post("/payment-status")
        .then()
        .statusCode(200)
        .extract()
        .path("status");
  }

  @Test
  void authorizesThenCaptures() {
    String order = newOrder();
    authorize(order, "tok_visa", 4599)
        .post()
        .then()
        .statusCode(200)
        .header("ce-type", EventTypes.PAYMENT_AUTHORIZED)
        .header("ce-subject", order)
        .body("authorizationId", startsWith("auth-"))
        .body("amount.cents", equalTo(4599));
    capture(order)
        .then()
        .header("ce-type", EventTypes.PAYMENT_CAPTURED)
        .body("amount.currency", equalTo("EUR"));
    assertEquals("CAPTURED", status(order));
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("orderId", order))
        .post("/payment-status")
        .then()
        .statusCode(200)
        .body("amountCents", equalTo(4599))
        .body("authorizationId", startsWith("auth-"))
        .body("declineReason", nullValue())
        .body("updatedAt", notNullValue());
  }

  @Test
  void emitsPaymentDeclinedForADecliningCard() {
    String order = newOrder();
    authorize(order, "tok_declined", 100)
        .post()
        .then()
        .header("ce-type", EventTypes.PAYMENT_DECLINED)
        .body("reason", equalTo("card-declined"));
    capture(order)
        .then()
        .header("ce-type", EventTypes.PAYMENT_DECLINED)
        .body("reason", equalTo("not-authorized"));
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("orderId", order))
        .post("/payment-status")
        .then()
        .body("status", equalTo("DECLINED"))
        .body("declineReason", equalTo("card-declined"))
        .body("authorizationId", nullValue());
  }

  @Test
  void declinesOverTheLimit() {
    authorize(newOrder(), "tok_visa", 100_001)
        .post()
        .then()
        .header("ce-type", EventTypes.PAYMENT_DECLINED)
        .body("reason", equalTo("limit-exceeded"));
  }

  @Test
  void anotherDeliveryOfTheSameAuthorizationChargesOnce() {
    String order = newOrder();
    String first =
        authorize(order, "tok_visa", 500).post().then().extract().path("authorizationId");
    // A different event (new id) for the same order: the order's row, not the ledger, answers.
    String second =
        authorize(order, "tok_visa", 500).post().then().extract().path("authorizationId");
    assertEquals(first, second);
  }

  @Test
  void refundAfterCaptureGivesTheMoneyBackOnce() {
    String order = newOrder();
    authorize(order, "tok_visa", 1200).post().then().statusCode(200);
    capture(order).then().statusCode(200);
    refund(order)
        .then()
        .header("ce-type", EventTypes.PAYMENT_REFUNDED)
        .body("amount.cents", equalTo(1200));
    refund(order).then().body("amount.cents", equalTo(1200));
    assertEquals("REFUNDED", status(order));
  }

  @Test
  void refundWithNothingAuthorizedSucceedsAndALateAuthorizationIsDeclined() {
    String order = newOrder();
    refund(order)
        .then()
        .statusCode(200)
        .header("ce-type", EventTypes.PAYMENT_REFUNDED)
        .body("amount.cents", equalTo(0));
    authorize(order, "tok_visa", 700)
        .post()
        .then()
        .header("ce-type", EventTypes.PAYMENT_DECLINED)
        .body("reason", equalTo("refunded"));
  }

  @Test
  void silentProviderAnswersNothingAndTheRefundStillSucceeds() {
    String order = newOrder();
    authorize(order, "tok_no_answer", 300).post().then().statusCode(202);
    assertEquals("PENDING", status(order));
    refund(order)
        .then()
        .header("ce-type", EventTypes.PAYMENT_REFUNDED)
        .body("amount.cents", equalTo(0));
  }

  @Test
  void slowProviderAnswersAfterItsDelay() {
    long start = System.nanoTime();
    authorize(newOrder(), "tok_slow", 300)
        .post()
        .then()
        .header("ce-type", EventTypes.PAYMENT_AUTHORIZED);
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertTrue(millis >= 1900, "answered after " + millis + " ms");
  }

  @Test
  void cardDataIsRefusedByTheSchema() {
    event(EventTypes.PAYMENT_AUTHORIZE)
        .data(
            "{\"orderId\":\"o\",\"customerId\":\"u\",\"amount\":{\"cents\":1,\"currency\":\"EUR\"},"
                + "\"paymentMethod\":\"tok_visa\",\"cardNumber\":\"4111111111111111\"}")
        .post()
        .then()
        .statusCode(400)
        .body("type", org.hamcrest.Matchers.containsString("schema-violation"));
  }
}
