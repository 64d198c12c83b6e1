package com.bookstore.notify;

import com.bookstore.events.payment.Money;
import java.math.BigDecimal;
import java.util.Currency;
import java.util.Map;

/**
 * What the customer reads: subject, plain text and HTML of each milestone's e-mail (the order's
 * confirmation or cancellation, and its delivery's news).
 */
public final class Wording {
  private Wording() {}

  /** The saga's failure reasons (the order saga's table and its timeouts) in plain words. */
  private static final Map<String, String> REASONS =
      Map.of(
          "out-of-stock", "some books were out of stock",
          "payment-declined", "the payment was declined",
          "reserve-stock timed out", "we could not set your books aside in time",
          "authorize-payment timed out", "the payment could not be authorized in time",
          // the delivered order's saga
          "no-courier", "no courier delivers to your address right now",
          "delivery-failed", "the delivery failed",
          "assign-courier timed out", "we could not find a courier in time",
          "deliver timed out", "the delivery took too long");

  public static String reasonInWords(String reason) {
    if (reason == null || reason.isBlank()) {
      return "the order could not be completed";
    }
    String words = REASONS.get(reason);
    if (words != null) {
      return words;
    }
    if (reason.endsWith(" timed out")) {
      return "a step of your order took too long";
    }
    // A reason this table does not know yet: say it as it is rather than hide it.
    return "the order could not be completed (" + reason + ")";
  }

  /** {@code EUR 42.50}: the currency's own number of decimals (JPY none, EUR two). */
  public static String amount(Money money) {
    int digits = 2;
    try {
      digits = Math.max(0, Currency.getInstance(money.currency()).getDefaultFractionDigits());
    } catch (IllegalArgumentException e) {
      // not an ISO 4217 code this runtime knows: two decimals, the common case
    }
    return money.currency() + " " + BigDecimal.valueOf(money.cents(), digits).toPlainString();
  }

  /** The courier as the customer knows them: their name, or "your courier" without one. */
  static String courier(Milestone m) {
    return m.courierName() == null || m.courierName().isBlank() ? "your courier" : m.courierName();
  }

  /** Why a delivery was reassigned or failed, as dispatch-courier says it. */
  static String deliveryReason(Milestone m) {
    return m.reason() == null || m.reason().isBlank() ? "no reason was given" : m.reason();
  }

  public static String subject(Milestone m) {
    return switch (m.topic()) {
      case ORDER_CONFIRMED -> "Your order " + m.orderId() + " is confirmed";
      case ORDER_CANCELLED -> "Your order " + m.orderId() + " was cancelled";
      case DELIVERY_ASSIGNED ->
          "A courier is on the way for your order " + m.orderId() + ": " + courier(m);
      case DELIVERY_REASSIGNED -> "A new courier for your order " + m.orderId() + ": " + courier(m);
      case DELIVERY_PICKED_UP -> "Your order " + m.orderId() + " is on its way";
      case DELIVERY_DELIVERED -> "Your order " + m.orderId() + " was delivered";
      case DELIVERY_FAILED -> "We could not deliver your order " + m.orderId();
    };
  }

  public static String text(Milestone m) {
    String body =
        switch (m.topic()) {
          case ORDER_CONFIRMED ->
              "Thank you! Your order "
                  + m.orderId()
                  + " is confirmed.\nTotal: "
                  + amount(m.total())
                  + "\n\nWe will let you know when it is on its way.";
          case ORDER_CANCELLED ->
              "We are sorry: your order "
                  + m.orderId()
                  + " ("
                  + amount(m.total())
                  + ") was cancelled because "
                  + reasonInWords(m.reason())
                  + ".\nYou have not been charged for it.";
          case DELIVERY_ASSIGNED ->
              "Good news: a courier is on the way for your order "
                  + m.orderId()
                  + ". "
                  + courier(m)
                  + " will collect it from us and bring it to you."
                  + "\n\nWe will let you know when it is picked up.";
          case DELIVERY_REASSIGNED ->
              "Your order "
                  + m.orderId()
                  + " has a new courier: "
                  + courier(m)
                  + " takes over its delivery ("
                  + deliveryReason(m)
                  + ").\n\nWe will let you know when it is picked up.";
          case DELIVERY_PICKED_UP ->
              "Your order "
                  + m.orderId()
                  + " has been picked up by the courier and is on its way to you.";
          case DELIVERY_DELIVERED ->
              "Your order " + m.orderId() + " was delivered. Enjoy your books!";
          case DELIVERY_FAILED ->
              "We are sorry: we could not deliver your order "
                  + m.orderId()
                  + ". Reason: "
                  + deliveryReason(m)
                  + ".\nYour order will be cancelled and any payment for it given back.";
        };
    return "Hello,\n\n" + body + "\n\nThe Bookstore\n";
  }

  public static String html(Milestone m) {
    String order = "<strong>" + escape(m.orderId()) + "</strong>";
    String total = m.total() == null ? "" : escape(amount(m.total()));
    String body =
        switch (m.topic()) {
          case ORDER_CONFIRMED ->
              "<p>Thank you! Your order "
                  + order
                  + " is confirmed.</p><p>Total: "
                  + total
                  + "</p><p>We will let you know when it is on its way.</p>";
          case ORDER_CANCELLED ->
              "<p>We are sorry: your order "
                  + order
                  + " ("
                  + total
                  + ") was cancelled because "
                  + escape(reasonInWords(m.reason()))
                  + ".</p><p>You have not been charged for it.</p>";
          case DELIVERY_ASSIGNED ->
              "<p>Good news: a courier is on the way for your order "
                  + order
                  + ". <strong>"
                  + escape(courier(m))
                  + "</strong> will collect it from us and bring it to you.</p>"
                  + "<p>We will let you know when it is picked up.</p>";
          case DELIVERY_REASSIGNED ->
              "<p>Your order "
                  + order
                  + " has a new courier: <strong>"
                  + escape(courier(m))
                  + "</strong> takes over its delivery ("
                  + escape(deliveryReason(m))
                  + ").</p><p>We will let you know when it is picked up.</p>";
          case DELIVERY_PICKED_UP ->
              "<p>Your order "
                  + order
                  + " has been picked up by the courier and is on its way to you.</p>";
          case DELIVERY_DELIVERED ->
              "<p>Your order " + order + " was delivered. Enjoy your books!</p>";
          case DELIVERY_FAILED ->
              "<p>We are sorry: we could not deliver your order "
                  + order
                  + ". Reason: "
                  + escape(deliveryReason(m))
                  + ".</p><p>Your order will be cancelled and any payment for it given back.</p>";
        };
    return "<html><body><p>Hello,</p>" + body + "<p>The Bookstore</p></body></html>";
  }

  /** Order ids and reasons come from events: never let them become markup. */
  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
