package com.bookstore.order;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bookstore.catalog.grpc.Price;
import com.bookstore.events.order.OrderLine;
import com.bookstore.events.payment.Money;
import com.bookstore.kit.Problem;
import java.util.List;
import org.junit.jupiter.api.Test;

class PricingTest {

  private static Price found(String isbn, long cents, String currency) {
    return Price.newBuilder()
        .setIsbn(isbn)
        .setFound(true)
        .setCents(cents)
        .setCurrency(currency)
        .build();
  }

  private static Price missing(String isbn) {
    return Price.newBuilder().setIsbn(isbn).setFound(false).build();
  }

  private static Cart cart(Cart.Line... lines) {
    return new Cart(List.of(lines), "tok_visa");
  }

  @Test
  void pricesEachLineAndAddsUpTheTotal() {
    Pricing.PricedCart priced =
        Pricing.price(
            cart(new Cart.Line("A", 3, "/items/0"), new Cart.Line("B", 1, "/items/1")),
            List.of(found("B", 899, "EUR"), found("A", 1250, "EUR")));
    assertEquals(
        List.of(
            new OrderLine("A", 3, new Money(1250, "EUR")),
            new OrderLine("B", 1, new Money(899, "EUR"))),
        priced.lines());
    assertEquals(new Money(3 * 1250 + 899, "EUR"), priced.total());
    assertEquals("tok_visa", priced.paymentMethod());
  }

  @Test
  void namesEveryUnknownBookIncludingOnesTheCatalogLeftOut() {
    OrderProblem p =
        assertThrows(
            OrderProblem.class,
            () ->
                Pricing.price(
                    cart(
                        new Cart.Line("A", 1, "/items/0"),
                        new Cart.Line("X", 1, "/items/1"),
                        new Cart.Line("Y", 1, "/items/2")),
                    List.of(found("A", 100, "EUR"), missing("X"))));
    assertEquals(422, p.problem().status());
    assertEquals(
        List.of("/items/1/isbn", "/items/2/isbn"),
        p.problem().errors().stream().map(Problem.FieldError::field).toList());
    assertTrue(p.problem().detail().contains("X, Y"), p.problem().detail());
  }

  @Test
  void refusesACartPricedInTwoCurrencies() {
    OrderProblem p =
        assertThrows(
            OrderProblem.class,
            () ->
                Pricing.price(
                    cart(new Cart.Line("A", 1, "/items/0"), new Cart.Line("B", 1, "/items/1")),
                    List.of(found("A", 100, "EUR"), found("B", 100, "USD"))));
    assertTrue(p.problem().type().endsWith("/unpriceable-cart"));
    assertEquals("/items/1/isbn", p.problem().errors().get(0).field());
  }
}
