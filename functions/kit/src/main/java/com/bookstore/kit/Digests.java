package com.bookstore.kit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Hex digests of UTF-8 text, for keys that must not carry the text itself. */
public final class Digests {
  private Digests() {}

  public static String sha256Hex(String text) {
    return hex("SHA-256", text);
  }

  public static String sha1Hex(String text) {
    return hex("SHA-1", text);
  }

  private static String hex(String algorithm, String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is part of every Java runtime", e);
    }
  }
}
