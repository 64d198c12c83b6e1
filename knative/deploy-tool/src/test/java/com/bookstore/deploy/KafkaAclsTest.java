package com.bookstore.deploy;

import static com.bookstore.deploy.ManifestRules.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bookstore.events.EventCatalogue;
import com.bookstore.events.EventKind;
import com.bookstore.events.EventType;
import com.bookstore.events.EventTypes;
import com.bookstore.events.Route;
import com.bookstore.events.Routing;
import com.bookstore.events.Topics;
import com.bookstore.events.Topology;
import com.bookstore.events.Topology.Topic;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The KafkaUsers' ACLs are the topology's: who reads and who writes each topic follows from the
 * routing table, and nothing more is allowed.
 */
class KafkaAclsTest {

  private static String name(Map<String, Object> r) {
    return (String) get(r, "metadata", "name");
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> acls(Map<String, Object> user) {
    return (List<Map<String, Object>>) get(user, "spec", "authorization", "acls");
  }

  /** The users of one environment allowed {@code operation} on topic {@code topic}. */
  private static Set<String> usersAllowed(
      List<Map<String, Object>> users, Environment environment, String topic, String operation) {
    Set<String> out = new TreeSet<>();
    for (Map<String, Object> user : users) {
      if (!Names.kafkaCluster(environment)
          .equals(get(user, "metadata", "labels", StrimziManifests.CLUSTER_LABEL))) {
        continue;
      }
      if (GeneratorTest.grants(acls(user)).contains("topic:" + topic + ":" + operation)) {
        out.add(name(user));
      }
    }
    return out;
  }

  private static Set<String> userNames(List<String> functions, Environment environment) {
    return functions.stream()
        .map(f -> Names.kafkaUser(f, environment))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void everyFunctionReadsExactlyItsInputsWithItsGroupAndWritesExactlyItsOutputs() {
    StrimziManifests strimzi = new StrimziManifests(Fixtures.current());
    for (Environment environment : Environment.values()) {
      for (Route route : Routing.all()) {
        String function = route.function();
        Set<String> expected = new HashSet<>();
        for (String topic : Topology.inputs(function)) {
          expected.add("topic:" + topic + ":Read");
          expected.add("topic:" + topic + ":Describe");
        }
        for (String topic : Topology.outputs(function)) {
          expected.add("topic:" + topic + ":Write");
          expected.add("topic:" + topic + ":Describe");
        }
        if (!route.triggers().isEmpty()) {
          // The same group the kit's RoutingConfigSourceFactory joins.
          expected.add("group:" + function + "-" + environment.id() + ":Read");
          expected.add("topic:" + Topics.DEAD_LETTER + ":Write");
          expected.add("topic:" + Topics.DEAD_LETTER + ":Describe");
        }
        if (!route.emits().isEmpty()) {
          expected.add("topic:" + Topology.BROKER_TOPIC + ":Write");
          expected.add("topic:" + Topology.BROKER_TOPIC + ":Describe");
        }
        assertEquals(
            expected,
            GeneratorTest.grants(strimzi.functionAcls(route, environment)),
            function + " in " + environment.id());
      }
    }
  }

  @Test
  void reserveStockSpelledOut() {
    Set<String> grants =
        GeneratorTest.grants(
            new StrimziManifests(Fixtures.current())
                .functionAcls(Routing.of(Routing.Functions.RESERVE_STOCK), Environment.PROD));
    Set<String> expected = new HashSet<>();
    for (String in : List.of("reserve", "commit", "release", "expire")) {
      expected.add("topic:bookstore.stock." + in + ".v1:Read");
      expected.add("topic:bookstore.stock." + in + ".v1:Describe");
    }
    for (String out : List.of("reserved", "rejected", "committed", "released", "expired")) {
      expected.add("topic:bookstore.stock." + out + ".v1:Write");
      expected.add("topic:bookstore.stock." + out + ".v1:Describe");
    }
    expected.addAll(
        Set.of(
            "group:reserve-stock-prod:Read",
            "topic:bookstore-events:Write",
            "topic:bookstore-events:Describe",
            "topic:bookstore-dead-letter:Write",
            "topic:bookstore-dead-letter:Describe"));
    assertEquals(expected, grants);
  }

  @Test
  void catalogAndSagaTimeoutsConsumeNothingSoTheyNeitherReadNorJoinAGroupNorDeadLetter() {
    StrimziManifests strimzi = new StrimziManifests(Fixtures.current());
    for (String function : List.of(Routing.Functions.CATALOG, Routing.Functions.SAGA_TIMEOUTS)) {
      Set<String> grants =
          GeneratorTest.grants(strimzi.functionAcls(Routing.of(function), Environment.DEV));
      assertTrue(
          grants.stream().noneMatch(g -> g.endsWith(":Read") || g.startsWith("group:")),
          function + ": " + grants);
      assertTrue(grants.stream().noneMatch(g -> g.contains(Topics.DEAD_LETTER)), function);
      assertTrue(grants.contains("topic:" + Topology.BROKER_TOPIC + ":Write"), function);
    }
  }

  @Test
  void aFactsTopicIsWrittenByExactlyTheFunctionsThatEmitIt() {
    List<Map<String, Object>> users = new StrimziManifests(Fixtures.current()).users();
    int facts = 0;
    for (EventType type : EventCatalogue.all()) {
      if (type.kind() != EventKind.FACT) {
        continue;
      }
      facts++;
      for (Environment environment : Environment.values()) {
        Set<String> expected = userNames(Topology.producers(type.type()), environment);
        if (Topology.externalFacts().contains(type.type())) {
          // the couriers' own systems, and nobody else
          assertTrue(expected.isEmpty(), type.type() + " is emitted by no function");
          expected.add(Names.couriersKafkaUser(environment));
        }
        assertEquals(
            expected,
            usersAllowed(users, environment, Topology.topicOf(type.type()), "Write"),
            type.type() + " in " + environment.id());
      }
    }
    assertTrue(facts > 10, "only " + facts + " facts");
  }

  @Test
  void aCommandsTopicIsWrittenByTheFunctionsThatEmitItAndByOtherSystemsWhenNoneDoes() {
    List<Map<String, Object>> users = new StrimziManifests(Fixtures.current()).users();
    for (EventType type : EventCatalogue.all()) {
      if (type.kind() != EventKind.COMMAND) {
        continue;
      }
      for (Environment environment : Environment.values()) {
        Set<String> expected = userNames(Topology.producers(type.type()), environment);
        if (Topology.externalCommands().contains(type.type())) {
          expected.add(Names.clientsKafkaUser(environment));
        }
        assertEquals(
            expected,
            usersAllowed(users, environment, Topology.topicOf(type.type()), "Write"),
            type.type() + " in " + environment.id());
      }
    }
  }

  @Test
  void aTypesTopicIsReadByExactlyTheFunctionsThatTakeIt() {
    List<Map<String, Object>> users = new StrimziManifests(Fixtures.current()).users();
    for (EventType type : EventCatalogue.all()) {
      for (Environment environment : Environment.values()) {
        Set<String> expected = userNames(Topology.consumers(type.type()), environment);
        if (Topology.externalFacts().contains(type.type())) {
          // the couriers' KafkaSource brings their topic to the Broker on Knative
          expected.add(Names.knativeKafkaUser(environment));
        }
        assertEquals(
            expected,
            usersAllowed(users, environment, Topology.topicOf(type.type()), "Read"),
            type.type() + " in " + environment.id());
      }
    }
  }

  @Test
  void otherSystemsMaySendTheCommandsNoFunctionEmitsAndNothingElse() {
    StrimziManifests strimzi = new StrimziManifests(Fixtures.current());
    Set<String> expected = new HashSet<>();
    for (String type : Topology.externalCommands()) {
      expected.add("topic:" + Topology.topicOf(type) + ":Write");
      expected.add("topic:" + Topology.topicOf(type) + ":Describe");
    }
    assertTrue(Topology.externalCommands().contains(EventTypes.USER_REGISTER));
    assertEquals(expected, GeneratorTest.grants(strimzi.clientAcls()));
    for (Environment environment : Environment.values()) {
      Map<String, Object> clients =
          strimzi.users().stream()
              .filter(u -> name(u).equals("bookstore-clients-" + environment.id()))
              .findFirst()
              .orElseThrow();
      assertEquals(expected, GeneratorTest.grants(acls(clients)));
      assertEquals(
          Names.kafkaCluster(environment),
          get(clients, "metadata", "labels", StrimziManifests.CLUSTER_LABEL));
    }
  }

  @Test
  void noUserMayCreateTopicsOrUseOnesOutsideTheTopology() {
    Set<String> topics = Topology.topics().stream().map(Topic::name).collect(Collectors.toSet());
    for (Map<String, Object> user : new StrimziManifests(Fixtures.current()).users()) {
      for (Map<String, Object> acl : acls(user)) {
        List<?> operations = (List<?>) acl.get("operations");
        assertTrue(!operations.contains("Create") && !operations.contains("All"), name(user));
        if ("topic".equals(get(acl, "resource", "type"))) {
          assertTrue(topics.contains(get(acl, "resource", "name")), name(user) + ": " + acl);
          assertEquals("literal", get(acl, "resource", "patternType"), name(user));
        }
      }
    }
  }

  @Test
  void anotherFunctionThatEmitsAFactSharesItsTopicWithTheFactsOtherProducerOnly() {
    Product product = Fixtures.withAnotherFunction();
    List<Map<String, Object>> users = new StrimziManifests(product).users();
    String sent = Topology.topicOf(EventTypes.NOTIFICATION_SENT);
    String confirmed = Topology.topicOf(EventTypes.ORDER_CONFIRMED);
    for (Environment environment : Environment.values()) {
      assertEquals(
          userNames(List.of(Routing.Functions.NOTIFY, Fixtures.ANOTHER_FUNCTION), environment),
          usersAllowed(users, environment, sent, "Write"));
      Set<String> readers = usersAllowed(users, environment, confirmed, "Read");
      assertTrue(
          readers.contains(Names.kafkaUser(Fixtures.ANOTHER_FUNCTION, environment)),
          readers.toString());
      assertEquals(userNames(product.consumers(EventTypes.ORDER_CONFIRMED), environment), readers);
    }
  }
}
