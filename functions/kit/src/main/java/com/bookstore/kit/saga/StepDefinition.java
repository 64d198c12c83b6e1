package com.bookstore.kit.saga;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One row of a saga table: the command the step sends, the replies that advance or fail it, how it
 * is undone, and how long its command (and its compensation) may go unanswered.
 *
 * <p>A <em>retriable</em> step comes after the pivot: once the pivot succeeded the saga can only go
 * forward, so a retriable step cannot fail and has nothing to undo; a missing reply sends its
 * command again until the attempt budget is used up, and then the saga is {@link SagaStatus#STUCK}.
 */
public record StepDefinition(
    String name,
    String command,
    Map<String, ReplyAction> replies,
    Optional<Compensation> compensation,
    Duration timeLimit,
    boolean retriable) {

  public StepDefinition {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(compensation, "compensation");
    Objects.requireNonNull(timeLimit, "timeLimit");
    // Declaration order is kept so error messages and documentation read like the table.
    replies = Collections.unmodifiableMap(new LinkedHashMap<>(replies));
  }

  /** Whether some reply of this step fails the saga. */
  public boolean canFail() {
    return replies.values().stream().anyMatch(ReplyAction.Fail.class::isInstance);
  }
}
