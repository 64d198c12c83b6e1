package com.bookstore.kit;

/**
 * A CloudEvent as it was read off a transport, remembering the transport and mode so that errors
 * name what the sender actually wrote ({@code ce-type}, {@code ce_type} or attribute {@code type}).
 */
public record Decoded(CloudEvent event, Transport transport, boolean structured) {

  public Problem.FieldError attributeError(String attribute, String detail) {
    return CloudEventCodec.attributeError(transport, structured, attribute, detail);
  }
}
