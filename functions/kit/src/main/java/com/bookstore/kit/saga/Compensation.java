package com.bookstore.kit.saga;

import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * How a step is undone: the command to send and the replies that answer it. The acknowledgement
 * closes the compensation; a retry reply (a participant saying "not now", e.g. a refund the
 * provider refused for the moment) sends the command again, within the saga's attempt budget.
 */
public record Compensation(String command, String acknowledgement, Set<String> retryOn) {

  public Compensation {
    Objects.requireNonNull(command, "command");
    retryOn = retryOn == null ? Set.of() : Set.copyOf(retryOn);
  }

  /** The replies of a compensation, as the table DSL spells them. */
  public record Replies(String acknowledgement, Set<String> retryOn) {
    public Replies {
      retryOn = retryOn == null ? Set.of() : Set.copyOf(retryOn);
    }

    /** Adds a reply that makes the engine send the compensation again. */
    public Replies orRetryOn(String failureType) {
      Objects.requireNonNull(failureType, "failureType");
      Set<String> more = new LinkedHashSet<>(retryOn);
      more.add(failureType);
      return new Replies(acknowledgement, more);
    }
  }
}
