package com.bookstore.kit.saga;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A saga declared as a table, built with a DSL that reads like one:
 *
 * <pre>{@code
 * SagaDefinition.named("order")
 *     .step("reserve-stock")
 *         .invoke(STOCK_RESERVE)
 *         .onReply(STOCK_RESERVED, advance())
 *         .onReply(STOCK_REJECTED, fail("out-of-stock"))
 *         .compensateWith(STOCK_RELEASE, acknowledgedBy(STOCK_RELEASED))
 *         .timeLimit(Duration.ofSeconds(30))
 *     .step("commit-stock")
 *         .invoke(STOCK_COMMIT)
 *         .onReply(STOCK_COMMITTED, advance())
 *         .retriable()
 *         .timeLimit(Duration.ofSeconds(30))
 *     .build();
 * }</pre>
 *
 * The table is checked when it is built, so a wrong table fails the first test that loads it rather
 * than a saga in production. Immutable.
 */
public final class SagaDefinition {

  /** Attempts per command (first send included) for retriable steps and compensations. */
  public static final int DEFAULT_MAX_ATTEMPTS = 5;

  /** What a reply type means to this saga: which step it answers, and how. */
  record Route(int step, Role role, ReplyAction action) {
    enum Role {
      STEP_REPLY,
      COMPENSATION_ACK,
      COMPENSATION_RETRY
    }
  }

  private final String name;
  private final int maxAttempts;
  private final List<StepDefinition> steps;
  private final Map<String, Route> routes;

  private SagaDefinition(
      String name, int maxAttempts, List<StepDefinition> steps, Map<String, Route> routes) {
    this.name = name;
    this.maxAttempts = maxAttempts;
    this.steps = List.copyOf(steps);
    this.routes = Map.copyOf(routes);
  }

  public static Builder named(String name) {
    return new Builder(name);
  }

  public static ReplyAction advance() {
    return new ReplyAction.Advance();
  }

  public static ReplyAction fail(String reason) {
    return new ReplyAction.Fail(reason);
  }

  public static Compensation.Replies acknowledgedBy(String acknowledgement) {
    return new Compensation.Replies(acknowledgement, null);
  }

  public String name() {
    return name;
  }

  public int maxAttempts() {
    return maxAttempts;
  }

  public List<StepDefinition> steps() {
    return steps;
  }

  public StepDefinition step(int index) {
    return steps.get(index);
  }

  /**
   * The pivot: the last step that can still fail. Once it succeeded, only retriable steps follow
   * and the saga runs to completion. Empty when every step is retriable.
   */
  public Optional<StepDefinition> pivot() {
    for (int i = steps.size() - 1; i >= 0; i--) {
      if (!steps.get(i).retriable()) {
        return Optional.of(steps.get(i));
      }
    }
    return Optional.empty();
  }

  /** Every reply type the saga listens to: what a function's trigger must let through. */
  public Set<String> replyTypes() {
    return routes.keySet();
  }

  Optional<Route> route(String replyType) {
    return Optional.ofNullable(routes.get(replyType));
  }

  @Override
  public String toString() {
    return "SagaDefinition["
        + name
        + ", steps="
        + steps.stream().map(StepDefinition::name).toList()
        + "]";
  }

  /** Starts the table: saga-wide settings, then the steps in order. */
  public static final class Builder {
    private final String name;
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private final List<StepBuilder> steps = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();

    private Builder(String name) {
      this.name = name;
    }

    /** How many times a retriable step or a compensation is sent before the saga is stuck. */
    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
      return this;
    }

    public StepBuilder step(String stepName) {
      StepBuilder step = new StepBuilder(this, stepName);
      steps.add(step);
      return step;
    }

    /**
     * Checks the whole table and reports every problem at once, so a broken table is fixed in one
     * pass.
     */
    public SagaDefinition build() {
      List<String> problems = new ArrayList<>(errors);
      if (name == null || name.isBlank()) {
        problems.add("the saga has no name");
      }
      if (maxAttempts < 1) {
        problems.add("maxAttempts must be at least 1, was " + maxAttempts);
      }
      if (steps.isEmpty()) {
        problems.add("the saga has no steps");
      }
      Map<String, String> ownerOfType = new HashMap<>();
      List<String> names = new ArrayList<>();
      String firstRetriable = null;
      for (int i = 0; i < steps.size(); i++) {
        StepBuilder s = steps.get(i);
        String where = "step '" + s.name + "'";
        if (s.name == null || s.name.isBlank()) {
          problems.add("step " + (i + 1) + " has no name");
        } else if (names.contains(s.name)) {
          problems.add("step name '" + s.name + "' is used twice");
        }
        names.add(s.name);
        if (s.command == null || s.command.isBlank()) {
          problems.add(where + " invokes no command");
        } else {
          claim(ownerOfType, s.command, where + " command", problems);
        }
        if (s.timeLimit == null) {
          problems.add(where + " has no time limit");
        } else if (s.timeLimit.isNegative() || s.timeLimit.isZero()) {
          problems.add(where + " has a time limit that is not positive: " + s.timeLimit);
        }
        if (s.replies.values().stream().noneMatch(ReplyAction.Advance.class::isInstance)) {
          problems.add(where + " has no reply that advances it");
        }
        s.replies.keySet().forEach(type -> claim(ownerOfType, type, where + " reply", problems));
        if (s.compensation != null) {
          String ack = s.compensation.acknowledgement();
          if (ack == null || ack.isBlank()) {
            problems.add(
                where
                    + " is compensated with '"
                    + s.compensation.command()
                    + "' but has no acknowledgement type");
          } else {
            claim(ownerOfType, ack, where + " compensation acknowledgement", problems);
          }
          claim(ownerOfType, s.compensation.command(), where + " compensation command", problems);
          for (String retry : s.compensation.retryOn()) {
            claim(ownerOfType, retry, where + " compensation retry reply", problems);
          }
        }
        if (s.retriable) {
          if (firstRetriable == null) {
            firstRetriable = s.name;
          }
          if (s.compensation != null) {
            problems.add(where + " is retriable (after the pivot) and cannot have a compensation");
          }
          s.replies.forEach(
              (type, action) -> {
                if (action instanceof ReplyAction.Fail) {
                  problems.add(
                      where
                          + " is retriable (after the pivot) and cannot fail, but reply '"
                          + type
                          + "' fails it");
                }
              });
        } else if (firstRetriable != null) {
          problems.add(
              where
                  + " can fail but comes after retriable step '"
                  + firstRetriable
                  + "'; steps after the pivot must all be retriable");
        }
      }
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException(
            "saga '" + name + "' is not a valid table: " + String.join("; ", problems));
      }
      return new SagaDefinition(name, maxAttempts, definitions(), routesOf(steps));
    }

    private List<StepDefinition> definitions() {
      return steps.stream()
          .map(
              s ->
                  new StepDefinition(
                      s.name,
                      s.command,
                      s.replies,
                      Optional.ofNullable(s.compensation),
                      s.timeLimit,
                      s.retriable))
          .toList();
    }

    private static Map<String, Route> routesOf(List<StepBuilder> steps) {
      Map<String, Route> routes = new HashMap<>();
      for (int i = 0; i < steps.size(); i++) {
        StepBuilder s = steps.get(i);
        int index = i;
        s.replies.forEach(
            (type, action) -> routes.put(type, new Route(index, Route.Role.STEP_REPLY, action)));
        if (s.compensation != null) {
          routes.put(
              s.compensation.acknowledgement(),
              new Route(index, Route.Role.COMPENSATION_ACK, null));
          for (String retry : s.compensation.retryOn()) {
            routes.put(retry, new Route(index, Route.Role.COMPENSATION_RETRY, null));
          }
        }
      }
      return routes;
    }

    /**
     * Every type has one meaning in the table: a reply routed to two steps, or a saga's own command
     * coming back as a reply, would make the engine guess.
     */
    private static void claim(
        Map<String, String> ownerOfType, String type, String use, List<String> problems) {
      String previous = ownerOfType.putIfAbsent(type, use);
      if (previous != null) {
        problems.add("type '" + type + "' is used twice: as " + previous + " and as " + use);
      }
    }
  }

  /** One row of the table being written. */
  public static final class StepBuilder {
    private final Builder saga;
    private final String name;
    private String command;
    private final Map<String, ReplyAction> replies = new LinkedHashMap<>();
    private Compensation compensation;
    private Duration timeLimit;
    private boolean retriable;

    private StepBuilder(Builder saga, String name) {
      this.saga = saga;
      this.name = name;
    }

    public StepBuilder invoke(String commandType) {
      if (command != null) {
        saga.errors.add("step '" + name + "' invokes two commands");
      }
      command = commandType;
      return this;
    }

    public StepBuilder onReply(String replyType, ReplyAction action) {
      Objects.requireNonNull(replyType, "replyType");
      Objects.requireNonNull(action, "action");
      if (replies.putIfAbsent(replyType, action) != null) {
        saga.errors.add("step '" + name + "' declares reply '" + replyType + "' twice");
      }
      return this;
    }

    public StepBuilder compensateWith(
        String commandType, Compensation.Replies compensationReplies) {
      Objects.requireNonNull(commandType, "commandType");
      if (compensation != null) {
        saga.errors.add("step '" + name + "' has two compensations");
      }
      compensation =
          compensationReplies == null
              ? new Compensation(commandType, null, null)
              : new Compensation(
                  commandType,
                  compensationReplies.acknowledgement(),
                  compensationReplies.retryOn());
      return this;
    }

    /** Marks a step after the pivot: it cannot fail, so it is retried until it succeeds. */
    public StepBuilder retriable() {
      retriable = true;
      return this;
    }

    /** How long the command, and later its compensation, may go unanswered. */
    public StepBuilder timeLimit(Duration limit) {
      if (timeLimit != null) {
        saga.errors.add("step '" + name + "' has two time limits");
      }
      timeLimit = limit;
      return this;
    }

    public StepBuilder step(String stepName) {
      return saga.step(stepName);
    }

    public SagaDefinition build() {
      return saga.build();
    }
  }
}
