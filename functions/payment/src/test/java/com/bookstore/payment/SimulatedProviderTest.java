package com.bookstore.payment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.bookstore.events.payment.AuthorizePayment;
import com.bookstore.events.payment.Money;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimulatedProviderTest {
  private final SimulatedProvider provider =
      new SimulatedProvider(
          Map.of("tok_declined", "card-declined"),
          "tok_slow",
          Duration.ofSeconds(2),
          "tok_silent",
          1000);

  private static AuthorizePayment pay(String method, long cents) {
    return new AuthorizePayment("o-1", "u-1", new Money(cents, "EUR"), method);
  }

  @Test
  void approvesAnOrdinaryPaymentAtOnce() {
    assertEquals(
        new SimulatedProvider.Approve(Duration.ZERO), provider.decide(pay("tok_visa", 999)));
  }

  @Test
  void declinesAConfiguredPaymentMethodWithItsReason() {
    assertEquals(
        new SimulatedProvider.Decline("card-declined"), provider.decide(pay("tok_declined", 1)));
  }

  @Test
  void declinesAnAmountOverTheLimit() {
    assertEquals(
        new SimulatedProvider.Decline("limit-exceeded"), provider.decide(pay("tok_visa", 1001)));
  }

  @Test
  void answersTheSlowMethodAfterTheDelay() {
    assertEquals(
        new SimulatedProvider.Approve(Duration.ofSeconds(2)), provider.decide(pay("tok_slow", 1)));
  }

  @Test
  void neverAnswersTheSilentMethod() {
    assertEquals(new SimulatedProvider.Silent(), provider.decide(pay("tok_silent", 1)));
  }
}
