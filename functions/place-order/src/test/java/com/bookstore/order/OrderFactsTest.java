package com.bookstore.order;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bookstore.events.EventJson;
import com.bookstore.events.EventTypes;
import com.bookstore.events.order.OrderCancelled;
import com.bookstore.events.payment.Money;
import com.bookstore.events.payment.PaymentRefunded;
import com.bookstore.events.saga.SagaFailed;
import com.bookstore.events.stock.StockRejected;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class OrderFactsTest {

  private static OrderFacts.Fact read(String type, Object data) {
    return OrderFacts.read(type, EventJson.mapper().valueToTree(data)).orElseThrow();
  }

  @Test
  void aFailedOrderSagaMovesTheOrderToCancelling() {
    OrderFacts.Fact fact =
        read(
            EventTypes.SAGA_FAILED,
            new SagaFailed("o-1", "order", "reserve-stock", "out-of-stock"));
    assertEquals("o-1", fact.orderId());
    assertEquals(OrderStatus.CANCELLING, fact.moveTo());
    assertTrue(fact.detail().startsWith("reserve-stock failed: out-of-stock"), fact.detail());
    assertNull(fact.reason());
  }

  @Test
  void aFailureOfAnotherSagaIsNotAboutAnOrder() {
    assertTrue(
        OrderFacts.read(
                EventTypes.SAGA_FAILED,
                EventJson.mapper()
                    .valueToTree(new SagaFailed("o-1", "delivery", "schedule-courier", "none")))
            .isEmpty());
    // A changed order table keeps its facts.
    assertTrue(
        OrderFacts.read(
                EventTypes.SAGA_FAILED,
                EventJson.mapper().valueToTree(new SagaFailed("o-1", "order-v2", "x", "y")))
            .isPresent());
  }

  @Test
  void aCancellationCarriesItsReason() {
    OrderFacts.Fact fact =
        read(
            EventTypes.ORDER_CANCELLED,
            new OrderCancelled(
                "o-1",
                "c",
                "c@example.com",
                new Money(100, "EUR"),
                "payment-declined",
                Instant.now()));
    assertEquals(OrderStatus.CANCELLED, fact.moveTo());
    assertEquals("payment-declined", fact.reason());
    assertEquals("order cancelled: payment-declined", fact.detail());
  }

  @Test
  void participantsRepliesOnlyAddHistory() {
    OrderFacts.Fact rejected =
        read(
            EventTypes.STOCK_REJECTED,
            new StockRejected(
                "o-1", "out-of-stock", List.of(new StockRejected.Shortage("9780000000001", 3, 1))));
    assertNull(rejected.moveTo());
    assertEquals("stock refused: out-of-stock: 9780000000001 (3 asked, 1 left)", rejected.detail());
    OrderFacts.Fact refunded =
        read(EventTypes.PAYMENT_REFUNDED, new PaymentRefunded("o-1", new Money(1999, "EUR")));
    assertNull(refunded.moveTo());
    assertEquals("19.99 EUR given back", refunded.detail());
  }

  @Test
  void moneyIsShownInTheCurrencysUnits() {
    assertEquals("12.50 EUR", OrderFacts.money(new Money(1250, "EUR")));
    assertEquals("1250 JPY", OrderFacts.money(new Money(1250, "JPY")));
  }

  @Test
  void aLongDetailIsShortenedToFitItsColumn() {
    OrderFacts.Fact fact = new OrderFacts.Fact("o", "x".repeat(500), null, null);
    assertEquals(OrderFacts.MAX_DETAIL, fact.detail().length());
  }
}
