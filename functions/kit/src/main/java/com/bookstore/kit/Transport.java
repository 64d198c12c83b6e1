package com.bookstore.kit;

/** How an event arrived, so an error can name the header or attribute exactly as it was sent. */
public enum Transport {
  HTTP("ce-", "Content-Type"),
  KAFKA("ce_", "content-type");

  private final String prefix;
  private final String contentTypeHeader;

  Transport(String prefix, String contentTypeHeader) {
    this.prefix = prefix;
    this.contentTypeHeader = contentTypeHeader;
  }

  /** {@code ce-} over HTTP, {@code ce_} on Kafka. */
  public String prefix() {
    return prefix;
  }

  public String contentTypeHeader() {
    return contentTypeHeader;
  }
}
