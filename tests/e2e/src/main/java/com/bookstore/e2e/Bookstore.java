package com.bookstore.e2e;

import com.bookstore.events.Routing;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The bookstore's HTTP APIs as the end-to-end runs call them, one method per call, against apps on
 * {@code 127.0.0.1} at the ports of {@link App#BOOKSTORE} (or others given). Answers are {@link
 * Http.Response}s; the methods that need a particular status say so and fail naming the answer.
 */
public final class Bookstore {
  private final Http http;
  private final Function<String, URI> urls;

  /**
   * @param urls the base URL of each function by name
   */
  public Bookstore(Http http, Function<String, URI> urls) {
    this.http = http;
    this.urls = urls;
  }

  /** The apps on their usual local ports. */
  public static Bookstore local(Http http) {
    return new Bookstore(http, f -> App.named(f).url());
  }

  /** The apps that {@code apps} runs. */
  public static Bookstore of(Http http, Apps apps) {
    return new Bookstore(http, apps::url);
  }

  public URI url(String function, String path) {
    return urls.apply(function).resolve(path);
  }

  // --- register-user -------------------------------------------------------------------------

  /** {@code POST /register}; 200 with the new user, or the refusal as answered. */
  public Http.Response register(String email, String password, String displayName) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("email", email);
    body.put("password", password);
    body.put("displayName", displayName);
    return http.postJson(url(Routing.Functions.REGISTER_USER, "/register"), body);
  }

  /** {@code POST /login}; the session token. */
  public String login(String email, String password) {
    Http.Response r =
        http.postJson(
            url(Routing.Functions.REGISTER_USER, "/login"),
            Map.of("email", email, "password", password));
    String token = r.text("token");
    if (!r.ok() || token == null) {
      throw new IllegalStateException(
          "login of " + email + " failed: HTTP " + r.status() + " " + Http.abbreviate(r.body()));
    }
    return token;
  }

  // --- catalog -------------------------------------------------------------------------------

  /** {@code POST /admin/books}: bulk upsert of books given as JSON (the seed's format). */
  public Http.Response upsertBooks(JsonNode books, String adminToken) {
    return http.postJson(
        url(Routing.Functions.CATALOG, "/admin/books"),
        books,
        "Authorization",
        "Bearer " + adminToken);
  }

  // --- reserve-stock -------------------------------------------------------------------------

  public CompletableFuture<Http.Response> restock(String isbn, int quantity) {
    return http.postJsonAsync(
        url(Routing.Functions.RESERVE_STOCK, "/restock"),
        Map.of("isbn", isbn, "quantity", quantity));
  }

  /** {@code POST /stock-level}: {@code {onHand, reserved, available}}. */
  public CompletableFuture<Http.Response> stockLevel(String isbn) {
    return http.postJsonAsync(
        url(Routing.Functions.RESERVE_STOCK, "/stock-level"), Map.of("isbn", isbn));
  }

  // --- payment -------------------------------------------------------------------------------

  /** {@code POST /payment-status}: the payment row of an order. */
  public CompletableFuture<Http.Response> paymentStatus(String orderId) {
    return http.postJsonAsync(
        url(Routing.Functions.PAYMENT, "/payment-status"), Map.of("orderId", orderId));
  }

  // --- place-order ---------------------------------------------------------------------------

  /** One line of an order: {@code {isbn, quantity}}. */
  public record Line(String isbn, int quantity) {}

  /** {@code POST /orders} as the customer with that session token; 202 {@code {orderId, ...}}. */
  public CompletableFuture<Http.Response> placeOrder(
      String token, List<Line> items, String paymentMethod) {
    return http.postJsonAsync(
        url(Routing.Functions.PLACE_ORDER, "/orders"),
        Map.of("items", items, "paymentMethod", paymentMethod),
        "Authorization",
        "Bearer " + token);
  }

  /** A delivery address as {@code POST /orders} takes it; place-order derives the zone. */
  public record Address(String street, String city, String postcode) {}

  /** {@code POST /orders} for delivery to {@code address}. */
  public CompletableFuture<Http.Response> placeOrder(
      String token, List<Line> items, String paymentMethod, Address address) {
    return http.postJsonAsync(
        url(Routing.Functions.PLACE_ORDER, "/orders"),
        Map.of("items", items, "paymentMethod", paymentMethod, "deliveryAddress", address),
        "Authorization",
        "Bearer " + token);
  }

  /** {@code GET /orders/{id}}: status, reason, history. */
  public Http.Response order(String orderId, String token) {
    return http.get(
        url(Routing.Functions.PLACE_ORDER, "/orders/" + orderId),
        "Authorization",
        "Bearer " + token);
  }

  // --- dispatch-courier ---------------------------------------------------------------------

  /** {@code GET /deliveries/{orderId}}: state, courier, attempts, last location, steps. */
  public Http.Response delivery(String orderId) {
    return http.get(url(Routing.Functions.DISPATCH_COURIER, "/deliveries/" + orderId));
  }

  /** {@code GET /couriers}: every courier with zones, capacity, availability and load. */
  public Http.Response couriers() {
    return http.get(url(Routing.Functions.DISPATCH_COURIER, "/couriers"));
  }

  /** {@code PUT /admin/couriers/{id}}: adds (201) or changes (200) a courier. */
  public Http.Response putCourier(
      String courierId, String name, List<String> zones, int capacity, String token) {
    return http.putJson(
        url(Routing.Functions.DISPATCH_COURIER, "/admin/couriers/" + courierId),
        Map.of("name", name, "zones", zones, "capacity", capacity),
        "Authorization",
        "Bearer " + token);
  }

  /** {@code PUT /admin/couriers/{id}/availability} with the dispatch admin token. */
  public Http.Response courierAvailability(String courierId, boolean available, String token) {
    return http.putJson(
        url(Routing.Functions.DISPATCH_COURIER, "/admin/couriers/" + courierId + "/availability"),
        Map.of("available", available),
        "Authorization",
        "Bearer " + token);
  }

  // --- every function --------------------------------------------------------------------------

  /** {@code GET /kit/stats}: {@code {function, processed, duplicates, deadLettered, ...}}. */
  public Http.Response kitStats(String function) {
    return http.get(url(function, "/kit/stats"));
  }
}
