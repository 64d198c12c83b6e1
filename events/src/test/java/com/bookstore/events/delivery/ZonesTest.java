package com.bookstore.events.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ZonesTest {

  @Test
  void aNumericPostcodesZoneIsItsFirstTwoDigits() {
    assertEquals("75", Zones.of("75011"));
    assertEquals("02", Zones.of("02134"));
    assertEquals("10", Zones.of(" 10115 "));
    assertEquals("12", Zones.of("12-345"));
  }

  @Test
  void aPostcodeThatStartsWithLettersHasThemAsItsZone() {
    assertEquals("SW", Zones.of("SW1A 1AA"));
    assertEquals("EH", Zones.of("eh8 9yl"));
    assertEquals("M", Zones.of("M1 1AE"));
    assertEquals("ABCD", Zones.of("ABCDEF1"));
  }

  @Test
  void aPostcodeWithoutLettersOrDigitsIsRefusedWithWhatIsWrong() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Zones.of("75#11"));
    assertTrue(e.getMessage().contains("75#11"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Zones.of(" "));
    assertThrows(IllegalArgumentException.class, () -> Zones.of("7"));
    assertThrows(IllegalArgumentException.class, () -> Zones.of(null));
  }

  @Test
  void anAddressCarriesTheZoneOfItsPostcode() {
    DeliveryAddress a = DeliveryAddress.of(" 12 rue de la Paix ", "Paris", "75002");
    assertEquals(new DeliveryAddress("12 rue de la Paix", "Paris", "75002", "75"), a);
  }
}
