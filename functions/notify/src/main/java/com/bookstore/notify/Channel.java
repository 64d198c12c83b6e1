package com.bookstore.notify;

/** How a customer is told. The wire name is the {@code channel} of {@code notification.sent}. */
public enum Channel {
  EMAIL("email"),
  WEBHOOK("webhook");

  private final String wire;

  Channel(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }
}
