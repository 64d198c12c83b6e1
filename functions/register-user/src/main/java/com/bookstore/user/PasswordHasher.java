package com.bookstore.user;

import io.quarkus.elytron.security.common.BcryptUtil;

/** bcrypt, slow on purpose. Never call it on an event-loop thread. */
public final class PasswordHasher {
  private final int cost;
  // Compared against when the e-mail is unknown, so a login takes as long either way; made on first
  // use rather than at start-up, which it would slow by one hash.
  private volatile String dummyHash;

  public PasswordHasher(int cost) {
    this.cost = cost;
  }

  public String hash(String password) {
    return BcryptUtil.bcryptHash(password, cost);
  }

  public boolean matches(String password, String hash) {
    return BcryptUtil.matches(password, hash == null ? dummyHash() : hash);
  }

  private String dummyHash() {
    String dummy = dummyHash;
    if (dummy == null) {
      dummy = hash("not-a-real-password-" + System.nanoTime());
      dummyHash = dummy;
    }
    return dummy;
  }
}
