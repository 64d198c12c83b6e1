package com.bookstore.deploy;

import static com.bookstore.deploy.ManifestRules.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bookstore.events.EventCatalogue;
import com.bookstore.events.EventType;
import com.bookstore.events.EventTypes;
import com.bookstore.events.Route;
import com.bookstore.events.Routing;
import com.bookstore.events.Topics;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class GeneratorTest {

  private static List<Map<String, Object>> ofKind(List<Map<String, Object>> all, String kind) {
    return all.stream().filter(r -> kind.equals(r.get("kind"))).toList();
  }

  private static String name(Map<String, Object> r) {
    return (String) get(r, "metadata", "name");
  }

  @Test
  void oneTriggerPerFunctionAndTypeItTakesWithAnExactTypeFilter() {
    List<Map<String, Object>> all =
        new KnativeManifests(Fixtures.current()).all(Environment.DEV, Images.PLACEHOLDER);
    Set<String> expected = new HashSet<>();
    for (Route route : Routing.all()) {
      for (String type : route.triggers()) {
        expected.add(route.function() + " " + type);
      }
    }
    Set<String> actual =
        ofKind(all, "Trigger").stream()
            .map(
                t ->
                    get(t, "spec", "subscriber", "ref", "name")
                        + " "
                        + get(t, "spec", "filter", "attributes", "type"))
            .collect(Collectors.toSet());
    assertEquals(expected, actual);
    Map<String, Object> trigger =
        ofKind(all, "Trigger").stream()
            .filter(t -> name(t).equals("reserve-stock-stock-reserve-v1"))
            .findFirst()
            .orElseThrow();
    assertEquals(EventTypes.STOCK_RESERVE, get(trigger, "spec", "filter", "attributes", "type"));
    assertEquals("bookstore", get(trigger, "spec", "broker"));
    assertEquals(5, get(trigger, "spec", "delivery", "retry"));
    assertEquals("exponential", get(trigger, "spec", "delivery", "backoffPolicy"));
    assertEquals(
        Topics.DEAD_LETTER, get(trigger, "spec", "delivery", "deadLetterSink", "ref", "name"));
  }

  @Test
  void oneKafkaBrokerPerWorkflowTopic() {
    List<Map<String, Object>> brokers =
        ofKind(new KnativeManifests(Fixtures.current()).eventing(), "Broker");
    Set<String> topics = Routing.all().stream().map(Route::topic).collect(Collectors.toSet());
    assertEquals(topics.size(), brokers.size());
    for (Map<String, Object> broker : brokers) {
      assertEquals("Kafka", get(broker, "metadata", "annotations", KnativeManifests.BROKER_CLASS));
      assertEquals(Names.BROKER_CONFIG, get(broker, "spec", "config", "name"));
    }
    assertEquals("delivery", Names.broker(Topics.DELIVERY));
    assertEquals("bookstore", Names.broker(Topics.BOOKSTORE));
  }

  @Test
  void anEventTypeForEveryCatalogueTypeWithItsSchemaAndDescription() {
    List<Map<String, Object>> eventTypes = new KnativeManifests(Fixtures.current()).eventTypes();
    Set<String> types = new HashSet<>();
    for (Map<String, Object> et : eventTypes) {
      List<?> attributes = (List<?>) get(et, "spec", "attributes");
      Map<String, Object> byName = new java.util.HashMap<>();
      for (Object a : attributes) {
        Map<?, ?> attribute = (Map<?, ?>) a;
        byName.put((String) attribute.get("name"), attribute.get("value"));
      }
      EventType type = EventCatalogue.get((String) byName.get("type"));
      types.add(type.type());
      assertEquals(type.dataschema(), byName.get("dataschema"));
      assertEquals(type.description(), get(et, "spec", "description"));
      assertTrue(byName.containsKey("source") && byName.containsKey("id"));
      assertEquals("1.0", byName.get("specversion"));
    }
    assertEquals(
        EventCatalogue.all().stream().map(EventType::type).collect(Collectors.toSet()), types);
  }

  @Test
  void onlyTheBrokerCallsClusterLocalServicesAndScaleAnnotationsSitOnTheTemplate() {
    List<Map<String, Object>> all =
        new KnativeManifests(Fixtures.current()).all(Environment.DEV, Images.PLACEHOLDER);
    for (Map<String, Object> service : ofKind(all, "Service")) {
      Deployable d = Deployables.find(name(service)).orElseThrow();
      assertEquals(
          d.visibility() == Deployable.Visibility.CLUSTER_LOCAL ? "cluster-local" : null,
          get(service, "metadata", "labels", KnativeManifests.VISIBILITY));
      assertNull(get(service, "metadata", "annotations"));
      assertEquals(
          "0",
          get(service, "spec", "template", "metadata", "annotations", KnativeManifests.MIN_SCALE));
    }
    assertEquals(List.of(), ManifestRules.check(all));
  }

  @Test
  void prodOverlayTurnsTheBaseIntoWhatTheToolAppliesToProd() {
    // kustomize is not available here; this applies the overlay's patches the way a strategic
    // merge does for these maps (recursive merge by kind and name) and compares with the tool.
    Product product = Fixtures.withFutureFunctions();
    ManifestFiles files = new ManifestFiles(product);
    KnativeManifests knative = new KnativeManifests(product);
    for (Environment environment : Environment.values()) {
      List<Map<String, Object>> patched = new ArrayList<>();
      for (Map<String, Object> r :
          knative.all(ManifestFiles.BASE_ENVIRONMENT, Images.PLACEHOLDER)) {
        patched.add(Yaml.copy(r));
      }
      for (Map<String, Object> patch : files.patches(environment)) {
        Map<String, Object> target =
            patched.stream()
                .filter(r -> r.get("kind").equals(patch.get("kind")) && name(r).equals(name(patch)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("patch matches nothing: " + patch));
        Deployer.merge(target, patch);
      }
      assertEquals(knative.all(environment, Images.PLACEHOLDER), patched, environment.id());
      assertEquals(
          environment.namespace(), files.overlay(environment).get("namespace"), environment.id());
    }
  }

  @Test
  void sagaTimeoutsGetsAPingSourceAndCourierConsumersAKafkaSource() {
    Product product = Fixtures.withFutureFunctions();
    KnativeManifests knative = new KnativeManifests(product);
    List<Map<String, Object>> dev = knative.all(Environment.DEV, Images.PLACEHOLDER);
    List<Map<String, Object>> ping = ofKind(dev, "PingSource");
    assertEquals(1, ping.size());
    assertEquals(KnativeManifests.SWEEP_SCHEDULE, get(ping.get(0), "spec", "schedule"));
    assertEquals(Product.SAGA_TIMEOUTS, get(ping.get(0), "spec", "sink", "ref", "name"));
    List<Map<String, Object>> kafka = ofKind(dev, "KafkaSource");
    assertEquals(1, kafka.size());
    assertEquals("dispatch-courier-dev", get(kafka.get(0), "spec", "consumerGroup"));
    assertEquals(List.of(Topics.COURIERS), get(kafka.get(0), "spec", "topics"));
    assertEquals(Fixtures.COURIER_FUNCTION, get(kafka.get(0), "spec", "sink", "ref", "name"));
    assertEquals(
        "dispatch-courier-prod",
        get(
            ofKind(knative.all(Environment.PROD, Images.PLACEHOLDER), "KafkaSource").get(0),
            "spec",
            "consumerGroup"));
    // The KafkaSource delivers the couriers' events: no Trigger for that function.
    assertTrue(
        ofKind(dev, "Trigger").stream()
            .noneMatch(
                t ->
                    Fixtures.COURIER_FUNCTION.equals(get(t, "spec", "subscriber", "ref", "name"))));
    assertTrue(
        new ManifestFiles(product).render().containsKey(ManifestFiles.BASE + "/sources.yaml"));
    assertEquals(List.of(), ManifestRules.check(dev));
  }

  @Test
  void noSourcesWithoutTheFunctionsTheyFeed() {
    assertEquals(List.of(), new KnativeManifests(Fixtures.current()).sources(Environment.DEV));
  }

  @Test
  void namesAreDns1123AndTooLongOnesAreRefused() {
    assertEquals("stock-reserve-v1", Names.shortName(EventTypes.STOCK_RESERVE));
    assertEquals(
        "register-user-user-registration-rejected-v1",
        Names.trigger(Routing.Functions.REGISTER_USER, EventTypes.USER_REGISTRATION_REJECTED));
    assertThrows(IllegalArgumentException.class, () -> Names.label("a".repeat(64)));
    assertThrows(IllegalArgumentException.class, () -> Names.label("Upper"));
  }

  @Test
  void kafkaUsersMayReadTheirTopicWithTheirGroupAndWriteWhatTheyEmit() {
    Route route = Routing.of(Routing.Functions.RESERVE_STOCK);
    List<Map<String, Object>> acls = StrimziManifests.functionAcls(route, Environment.PROD);
    Set<String> grants = new HashSet<>();
    for (Map<String, Object> acl : acls) {
      for (Object op : (List<?>) acl.get("operations")) {
        grants.add(get(acl, "resource", "type") + ":" + get(acl, "resource", "name") + ":" + op);
      }
    }
    assertEquals(
        Set.of(
            "topic:" + Topics.BOOKSTORE + ":Read",
            "topic:" + Topics.BOOKSTORE + ":Describe",
            "topic:" + Topics.BOOKSTORE + ":Write",
            "group:reserve-stock-prod:Read",
            "topic:" + Topics.DEAD_LETTER + ":Write",
            "topic:" + Topics.DEAD_LETTER + ":Describe"),
        grants);
  }

  @Test
  void kafkaTopicsTakeTheLocalStacksPartitionsAndRetention() {
    Product product = Fixtures.current();
    List<Map<String, Object>> topics = new StrimziManifests(product).topics();
    assertEquals(product.topics().size(), topics.size());
    for (TopicSpec spec : product.topics()) {
      Map<String, Object> topic =
          topics.stream().filter(t -> name(t).equals(spec.name())).findFirst().orElseThrow();
      assertEquals(spec.partitions(), get(topic, "spec", "partitions"));
      assertEquals(
          spec.retentionMs(), ((Number) get(topic, "spec", "config", "retention.ms")).longValue());
      assertEquals(3, get(topic, "spec", "replicas"));
    }
  }
}
