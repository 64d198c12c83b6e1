package com.bookstore.order;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Order ids: UUIDv7 (RFC 9562), a millisecond timestamp then random bits. Time-ordered ids keep
 * inserts at the right edge of the primary-key index; the random part keeps them unguessable (a
 * customer sees only their own orders anyway).
 */
public final class OrderIds {
  private static final SecureRandom RANDOM = new SecureRandom();

  private OrderIds() {}

  public static String next() {
    return next(System.currentTimeMillis()).toString();
  }

  static UUID next(long epochMillis) {
    byte[] random = new byte[10];
    RANDOM.nextBytes(random);
    long high =
        (epochMillis & 0xFFFF_FFFF_FFFFL) << 16
            | 0x7000L
            | ((random[0] & 0x0FL) << 8)
            | (random[1] & 0xFFL);
    long low = 0x8000_0000_0000_0000L | ((random[2] & 0x3FL) << 56);
    for (int i = 3; i < 10; i++) {
      low |= (random[i] & 0xFFL) << (8 * (9 - i));
    }
    return new UUID(high, low);
  }
}
