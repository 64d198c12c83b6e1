package com.bookstore.order;

import com.bookstore.kit.Problem;
import java.util.List;

/**
 * A refusal of an HTTP request, answered as an RFC 9457 problem. Business refusals of the order API
 * (no session, invalid cart, unknown books, catalog down) are problems, never events: nothing has
 * happened yet that anyone else needs to know.
 */
public final class OrderProblem extends RuntimeException {
  private static final String BASE = "https://bookstore.example.com/problems/";

  private final Problem problem;

  private OrderProblem(Problem problem) {
    super(problem.summary(), null, false, false);
    this.problem = problem;
  }

  public Problem problem() {
    return problem;
  }

  static OrderProblem of(
      String slug, String title, int status, String detail, List<Problem.FieldError> errors) {
    return new OrderProblem(new Problem(BASE + slug, title, status, detail, errors));
  }

  static OrderProblem of(Problem.Kind kind, String detail, List<Problem.FieldError> errors) {
    return new OrderProblem(Problem.of(kind, detail, errors));
  }

  static OrderProblem noSession() {
    return of(
        "no-session",
        "No session",
        401,
        "the bearer token is missing, malformed, expired or revoked",
        List.of());
  }

  static OrderProblem invalidOrder(List<Problem.FieldError> errors) {
    return of(
        "invalid-order", "Invalid order", 400, "the order request has invalid fields", errors);
  }

  static OrderProblem invalidHeader(String header, String detail) {
    return of(
        "invalid-order",
        "Invalid order",
        400,
        "the " + header + " header is invalid",
        List.of(new Problem.FieldError("header", header, detail)));
  }

  static OrderProblem unknownBooks(List<String> isbns, List<Problem.FieldError> errors) {
    return of(
        "unknown-books",
        "Unknown books",
        422,
        "the catalog has no book with "
            + (isbns.size() == 1 ? "ISBN " : "ISBNs ")
            + String.join(", ", isbns),
        errors);
  }

  static OrderProblem mixedCurrencies(List<Problem.FieldError> errors) {
    return of(
        "unpriceable-cart",
        "Cart cannot be priced",
        422,
        "the catalog prices these books in different currencies; order them separately",
        errors);
  }

  static OrderProblem keyReused(String key) {
    return of(
        "idempotency-key-reused",
        "Idempotency key reused",
        422,
        "this Idempotency-Key was used for a different order request; use a new key for a new"
            + " order",
        List.of(new Problem.FieldError("header", "Idempotency-Key", "already used: " + key)));
  }

  static OrderProblem notFound(String orderId) {
    return of("order-not-found", "Order not found", 404, "you have no order " + orderId, List.of());
  }

  static OrderProblem catalogUnavailable(String why) {
    return of(
        Problem.Kind.UNAVAILABLE,
        "the catalog cannot price the cart right now (" + why + "); try again shortly",
        List.of());
  }
}
