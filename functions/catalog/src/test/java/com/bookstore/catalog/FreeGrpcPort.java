package com.bookstore.catalog;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;

/**
 * Gives the test's gRPC server a port that is free now, so parallel builds on one machine do not
 * collide on a fixed test port; the tests read it back from {@code quarkus.grpc.server.test-port}.
 */
public class FreeGrpcPort implements QuarkusTestResourceLifecycleManager {

  @Override
  public Map<String, String> start() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return Map.of("quarkus.grpc.server.test-port", String.valueOf(socket.getLocalPort()));
    } catch (IOException e) {
      throw new UncheckedIOException("no free port for the gRPC test server", e);
    }
  }

  @Override
  public void stop() {}
}
