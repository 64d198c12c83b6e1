package com.bookstore.payment;

import com.bookstore.events.payment.AuthorizePayment;
import java.time.Duration;
import java.util.Map;

/**
 * The payment provider's decision for an authorization, from the command's data and configuration
 * only (never chance), so tests and the demo can force declines, slow answers and silence.
 */
public final class SimulatedProvider {

  /** What the provider does with an authorization. */
  public sealed interface Decision permits Approve, Decline, Silent {}

  /** Approve, after {@code delay} (zero for most). */
  public record Approve(Duration delay) implements Decision {}

  public record Decline(String reason) implements Decision {}

  /** Never answer. */
  public record Silent() implements Decision {}

  private final Map<String, String> declines;
  private final String slowMethod;
  private final Duration slowDelay;
  private final String silentMethod;
  private final long maxAmountCents;

  public SimulatedProvider(
      Map<String, String> declines,
      String slowMethod,
      Duration slowDelay,
      String silentMethod,
      long maxAmountCents) {
    this.declines = Map.copyOf(declines);
    this.slowMethod = slowMethod;
    this.slowDelay = slowDelay;
    this.silentMethod = silentMethod;
    this.maxAmountCents = maxAmountCents;
  }

  public Decision decide(AuthorizePayment command) {
    String method = command.paymentMethod();
    if (declines.containsKey(method)) {
      return new Decline(declines.get(method));
    }
    if (command.amount().cents() > maxAmountCents) {
      return new Decline("limit-exceeded");
    }
    if (method.equals(silentMethod)) {
      return new Silent();
    }
    return new Approve(method.equals(slowMethod) ? slowDelay : Duration.ZERO);
  }
}
