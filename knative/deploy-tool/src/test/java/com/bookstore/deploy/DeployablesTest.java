package com.bookstore.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bookstore.deploy.Deployable.Visibility;
import com.bookstore.events.Route;
import com.bookstore.events.Routing;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeployablesTest {

  @Test
  void everyRoutedFunctionSaysHowItDeploys() {
    List<String> missing = new ArrayList<>();
    for (Route route : Routing.all()) {
      if (Deployables.find(route.function()).isEmpty()) {
        missing.add(route.function());
      }
    }
    assertEquals(
        List.of(),
        missing,
        "add these functions to knative/deploy-tool/.../Deployables.java (visibility, scale,"
            + " resources, PostgreSQL/Redis)");
  }

  @Test
  void declarationsOnlyForRoutedFunctions() {
    for (String function : Deployables.all().keySet()) {
      Routing.of(function);
    }
  }

  @Test
  void aFunctionWithoutDeclarationCannotBeGenerated() {
    Product today = Fixtures.current();
    Map<String, Deployable> none = Map.of();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new Product(today.routes(), today.types(), none, today.topics()));
    assertTrue(e.getMessage().contains("no deployment declaration in Deployables"), e.getMessage());
  }

  @Test
  void peopleCallRegisterUserCatalogAndPlaceOrderAndOnlyTheBrokerCallsTheRest() {
    List<String> people =
        List.of(
            Routing.Functions.REGISTER_USER,
            Routing.Functions.CATALOG,
            Routing.Functions.PLACE_ORDER);
    for (Route route : Routing.all()) {
      assertEquals(
          people.contains(route.function()) ? Visibility.PUBLIC : Visibility.CLUSTER_LOCAL,
          Deployables.find(route.function()).orElseThrow().visibility(),
          route.function());
    }
  }

  @Test
  void sagaStepKeepsAWarmPodInProdAndAimsAtMoreConcurrencyThanTheParticipants() {
    Deployable sagaStep = Deployables.find(Routing.Functions.SAGA_STEP).orElseThrow();
    Deployable payment = Deployables.find(Routing.Functions.PAYMENT).orElseThrow();
    assertEquals(1, sagaStep.scale(Environment.PROD).min());
    assertEquals(0, sagaStep.scale(Environment.DEV).min());
    for (Environment environment : Environment.values()) {
      assertTrue(
          sagaStep.scale(environment).target() > payment.scale(environment).target(),
          environment.id());
    }
  }

  @Test
  void sagaTimeoutsScalesToZeroAndRunsOneSweeperAtATime() {
    Deployable timeouts = Deployables.find(Routing.Functions.SAGA_TIMEOUTS).orElseThrow();
    for (Environment environment : Environment.values()) {
      assertEquals(0, timeouts.scale(environment).min(), environment.id());
      assertEquals(1, timeouts.scale(environment).max(), environment.id());
    }
  }

  @Test
  void onlyTheCatalogHasAGrpcApi() {
    for (Deployable deployable : Deployables.all().values()) {
      assertEquals(
          deployable.function().equals(Routing.Functions.CATALOG),
          deployable.grpcApi().isPresent(),
          deployable.function());
    }
    assertEquals(
        Deployables.CATALOG_GRPC_PORT,
        Deployables.find(Routing.Functions.CATALOG).orElseThrow().grpc().port());
  }

  @Test
  void aFunctionRoutedTwiceCannotBeGenerated() {
    Product today = Fixtures.current();
    List<Route> twice = new ArrayList<>(today.routes());
    twice.add(today.routes().get(0));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new Product(twice, today.types(), today.deployables(), today.topics()));
    assertTrue(e.getMessage().contains("is routed twice"), e.getMessage());
  }
}
