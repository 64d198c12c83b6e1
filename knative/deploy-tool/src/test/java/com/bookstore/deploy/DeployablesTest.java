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
  void peopleCallRegisterUserAndOnlyTheBrokerCallsTheSagaParticipants() {
    assertEquals(
        Visibility.PUBLIC,
        Deployables.find(Routing.Functions.REGISTER_USER).orElseThrow().visibility());
    for (String function : List.of(Routing.Functions.RESERVE_STOCK, Routing.Functions.PAYMENT)) {
      assertEquals(
          Visibility.CLUSTER_LOCAL,
          Deployables.find(function).orElseThrow().visibility(),
          function);
    }
  }
}
