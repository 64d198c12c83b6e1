package com.bookstore.deploy;

/** A failure the operator can act on; its message says what to do. */
public class DeployException extends RuntimeException {
  public DeployException(String message) {
    super(message);
  }
}
