package com.bookstore.events.order;

import java.util.List;

/**
 * Command: place an order for a customer. Sent by other systems to place-order, which owns
 * order.placed: it checks the books, prices them with the catalog (nothing the sender says about
 * prices counts, so there are none here) and announces the order. The limits are those of {@code
 * POST /orders}: 1 to 100 lines, 1 to 1000 copies of a book, repeated ISBNs merged.
 *
 * @param customerId the customer the order is for
 * @param email where the customer is told about the order
 * @param items the books and how many of each
 * @param paymentMethod the payment provider's token (never card data)
 * @param deliveryAddress where to deliver; absent for an order collected at the shop
 */
public record PlaceOrder(
    String customerId,
    String email,
    List<Item> items,
    String paymentMethod,
    Address deliveryAddress) {

  public PlaceOrder(String customerId, String email, List<Item> items, String paymentMethod) {
    this(customerId, email, items, paymentMethod, null);
  }

  /** A delivery address as the customer gives it; the zone is place-order's to derive. */
  public record Address(String street, String city, String postcode) {}

  /** A quantity of one book, by ISBN (ISBN-13 or ISBN-10, digits only). */
  public record Item(String isbn, int quantity) {}
}
