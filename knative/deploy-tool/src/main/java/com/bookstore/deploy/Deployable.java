package com.bookstore.deploy;

import java.util.Objects;

/**
 * How one function is deployed: what the routing table does not say. The routing table says what a
 * function takes and emits; this says who may call it, how far it scales and what it needs.
 *
 * @param function the function's name in {@code Routing.Functions}
 * @param visibility whether people call it over HTTP, or only the Broker does
 * @param scale autoscaling bounds in dev; prod overrides min and max
 * @param prodScale autoscaling bounds in prod
 * @param resources CPU and memory requests and limits of its container
 * @param postgres whether it needs PostgreSQL (then it gets the password from the Secret)
 * @param redis whether it needs Redis (sessions, idempotency ledger)
 */
public record Deployable(
    String function,
    Visibility visibility,
    Scale scale,
    Scale prodScale,
    Resources resources,
    boolean postgres,
    boolean redis) {

  public Deployable {
    Objects.requireNonNull(function, "function");
    Objects.requireNonNull(visibility, "visibility");
    Objects.requireNonNull(scale, "scale");
    Objects.requireNonNull(prodScale, "prodScale");
    Objects.requireNonNull(resources, "resources");
  }

  public Scale scale(Environment environment) {
    return environment == Environment.PROD ? prodScale : scale;
  }

  /** Who can reach the Service. */
  public enum Visibility {
    /** People and other systems call it over HTTP through the ingress. */
    PUBLIC,
    /** Only the Broker (and other in-cluster callers) call it. */
    CLUSTER_LOCAL
  }

  /**
   * Knative autoscaling bounds.
   *
   * @param min {@code min-scale}; 0 lets the Service scale to zero
   * @param max {@code max-scale}
   * @param target {@code target}: concurrent requests per pod the autoscaler aims at
   * @param scaleDownDelay {@code scale-down-delay}, a Go duration such as {@code 30s}
   */
  public record Scale(int min, int max, int target, String scaleDownDelay) {
    public Scale {
      if (min < 0 || max < 1 || min > max || target < 1) {
        throw new IllegalArgumentException(
            "scale bounds must satisfy 0 <= min <= max, max >= 1, target >= 1: " + this);
      }
      Objects.requireNonNull(scaleDownDelay, "scaleDownDelay");
    }
  }

  /** Container requests and limits, in Kubernetes quantities. */
  public record Resources(
      String cpuRequest, String memoryRequest, String cpuLimit, String memoryLimit) {}
}
