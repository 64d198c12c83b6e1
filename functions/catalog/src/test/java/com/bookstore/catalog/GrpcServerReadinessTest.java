package com.bookstore.catalog;

import static com.bookstore.kit.testing.HealthProbes.awaitNotReady;
import static com.bookstore.kit.testing.HealthProbes.awaitReady;
import static com.bookstore.kit.testing.HealthProbes.status;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.vertx.core.Verticle;
import io.vertx.core.Vertx;
import io.vertx.core.impl.Deployment;
import io.vertx.core.impl.VertxInternal;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Readiness follows the real gRPC server: with its verticle undeployed (the server shut down, its
 * port closed) readiness is 503 naming grpc-server, while Quarkus' own "gRPC Server" check, which
 * reads a stored status, still says UP. Its own application (profile), since it stops that
 * application's server for good: deploying the same verticle again does not complete, so the way
 * back UP is not shown here (a restarted pod is).
 */
@QuarkusTest
@TestProfile(GrpcServerReadinessTest.OwnApplication.class)
class GrpcServerReadinessTest {

  public static class OwnApplication implements QuarkusTestProfile {
    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(new TestResourceEntry(FreeGrpcPort.class));
    }
  }

  @Inject Vertx vertx;

  @Test
  void readinessIsDownNamingGrpcServerOnceTheServerStops() throws Exception {
    awaitReady();
    List<Verticle> stopped = undeployGrpcServer();
    assertFalse(stopped.isEmpty(), "no gRPC server verticle found");
    JsonPath down = awaitNotReady(GrpcServerReadiness.NAME);
    assertEquals("UP", status(down, "gRPC Server"), "Quarkus' own check: " + down.prettify());
    given().get("/q/health/live").then().statusCode(200);
  }

  private List<Verticle> undeployGrpcServer() throws Exception {
    List<Verticle> stopped = new ArrayList<>();
    for (String id : new ArrayList<>(vertx.deploymentIDs())) {
      Deployment d = ((VertxInternal) vertx).getDeployment(id);
      if (d != null
          && d.getVerticles().stream()
              .anyMatch(v -> v.getClass().getName().contains("GrpcServerVerticle"))) {
        stopped.addAll(d.getVerticles());
        vertx.undeploy(id).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    }
    return stopped;
  }
}
