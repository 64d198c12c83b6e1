package com.bookstore.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bookstore.events.payment.Money;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What the customer reads, in plain unit tests. */
class WordingTest {

  @Test
  void theSagasReasonsAreSaidInPlainWords() {
    assertEquals("some books were out of stock", Wording.reasonInWords("out-of-stock"));
    assertEquals("the payment was declined", Wording.reasonInWords("payment-declined"));
    assertEquals(
        "the payment could not be authorized in time",
        Wording.reasonInWords("authorize-payment timed out"));
    assertEquals(
        "a step of your order took too long", Wording.reasonInWords("schedule-delivery timed out"));
  }

  @Test
  void anUnknownReasonIsShownRatherThanHidden() {
    assertEquals(
        "the order could not be completed (fraud-suspected)",
        Wording.reasonInWords("fraud-suspected"));
    assertEquals("the order could not be completed", Wording.reasonInWords(null));
  }

  @Test
  void amountsUseTheCurrencysDecimals() {
    assertEquals("EUR 42.50", Wording.amount(new Money(4250, "EUR")));
    assertEquals("EUR 0.05", Wording.amount(new Money(5, "EUR")));
    assertEquals("JPY 1200", Wording.amount(new Money(1200, "JPY")));
    assertEquals("XYZ 1.00", Wording.amount(new Money(100, "XYZ")));
  }

  @Test
  void htmlEscapesWhatComesFromTheEvent() {
    Milestone m =
        new Milestone(
            Milestone.Topic.ORDER_CANCELLED,
            "<script>alert(1)</script>",
            "c-1",
            "a@example.com",
            new Money(100, "EUR"),
            "x & <y>",
            Instant.EPOCH);
    String html = Wording.html(m);
    assertFalse(html.contains("<script>"), html);
    assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), html);
    assertTrue(html.contains("(x &amp; &lt;y&gt;)"), html);
  }

  @Test
  void subjectsNameTheOrder() {
    Milestone confirmed =
        new Milestone(
            Milestone.Topic.ORDER_CONFIRMED,
            "o-7",
            "c-1",
            "a@example.com",
            new Money(100, "EUR"),
            null,
            Instant.EPOCH);
    assertEquals("Your order o-7 is confirmed", Wording.subject(confirmed));
    assertTrue(Wording.text(confirmed).contains("EUR 1.00"));
  }
}
