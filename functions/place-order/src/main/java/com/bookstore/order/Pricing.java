package com.bookstore.order;

import com.bookstore.catalog.grpc.Price;
import com.bookstore.events.delivery.DeliveryAddress;
import com.bookstore.events.order.OrderLine;
import com.bookstore.events.payment.Money;
import com.bookstore.kit.Problem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Prices a cart with the catalog's answer: each line at its unit price, and the total. */
public final class Pricing {
  private Pricing() {}

  /**
   * A cart with prices: what the order stores and order.placed carries.
   *
   * @param delivery where to deliver, with its zone; null for an order collected at the shop
   */
  public record PricedCart(
      List<OrderLine> lines, Money total, String paymentMethod, DeliveryAddress delivery) {
    public PricedCart {
      lines = List.copyOf(lines);
    }

    public PricedCart(List<OrderLine> lines, Money total, String paymentMethod) {
      this(lines, total, paymentMethod, null);
    }
  }

  /**
   * The priced cart, or an {@link OrderProblem} (422) naming every book the catalog does not know
   * (an ISBN it left out of its answer counts as unknown).
   */
  public static PricedCart price(Cart cart, List<Price> prices) {
    Map<String, Price> byIsbn = new HashMap<>();
    prices.forEach(p -> byIsbn.put(p.getIsbn(), p));
    List<String> unknown = new ArrayList<>();
    List<Problem.FieldError> errors = new ArrayList<>();
    for (Cart.Line line : cart.lines()) {
      Price p = byIsbn.get(line.isbn());
      if (p == null || !p.getFound()) {
        unknown.add(line.isbn());
        errors.add(
            new Problem.FieldError(
                "body",
                line.pointer() + "/isbn",
                "no book with ISBN " + line.isbn() + " in the catalog"));
      }
    }
    if (!unknown.isEmpty()) {
      throw OrderProblem.unknownBooks(unknown, errors);
    }
    String currency = byIsbn.get(cart.lines().get(0).isbn()).getCurrency();
    List<OrderLine> lines = new ArrayList<>();
    List<Problem.FieldError> otherCurrency = new ArrayList<>();
    long total = 0;
    for (Cart.Line line : cart.lines()) {
      Price p = byIsbn.get(line.isbn());
      if (!p.getCurrency().equals(currency)) {
        otherCurrency.add(
            new Problem.FieldError(
                "body",
                line.pointer() + "/isbn",
                "priced in " + p.getCurrency() + ", the cart's first book in " + currency));
        continue;
      }
      lines.add(new OrderLine(line.isbn(), line.quantity(), new Money(p.getCents(), currency)));
      // 100 lines x 1000 copies cannot overflow a long at any sane price; exact anyway.
      total = Math.addExact(total, Math.multiplyExact(p.getCents(), (long) line.quantity()));
    }
    if (!otherCurrency.isEmpty()) {
      throw OrderProblem.mixedCurrencies(otherCurrency);
    }
    return new PricedCart(lines, new Money(total, currency), cart.paymentMethod(), cart.delivery());
  }
}
