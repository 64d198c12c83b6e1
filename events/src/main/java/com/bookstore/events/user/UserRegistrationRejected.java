package com.bookstore.events.user;

/** Fact: a registration was refused, with a machine-readable reason and a sentence for people. */
public record UserRegistrationRejected(String email, Reason reason, String message) {

  public enum Reason {
    INVALID_EMAIL("invalid-email"),
    WEAK_PASSWORD("weak-password"),
    EMAIL_TAKEN("email-taken");

    private final String code;

    Reason(String code) {
      this.code = code;
    }

    @com.fasterxml.jackson.annotation.JsonValue
    public String code() {
      return code;
    }
  }
}
