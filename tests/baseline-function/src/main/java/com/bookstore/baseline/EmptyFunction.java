package com.bookstore.baseline;

import io.quarkus.funqy.Funq;
import java.util.Map;

/**
 * The benchmarks' yardstick: what Quarkus and Funqy cost with nothing of ours in the way. It
 * answers every event with its own data, as a binary-mode CloudEvent reply.
 */
public class EmptyFunction {

  @Funq("echo")
  public Map<String, Object> echo(Map<String, Object> data) {
    return data;
  }
}
