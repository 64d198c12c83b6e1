package com.bookstore.deploy;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

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
 * @param secrets further keys of Secret {@code bookstore-secrets} it reads as environment variables
 *     of the same name (an admin token, SMTP credentials)
 * @param grpc its gRPC API, served by a second Service, or null when it has none
 */
public record Deployable(
    String function,
    Visibility visibility,
    Scale scale,
    Scale prodScale,
    Resources resources,
    boolean postgres,
    boolean redis,
    List<String> secrets,
    Grpc grpc) {

  public Deployable {
    Objects.requireNonNull(function, "function");
    Objects.requireNonNull(visibility, "visibility");
    Objects.requireNonNull(scale, "scale");
    Objects.requireNonNull(prodScale, "prodScale");
    Objects.requireNonNull(resources, "resources");
    secrets = List.copyOf(secrets);
  }

  /** A function with no secrets of its own and no gRPC API. */
  public Deployable(
      String function,
      Visibility visibility,
      Scale scale,
      Scale prodScale,
      Resources resources,
      boolean postgres,
      boolean redis) {
    this(function, visibility, scale, prodScale, resources, postgres, redis, List.of(), null);
  }

  public Scale scale(Environment environment) {
    return environment == Environment.PROD ? prodScale : scale;
  }

  public Optional<Grpc> grpcApi() {
    return Optional.ofNullable(grpc);
  }

  /**
   * A gRPC API. A Knative Service exposes exactly one port, and the function's Funqy HTTP server
   * and its gRPC server are separate Vert.x servers on separate ports, so the gRPC API is a second
   * Service from the same image whose one port is the gRPC server's, named {@code h2c}.
   *
   * @param port the gRPC server's port ({@code quarkus.grpc.server.port})
   * @param scale autoscaling bounds of the gRPC Service in dev
   * @param prodScale autoscaling bounds of the gRPC Service in prod
   */
  public record Grpc(int port, Scale scale, Scale prodScale) {
    public Grpc {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("not a port: " + port);
      }
      Objects.requireNonNull(scale, "scale");
      Objects.requireNonNull(prodScale, "prodScale");
    }

    public Scale scale(Environment environment) {
      return environment == Environment.PROD ? prodScale : scale;
    }
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
