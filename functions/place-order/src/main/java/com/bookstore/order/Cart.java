package com.bookstore.order;

import com.bookstore.events.delivery.DeliveryAddress;
import com.bookstore.kit.Digests;
import java.util.List;

/**
 * A validated order request: one line per book (repeated ISBNs merged), and the customer's payment
 * method token.
 *
 * @param lines the books, in the order the customer first listed them
 * @param paymentMethod the payment provider's token (never card data)
 * @param delivery where to deliver, with its zone; null for an order collected at the shop
 */
public record Cart(List<Line> lines, String paymentMethod, DeliveryAddress delivery) {

  /** An order collected at the shop. */
  public Cart(List<Line> lines, String paymentMethod) {
    this(lines, paymentMethod, null);
  }

  /**
   * @param isbn ISBN-10 or ISBN-13, digits only (an ISBN-10 may end in X)
   * @param quantity 1..1000 copies
   * @param pointer where the line first appears in the request ({@code /items/2}), for errors
   */
  public record Line(String isbn, int quantity, String pointer) {}

  public Cart {
    lines = List.copyOf(lines);
  }

  public List<String> isbns() {
    return lines.stream().map(Line::isbn).toList();
  }

  /**
   * A fingerprint of what was asked for. A repeat under the same Idempotency-Key must ask for the
   * same thing; a different request under a used key is refused rather than silently answered with
   * the other order.
   */
  public String fingerprint() {
    StringBuilder text = new StringBuilder(paymentMethod).append('\n');
    lines.forEach(l -> text.append(l.isbn()).append(' ').append(l.quantity()).append('\n'));
    if (delivery != null) {
      // Only with an address, so the fingerprints of orders collected at the shop stay as they
      // were.
      text.append("deliver to\n")
          .append(delivery.street())
          .append('\n')
          .append(delivery.city())
          .append('\n')
          .append(delivery.postcode())
          .append('\n');
    }
    return Digests.sha256Hex(text.toString());
  }
}
