package com.bookstore.catalog;

import com.bookstore.kit.KitConfig;
import com.bookstore.kit.health.CachedCheck;
import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.quarkus.runtime.LaunchMode;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * The catalog's gRPC server answers: a {@code grpc.health.v1.Health/Check} call over a real
 * connection to its own port comes back SERVING. Quarkus' own "gRPC Server" check only reads the
 * status the server was given at start, so it stays UP when the server stops answering (place-order
 * prices every order through this server).
 */
@Readiness
@ApplicationScoped
public class GrpcServerReadiness implements AsyncHealthCheck {
  public static final String NAME = "grpc-server";

  private final String host;
  private final int port;
  private final long deadlineMs;
  private final CachedCheck check;
  private volatile ManagedChannel channel;

  GrpcServerReadiness(Config config, KitConfig kit) {
    String configured =
        config.getOptionalValue("quarkus.grpc.server.host", String.class).orElse("0.0.0.0");
    this.host = configured.equals("0.0.0.0") || configured.equals("::") ? "127.0.0.1" : configured;
    this.port =
        LaunchMode.current() == LaunchMode.TEST
            ? config.getOptionalValue("quarkus.grpc.server.test-port", Integer.class).orElse(9001)
            : config.getOptionalValue("quarkus.grpc.server.port", Integer.class).orElse(9000);
    this.deadlineMs = kit.health().timeout().toMillis();
    this.check =
        new CachedCheck(NAME, kit.health().timeout(), kit.health().cacheFor(), this::probe);
  }

  @Override
  public Uni<HealthCheckResponse> call() {
    return check.call();
  }

  private Uni<Map<String, Object>> probe() {
    return Uni.createFrom()
        .emitter(
            em ->
                HealthGrpc.newStub(channel())
                    .withDeadlineAfter(deadlineMs, TimeUnit.MILLISECONDS)
                    .check(
                        HealthOuterClass.HealthCheckRequest.getDefaultInstance(),
                        new StreamObserver<>() {
                          @Override
                          public void onNext(HealthOuterClass.HealthCheckResponse r) {
                            if (r.getStatus()
                                == HealthOuterClass.HealthCheckResponse.ServingStatus.SERVING) {
                              em.complete(Map.of("port", port));
                            } else {
                              em.fail(
                                  new CachedCheck.DependencyDown(
                                      "the gRPC server on port "
                                          + port
                                          + " says "
                                          + r.getStatus()));
                            }
                          }

                          @Override
                          public void onError(Throwable t) {
                            em.fail(
                                new CachedCheck.DependencyDown(
                                    "the gRPC server on port " + port + " does not answer: " + t));
                          }

                          @Override
                          public void onCompleted() {}
                        }));
  }

  private ManagedChannel channel() {
    ManagedChannel c = channel;
    if (c == null) {
      synchronized (this) {
        if (channel == null) {
          channel = NettyChannelBuilder.forAddress(host, port).usePlaintext().build();
        }
        c = channel;
      }
    }
    return c;
  }

  @PreDestroy
  void close() {
    if (channel != null) {
      channel.shutdownNow();
    }
  }
}
