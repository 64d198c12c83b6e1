package com.bookstore.order;

import com.bookstore.events.EventJson;
import com.bookstore.events.delivery.DeliveryAddress;
import com.bookstore.kit.Problem;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads and checks the body of {@code POST /orders}: {@code {items: [{isbn, quantity}],
 * paymentMethod, deliveryAddress?: {street, city, postcode}}}. Every field at fault is named (as a
 * JSON Pointer) in one answer, so a client fixes its request in one round. The limits are those of
 * the order.placed schema, so an accepted order always makes a valid event.
 */
public final class OrderForm {
  public static final int MAX_LINES = 100;
  public static final int MAX_QUANTITY = 1000;
  public static final int MAX_PAYMENT_METHOD = 100;
  public static final int MAX_STREET = 200;
  public static final int MAX_CITY = 100;
  public static final int MIN_POSTCODE = 2;
  public static final int MAX_POSTCODE = 12;

  /** The order.place schema's postcode: letters and digits, spaces and hyphens after the first. */
  static final Pattern POSTCODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 -]*");

  /**
   * ISBN-13 (978/979 prefix) or ISBN-10, digits only; the last character of an ISBN-10 may be X.
   */
  static final Pattern ISBN = Pattern.compile("(97[89])?[0-9]{9}[0-9X]");

  private OrderForm() {}

  /** The cart, or an {@link OrderProblem} (400) naming every field at fault. */
  public static Cart parse(byte[] body) {
    if (body == null || body.length == 0) {
      throw OrderProblem.invalidOrder(
          List.of(
              field(
                  "/", "the body is empty; expected {items: [{isbn, quantity}], paymentMethod}")));
    }
    JsonNode json;
    try {
      json = EventJson.mapper().readTree(body);
    } catch (IOException e) {
      String where = jsonError(e);
      throw OrderProblem.of(
          Problem.Kind.MALFORMED_JSON,
          "the body is not valid JSON: " + where,
          List.of(field("/", where)));
    }
    if (json == null || !json.isObject()) {
      throw OrderProblem.invalidOrder(
          List.of(field("/", "must be a JSON object {items: [{isbn, quantity}], paymentMethod}")));
    }
    return read(json);
  }

  /**
   * The cart of a JSON object with {@code items}, {@code paymentMethod} and an optional {@code
   * deliveryAddress} (other fields are not looked at): the body of {@code POST /orders} or the data
   * of an order.place command. An {@link OrderProblem} (400) names every field at fault, {@code in:
   * body}.
   */
  static Cart read(JsonNode json) {
    List<Problem.FieldError> errors = new ArrayList<>();
    List<Cart.Line> lines = lines(json.get("items"), errors);
    String paymentMethod = paymentMethod(json.get("paymentMethod"), errors);
    DeliveryAddress delivery = deliveryAddress(json.get("deliveryAddress"), errors);
    if (!errors.isEmpty()) {
      throw OrderProblem.invalidOrder(errors);
    }
    return new Cart(lines, paymentMethod, delivery);
  }

  /**
   * The delivery address with its zone ({@link DeliveryAddress#of}), or null when there is none
   * (the order is collected at the shop). The limits are the order.place schema's; each part must
   * also hold something once stripped of surrounding spaces, as order.placed stores it.
   */
  private static DeliveryAddress deliveryAddress(JsonNode node, List<Problem.FieldError> errors) {
    if (node == null || node.isNull()) {
      return null;
    }
    String at = "/deliveryAddress";
    if (!node.isObject()) {
      errors.add(
          field(at, "must be an object {street, city, postcode}, or left out for collection"));
      return null;
    }
    int before = errors.size();
    String street = addressPart(node.get("street"), at + "/street", 1, MAX_STREET, errors);
    String city = addressPart(node.get("city"), at + "/city", 1, MAX_CITY, errors);
    String postcode =
        addressPart(node.get("postcode"), at + "/postcode", MIN_POSTCODE, MAX_POSTCODE, errors);
    if (postcode != null && !POSTCODE.matcher(postcode).matches()) {
      errors.add(
          field(
              at + "/postcode",
              "must be letters and digits (spaces and hyphens allowed after the first); got \""
                  + abbreviate(postcode)
                  + "\""));
      postcode = null;
    }
    node.fieldNames()
        .forEachRemaining(
            name -> {
              if (!List.of("street", "city", "postcode").contains(name)) {
                errors.add(
                    field(at + "/" + name, "is not part of an address {street, city, postcode}"));
              }
            });
    if (errors.size() > before) {
      return null;
    }
    try {
      return DeliveryAddress.of(street, city, postcode);
    } catch (IllegalArgumentException e) {
      errors.add(field(at + "/postcode", "has no delivery zone: " + e.getMessage()));
      return null;
    }
  }

  private static String addressPart(
      JsonNode node, String at, int min, int max, List<Problem.FieldError> errors) {
    if (node == null || node.isNull()) {
      errors.add(field(at, "is missing"));
      return null;
    }
    if (!node.isTextual()) {
      errors.add(field(at, "must be a string"));
      return null;
    }
    String value = node.asText();
    if (value.length() > max) {
      errors.add(field(at, "must be at most " + max + " characters, got " + value.length()));
      return null;
    }
    if (value.strip().length() < min) {
      errors.add(
          field(
              at,
              min == 1
                  ? "must not be empty"
                  : "must hold at least " + min + " characters besides spaces"));
      return null;
    }
    return value;
  }

  private static List<Cart.Line> lines(JsonNode items, List<Problem.FieldError> errors) {
    if (items == null || items.isNull()) {
      errors.add(
          field("/items", "is missing; expected 1 to " + MAX_LINES + " lines {isbn, quantity}"));
      return List.of();
    }
    if (!items.isArray()) {
      errors.add(field("/items", "must be an array of {isbn, quantity}"));
      return List.of();
    }
    if (items.isEmpty()) {
      errors.add(field("/items", "must hold at least one line"));
      return List.of();
    }
    if (items.size() > MAX_LINES) {
      errors.add(field("/items", "holds " + items.size() + " lines; at most " + MAX_LINES));
      return List.of();
    }
    // Repeated ISBNs are merged into the first line that names the book: one line per book.
    Map<String, Cart.Line> byIsbn = new LinkedHashMap<>();
    for (int i = 0; i < items.size(); i++) {
      String at = "/items/" + i;
      JsonNode item = items.get(i);
      if (!item.isObject()) {
        errors.add(field(at, "must be an object {isbn, quantity}"));
        continue;
      }
      String isbn = isbn(item.get("isbn"), at + "/isbn", errors);
      Integer quantity = quantity(item.get("quantity"), at + "/quantity", errors);
      if (isbn == null || quantity == null) {
        continue;
      }
      Cart.Line first = byIsbn.get(isbn);
      if (first == null) {
        byIsbn.put(isbn, new Cart.Line(isbn, quantity, at));
      } else if (first.quantity() + quantity > MAX_QUANTITY) {
        errors.add(
            field(
                at + "/quantity",
                "with "
                    + first.pointer()
                    + " (the same ISBN) makes "
                    + (first.quantity() + quantity)
                    + " copies; at most "
                    + MAX_QUANTITY));
      } else {
        byIsbn.put(isbn, new Cart.Line(isbn, first.quantity() + quantity, first.pointer()));
      }
    }
    return List.copyOf(byIsbn.values());
  }

  private static String isbn(JsonNode node, String at, List<Problem.FieldError> errors) {
    if (node == null || node.isNull()) {
      errors.add(field(at, "is missing"));
      return null;
    }
    if (!node.isTextual()) {
      errors.add(field(at, "must be a string"));
      return null;
    }
    String isbn = node.asText();
    if (!ISBN.matcher(isbn).matches()) {
      errors.add(
          field(
              at,
              "must be an ISBN-13 (978/979 and 10 digits) or an ISBN-10 (10 digits, the last may be"
                  + " X), without hyphens; got \""
                  + abbreviate(isbn)
                  + "\""));
      return null;
    }
    return isbn;
  }

  private static Integer quantity(JsonNode node, String at, List<Problem.FieldError> errors) {
    if (node == null || node.isNull()) {
      errors.add(field(at, "is missing"));
      return null;
    }
    if (!node.isIntegralNumber()) {
      errors.add(field(at, "must be a whole number from 1 to " + MAX_QUANTITY));
      return null;
    }
    if (!node.canConvertToInt() || node.asInt() < 1 || node.asInt() > MAX_QUANTITY) {
      errors.add(field(at, "must be from 1 to " + MAX_QUANTITY + ", got " + node.asText()));
      return null;
    }
    return node.asInt();
  }

  private static String paymentMethod(JsonNode node, List<Problem.FieldError> errors) {
    String at = "/paymentMethod";
    if (node == null || node.isNull()) {
      errors.add(field(at, "is missing; the payment provider's token, e.g. tok_visa"));
      return null;
    }
    if (!node.isTextual() || node.asText().isBlank()) {
      errors.add(field(at, "must be a non-empty string (the payment provider's token)"));
      return null;
    }
    if (node.asText().length() > MAX_PAYMENT_METHOD) {
      errors.add(field(at, "must be at most " + MAX_PAYMENT_METHOD + " characters"));
      return null;
    }
    return node.asText();
  }

  private static Problem.FieldError field(String pointer, String detail) {
    return new Problem.FieldError("body", pointer, detail);
  }

  private static String abbreviate(String value) {
    return value.length() <= 40 ? value : value.substring(0, 40) + "...";
  }

  private static String jsonError(IOException e) {
    if (e instanceof JsonProcessingException jpe && jpe.getLocation() != null) {
      return jpe.getOriginalMessage()
          + " at line "
          + jpe.getLocation().getLineNr()
          + ", column "
          + jpe.getLocation().getColumnNr();
    }
    return String.valueOf(e.getMessage());
  }
}
