package com.bookstore.kit.health;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * One dependency probe behind a readiness check, run at most once at a time and remembered for a
 * short while. Probes arrive from the kubelet, Knative's queue-proxy and operators, often together;
 * a dependency that hangs must not collect one waiting call per probe. So: a probe runs only when
 * the last result is older than {@code cacheFor}; a probe that arrives while one is running waits
 * for that one; and a running probe gives up after {@code timeout}, reporting DOWN with "timed
 * out".
 */
public final class CachedCheck {
  private final String name;
  private final Duration timeout;
  private final Duration cacheFor;
  private final Supplier<Uni<Map<String, Object>>> probe;

  private CompletableFuture<HealthCheckResponse> running;
  private HealthCheckResponse last;
  private long lastAt;

  /**
   * {@code probe} completes with the data an UP response carries, or fails with what a DOWN
   * response says; it is subscribed once per run.
   */
  public CachedCheck(
      String name, Duration timeout, Duration cacheFor, Supplier<Uni<Map<String, Object>>> probe) {
    this.name = name;
    this.timeout = timeout;
    this.cacheFor = cacheFor;
    this.probe = probe;
  }

  public String name() {
    return name;
  }

  public Uni<HealthCheckResponse> call() {
    CompletableFuture<HealthCheckResponse> result;
    synchronized (this) {
      if (last != null && System.nanoTime() - lastAt < cacheFor.toNanos()) {
        return Uni.createFrom().item(last);
      }
      if (running != null) {
        result = running;
      } else {
        result = running = new CompletableFuture<>();
        start(result);
      }
    }
    return Uni.createFrom().completionStage(result);
  }

  private void start(CompletableFuture<HealthCheckResponse> result) {
    Uni<Map<String, Object>> run;
    try {
      run = probe.get();
    } catch (RuntimeException e) {
      run = Uni.createFrom().failure(e);
    }
    run.ifNoItem()
        .after(timeout)
        .failWith(() -> new TimeoutException("no answer within " + timeout.toMillis() + " ms"))
        .subscribe()
        .with(data -> done(result, up(data)), failure -> done(result, down(failure)));
  }

  private void done(CompletableFuture<HealthCheckResponse> result, HealthCheckResponse response) {
    synchronized (this) {
      last = response;
      lastAt = System.nanoTime();
      running = null;
    }
    result.complete(response);
  }

  private HealthCheckResponse up(Map<String, Object> data) {
    HealthCheckResponseBuilder b = HealthCheckResponse.named(name).up();
    data.forEach((k, v) -> with(b, k, v));
    return b.build();
  }

  private HealthCheckResponse down(Throwable failure) {
    String why = failure.getMessage() == null ? failure.toString() : failure.getMessage();
    if (failure instanceof TimeoutException) {
      why = "timed out: " + why;
    } else if (failure.getMessage() != null && !(failure instanceof DependencyDown)) {
      why = failure.getClass().getSimpleName() + ": " + why;
    }
    return HealthCheckResponse.named(name).down().withData("error", why).build();
  }

  private static void with(HealthCheckResponseBuilder b, String key, Object value) {
    if (value instanceof Long l) {
      b.withData(key, l);
    } else if (value instanceof Integer i) {
      b.withData(key, i.longValue());
    } else if (value instanceof Boolean bool) {
      b.withData(key, bool);
    } else {
      b.withData(key, String.valueOf(value));
    }
  }

  /** A probe's own verdict (the dependency answered, but not as it must): the message is all. */
  public static final class DependencyDown extends RuntimeException {
    public DependencyDown(String message) {
      super(message, null, false, false);
    }
  }
}
