package com.bookstore.deploy;

import java.util.Locale;

/** The namespaces the product is deployed to; each is a kustomize overlay and a tool option. */
public enum Environment {
  DEV("bookstore-dev"),
  PROD("bookstore-prod");

  private final String namespace;

  Environment(String namespace) {
    this.namespace = namespace;
  }

  /** The name functions see as {@code bookstore.environment} (part of Kafka consumer groups). */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public String namespace() {
    return namespace;
  }

  public static Environment of(String id) {
    for (Environment e : values()) {
      if (e.id().equals(id)) {
        return e;
      }
    }
    throw new IllegalArgumentException("unknown environment " + id + "; known: dev, prod");
  }
}
