package com.bookstore.events.user;

/**
 * Command: register a customer. The password travels only inside this command, is hashed on arrival
 * and is never logged (see {@link #toString()}).
 */
public record RegisterUser(String email, String password, String displayName) {
  @Override
  public String toString() {
    return "RegisterUser[email=" + email + ", password=***, displayName=" + displayName + "]";
  }
}
