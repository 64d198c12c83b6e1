package com.bookstore.events.delivery;

/**
 * Where an order is delivered. {@code zone} is derived from the postcode by {@link Zones#of} (by
 * place-order, never by the sender) and is what couriers cover.
 */
public record DeliveryAddress(String street, String city, String postcode, String zone) {

  /** The address as the customer gave it, with its zone derived from the postcode. */
  public static DeliveryAddress of(String street, String city, String postcode) {
    return new DeliveryAddress(street.strip(), city.strip(), postcode.strip(), Zones.of(postcode));
  }
}
