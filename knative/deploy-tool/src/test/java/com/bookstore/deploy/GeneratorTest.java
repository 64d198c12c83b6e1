package com.bookstore.deploy;

import static com.bookstore.deploy.ManifestRules.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bookstore.events.EventCatalogue;
import com.bookstore.events.EventType;
import com.bookstore.events.EventTypes;
import com.bookstore.events.Route;
import com.bookstore.events.Routing;
import com.bookstore.events.Topics;
import com.bookstore.events.Topology;
import com.bookstore.events.Topology.Topic;
import java.time.Duration;
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
    // One saga's events share a partition key, hence a partition of the Broker's topic: an ordered
    // Trigger hands them to the function one after the other.
    for (Map<String, Object> t : ofKind(all, "Trigger")) {
      assertEquals(
          "ordered",
          get(t, "metadata", "annotations", "kafka.eventing.knative.dev/delivery.order"),
          name(t));
    }
  }

  @Test
  void oneKafkaBrokerOnTheBrokerTopic() {
    List<Map<String, Object>> brokers =
        ofKind(new KnativeManifests(Fixtures.current()).eventing(Environment.DEV), "Broker");
    assertEquals(1, brokers.size());
    Map<String, Object> broker = brokers.get(0);
    assertEquals("bookstore", name(broker));
    assertEquals("Kafka", get(broker, "metadata", "annotations", KnativeManifests.BROKER_CLASS));
    assertEquals(Names.BROKER_CONFIG, get(broker, "spec", "config", "name"));
    assertEquals("bookstore", Names.broker(Topology.BROKER_TOPIC));
  }

  @Test
  void brokersUseTheWorkflowTopicSoEventsPublishedStraightToItReachTheTriggers() {
    Product product = Fixtures.current();
    for (Environment environment : Environment.values()) {
      List<Map<String, Object>> eventing = new KnativeManifests(product).eventing(environment);
      Map<String, Object> broker = ofKind(eventing, "Broker").get(0);
      assertEquals(
          Topology.BROKER_TOPIC,
          get(broker, "metadata", "annotations", KnativeManifests.EXTERNAL_TOPIC));
      // The Broker's settings are its own namespace's, so each environment reaches its own Kafka.
      assertNull(get(broker, "spec", "config", "namespace"));
      Map<String, Object> config =
          ofKind(eventing, "ConfigMap").stream()
              .filter(c -> name(c).equals(Names.BROKER_CONFIG))
              .findFirst()
              .orElseThrow();
      assertEquals(Names.kafkaBootstrap(environment), get(config, "data", "bootstrap.servers"));
      assertEquals(Names.KAFKA_AUTH_SECRET, get(config, "data", "auth.secret.ref.name"));
    }
    // The data plane may use that topic, and may create none of its own.
    Set<String> grants = grants(new StrimziManifests(product).knativeAcls());
    assertEquals(
        Set.of(
            "topic:" + Topology.BROKER_TOPIC + ":Read",
            "topic:" + Topology.BROKER_TOPIC + ":Write",
            "topic:" + Topology.BROKER_TOPIC + ":Describe",
            "group:knative-:Read",
            "group:knative-:Describe",
            "topic:" + Topics.DEAD_LETTER + ":Write",
            "topic:" + Topics.DEAD_LETTER + ":Describe",
            // the couriers' KafkaSource
            "topic:" + Topics.COURIERS + ":Read",
            "topic:" + Topics.COURIERS + ":Describe"),
        grants);
  }

  @Test
  void eachEnvironmentHasItsOwnKafkaSoDevEventsNeverReachProdTriggers() {
    Product product = Fixtures.current();
    assertNotEquals(Names.kafkaBootstrap(Environment.DEV), Names.kafkaBootstrap(Environment.PROD));
    for (Environment environment : Environment.values()) {
      List<Map<String, Object>> all =
          new KnativeManifests(product).all(environment, Images.PLACEHOLDER);
      Map<String, Object> config =
          ofKind(all, "ConfigMap").stream()
              .filter(c -> name(c).equals(Names.CONFIG_MAP))
              .findFirst()
              .orElseThrow();
      assertEquals(
          Names.kafkaBootstrap(environment), get(config, "data", "BOOKSTORE_KAFKA_BOOTSTRAP"));
      assertEquals(
          List.of(Names.kafkaBootstrap(environment)),
          get(ofKind(all, "KafkaSink").get(0), "spec", "bootstrapServers"));
    }
    StrimziManifests strimzi = new StrimziManifests(product);
    Set<String> clusters = new HashSet<>();
    for (Map<String, Object> kafka : ofKind(strimzi.cluster(), "Kafka")) {
      clusters.add(name(kafka));
    }
    assertEquals(Set.of("bookstore-dev", "bookstore-prod"), clusters);
    for (Map<String, Object> user : strimzi.users()) {
      String env = name(user).endsWith("-prod") ? "prod" : "dev";
      assertEquals(
          "bookstore-" + env,
          get(user, "metadata", "labels", StrimziManifests.CLUSTER_LABEL),
          name(user));
    }
    // Each cluster has every topic under the topic's own name.
    for (Environment environment : Environment.values()) {
      Set<String> topics =
          strimzi.topics().stream()
              .filter(
                  t ->
                      Names.kafkaCluster(environment)
                          .equals(get(t, "metadata", "labels", StrimziManifests.CLUSTER_LABEL)))
              .map(t -> (String) get(t, "spec", "topicName"))
              .collect(Collectors.toSet());
      assertEquals(Topology.topics().stream().map(Topic::name).collect(Collectors.toSet()), topics);
    }
  }

  @Test
  void anEventTypeForEveryCatalogueTypeWithItsSchemaAndDescription() {
    List<Map<String, Object>> eventTypes = new KnativeManifests(Fixtures.current()).eventTypes();
    assertEquals(EventCatalogue.all().size(), eventTypes.size());
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
      boolean routed =
          !Topology.consumers(type.type()).isEmpty() || !Topology.producers(type.type()).isEmpty();
      assertEquals(
          routed
              ? Map.of(
                  "apiVersion", KnativeManifests.EVENTING, "kind", "Broker", "name", "bookstore")
              : null,
          get(et, "spec", "reference"),
          type.type());
    }
    assertEquals(
        EventCatalogue.all().stream().map(EventType::type).collect(Collectors.toSet()), types);
  }

  @Test
  void onlyTheBrokerCallsClusterLocalServicesAndScaleAnnotationsSitOnTheTemplate() {
    List<Map<String, Object>> all =
        new KnativeManifests(Fixtures.current()).all(Environment.DEV, Images.PLACEHOLDER);
    for (Map<String, Object> service : ofKind(all, "Service")) {
      String function = (String) get(service, "metadata", "labels", "app.kubernetes.io/name");
      Deployable d = Deployables.find(function).orElseThrow();
      boolean grpcApi = name(service).equals(Names.grpcService(function));
      assertEquals(
          d.visibility() == Deployable.Visibility.CLUSTER_LOCAL || grpcApi ? "cluster-local" : null,
          get(service, "metadata", "labels", KnativeManifests.VISIBILITY),
          name(service));
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
    Product product = Fixtures.withAnotherFunction();
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
  void sagaTimeoutsIsWokenEveryMinuteByAPingSourceOnSweep() {
    List<Map<String, Object>> dev =
        new KnativeManifests(Fixtures.current()).all(Environment.DEV, Images.PLACEHOLDER);
    List<Map<String, Object>> ping = ofKind(dev, "PingSource");
    assertEquals(1, ping.size());
    Map<String, Object> source = ping.get(0);
    assertEquals(KnativeManifests.PING_SOURCE_API, source.get("apiVersion"));
    assertEquals("*/1 * * * *", get(source, "spec", "schedule"));
    assertEquals(Routing.Functions.SAGA_TIMEOUTS, get(source, "spec", "sink", "ref", "name"));
    assertEquals("Service", get(source, "spec", "sink", "ref", "kind"));
    assertEquals(KnativeManifests.SERVING, get(source, "spec", "sink", "ref", "apiVersion"));
    assertEquals("/sweep", get(source, "spec", "sink", "uri"));
    assertTrue(
        new ManifestFiles(Fixtures.current())
            .render()
            .containsKey(ManifestFiles.BASE + "/sources.yaml"));
    // Nothing but the schedule wakes it: no Trigger delivers to saga-timeouts.
    assertTrue(
        ofKind(dev, "Trigger").stream()
            .noneMatch(
                t ->
                    Routing.Functions.SAGA_TIMEOUTS.equals(
                        get(t, "spec", "subscriber", "ref", "name"))));
    assertEquals(List.of(), ManifestRules.check(dev));
  }

  @Test
  void aFunctionTheRoutingTableAddsGetsItsServiceTriggersAndKafkaUser() {
    Product product = Fixtures.withAnotherFunction();
    List<Map<String, Object>> dev =
        new KnativeManifests(product).all(Environment.DEV, Images.PLACEHOLDER);
    assertEquals(1, ofKind(dev, "Broker").size(), "still one Broker");
    assertEquals(
        List.of(Names.trigger(Fixtures.ANOTHER_FUNCTION, EventTypes.ORDER_CONFIRMED)),
        ofKind(dev, "Trigger").stream()
            .filter(
                t -> Fixtures.ANOTHER_FUNCTION.equals(get(t, "spec", "subscriber", "ref", "name")))
            .map(GeneratorTest::name)
            .toList());
    assertTrue(
        new ManifestFiles(product)
            .render()
            .containsKey(ManifestFiles.BASE + "/functions/" + Fixtures.ANOTHER_FUNCTION + ".yaml"));
    assertEquals(
        List.of("PingSource", "KafkaSource"),
        new KnativeManifests(product)
            .sources(Environment.DEV).stream().map(r -> r.get("kind")).toList(),
        "no source but the sweep's and the couriers': every function is fed by the Broker");
    assertEquals(List.of(), ManifestRules.check(dev));
  }

  @Test
  void catalogServesGrpcFromASecondServiceWhoseOnlyPortIsTheGrpcServersAsH2c() {
    List<Map<String, Object>> all =
        new KnativeManifests(Fixtures.current()).all(Environment.DEV, Images.PLACEHOLDER);
    Map<String, Object> grpc = service(all, "catalog-grpc");
    Map<String, Object> http = service(all, Routing.Functions.CATALOG);
    Map<?, ?> grpcContainer = container(grpc);
    Map<?, ?> httpContainer = container(http);
    assertEquals(httpContainer.get("image"), grpcContainer.get("image"), "the same image");
    assertEquals(
        List.of(Map.of("name", "h2c", "containerPort", Deployables.CATALOG_GRPC_PORT)),
        grpcContainer.get("ports"));
    assertEquals(
        List.of(Map.of("name", "http1", "containerPort", KnativeManifests.HTTP_PORT)),
        httpContainer.get("ports"));
    Map<String, Object> env = plainEnv(grpcContainer);
    assertEquals("true", env.get("QUARKUS_GRPC_SERVER_USE_SEPARATE_SERVER"));
    assertEquals(
        String.valueOf(Deployables.CATALOG_GRPC_PORT), env.get("QUARKUS_GRPC_SERVER_PORT"));
    // The HTTP server, not exposed by this Service, answers the health probes.
    assertEquals(
        KnativeManifests.HTTP_PORT, get(grpcContainer, "readinessProbe", "httpGet", "port"));
    assertEquals(
        KnativeManifests.HTTP_PORT, get(grpcContainer, "livenessProbe", "httpGet", "port"));
    assertEquals("cluster-local", get(grpc, "metadata", "labels", KnativeManifests.VISIBILITY));
    assertNull(get(http, "metadata", "labels", KnativeManifests.VISIBILITY), "people browse it");
    assertEquals(
        "catalog", get(grpc, "spec", "template", "metadata", "labels", "app.kubernetes.io/name"));
    // A price lookup is on every order's path: prod keeps a pod warm.
    Map<String, Object> prod =
        service(
            new KnativeManifests(Fixtures.current()).all(Environment.PROD, Images.PLACEHOLDER),
            "catalog-grpc");
    assertEquals(
        "1", get(prod, "spec", "template", "metadata", "annotations", KnativeManifests.MIN_SCALE));
    assertEquals(List.of(), ManifestRules.check(all));
  }

  @Test
  void placeOrdersCatalogClientIsPointedAtTheGrpcServiceOfItsOwnNamespace() {
    KnativeManifests knative = new KnativeManifests(Fixtures.current());
    for (Environment environment : Environment.values()) {
      Map<String, Object> config = knative.config(environment, environment.namespace());
      assertEquals(
          "catalog-grpc." + environment.namespace() + ".svc.cluster.local",
          get(config, "data", "QUARKUS_GRPC_CLIENTS_CATALOG_HOST"));
      assertEquals("80", get(config, "data", "QUARKUS_GRPC_CLIENTS_CATALOG_PORT"));
    }
    // The tool's --namespace moves the address with the Services.
    assertEquals(
        "catalog-grpc.bookstore-test.svc.cluster.local",
        get(
            knative.config(Environment.DEV, "bookstore-test"),
            "data",
            "QUARKUS_GRPC_CLIENTS_CATALOG_HOST"));
    Map<String, Object> placeOrder =
        service(knative.all(Environment.DEV, Images.PLACEHOLDER), Routing.Functions.PLACE_ORDER);
    assertEquals(
        List.of(Map.of("configMapRef", Map.of("name", Names.CONFIG_MAP))),
        container(placeOrder).get("envFrom"));
  }

  @Test
  void functionsLogInToKafkaAsTheirOwnUserAndReadTheirOwnSecrets() {
    List<Map<String, Object>> all =
        new KnativeManifests(Fixtures.current()).all(Environment.DEV, Images.PLACEHOLDER);
    Map<String, Object> config =
        ofKind(all, "ConfigMap").stream()
            .filter(c -> name(c).equals(Names.CONFIG_MAP))
            .findFirst()
            .orElseThrow();
    assertEquals("SASL_PLAINTEXT", get(config, "data", "KAFKA_SECURITY_PROTOCOL"));
    assertEquals("SCRAM-SHA-512", get(config, "data", "KAFKA_SASL_MECHANISM"));
    assertEquals("8080", get(config, "data", "QUARKUS_HTTP_PORT"));
    assertTrue(get(config, "data", "BOOKSTORE_SMTP_HOST") instanceof String);
    assertTrue(get(config, "data", "BOOKSTORE_SMTP_PORT") instanceof String);
    for (Route route : Routing.all()) {
      Map<String, String> secrets = secretEnv(container(service(all, route.function())));
      assertEquals(
          route.function() + ".sasl.jaas.config",
          secrets.get("KAFKA_SASL_JAAS_CONFIG"),
          route.function());
    }
    Map<String, String> notify = secretEnv(container(service(all, Routing.Functions.NOTIFY)));
    assertEquals("BOOKSTORE_SMTP_USER", notify.get("BOOKSTORE_SMTP_USER"));
    assertEquals("BOOKSTORE_SMTP_PASSWORD", notify.get("BOOKSTORE_SMTP_PASSWORD"));
    Map<String, String> catalog = secretEnv(container(service(all, Routing.Functions.CATALOG)));
    assertEquals("CATALOG_ADMIN_TOKEN", catalog.get("CATALOG_ADMIN_TOKEN"));
    Map<String, String> sagaStep = secretEnv(container(service(all, Routing.Functions.SAGA_STEP)));
    assertEquals("BOOKSTORE_OPERATOR_TOKEN", sagaStep.get("BOOKSTORE_OPERATOR_TOKEN"));
    // A secret goes only to the function that needs it.
    Map<String, String> payment = secretEnv(container(service(all, Routing.Functions.PAYMENT)));
    assertNull(payment.get("CATALOG_ADMIN_TOKEN"));
    assertNull(payment.get("BOOKSTORE_OPERATOR_TOKEN"));
    assertNull(payment.get("BOOKSTORE_SMTP_PASSWORD"));
  }

  @Test
  void namesAreDns1123AndTooLongOnesAreRefused() {
    assertEquals("stock-reserve-v1", Names.shortName(EventTypes.STOCK_RESERVE));
    assertEquals(
        "register-user-user-registration-rejected-v1",
        Names.trigger(Routing.Functions.REGISTER_USER, EventTypes.USER_REGISTRATION_REJECTED));
    assertThrows(IllegalArgumentException.class, () -> Names.label("a".repeat(64)));
    assertThrows(IllegalArgumentException.class, () -> Names.label("Upper"));
    // A type's topic has dots, and so has its KafkaTopic: a subdomain, not a label.
    assertEquals(
        "bookstore.user.registration-rejected.v1-prod",
        Names.kafkaTopic(
            Topology.topicOf(EventTypes.USER_REGISTRATION_REJECTED), Environment.PROD));
    assertThrows(IllegalArgumentException.class, () -> Names.subdomain("a..b"));
    assertThrows(IllegalArgumentException.class, () -> Names.subdomain("Upper.case"));
  }

  @Test
  void kafkaTopicsTakeTheTopologysPartitionsAndRetention() {
    Product product = Fixtures.current();
    List<Map<String, Object>> topics = new StrimziManifests(product).topics();
    assertEquals(Topology.topics().size() * Environment.values().length, topics.size());
    for (Environment environment : Environment.values()) {
      for (Topic spec : Topology.topics()) {
        Map<String, Object> topic =
            topics.stream()
                .filter(t -> name(t).equals(spec.name() + "-" + environment.id()))
                .findFirst()
                .orElseThrow();
        assertEquals(spec.name(), get(topic, "spec", "topicName"));
        assertEquals(spec.name(), get(topic, "metadata", "labels", "app.kubernetes.io/name"));
        assertEquals(spec.partitions(), get(topic, "spec", "partitions"));
        assertEquals(
            spec.retention().toMillis(),
            ((Number) get(topic, "spec", "config", "retention.ms")).longValue());
        assertEquals(StrimziManifests.replicas(environment), get(topic, "spec", "replicas"));
      }
    }
    assertEquals(3, StrimziManifests.replicas(Environment.PROD));
  }

  @Test
  void topicsAreData() {
    // Other partitions and retention in, other KafkaTopics and topics.txt out.
    Product wider =
        Fixtures.withTopics(t -> new Topic(t.name(), t.kind(), 12, Duration.ofDays(1), t.type()));
    for (Map<String, Object> topic : new StrimziManifests(wider).topics()) {
      assertEquals(12, get(topic, "spec", "partitions"));
      assertEquals(
          86_400_000L, ((Number) get(topic, "spec", "config", "retention.ms")).longValue());
    }
    String local = new ManifestFiles(wider).render().get(LocalTopics.FILE);
    assertTrue(
        local.contains("\n" + Topology.topicOf(EventTypes.STOCK_RESERVE) + " 12 86400000\n"));
    assertEquals(
        "12",
        get(
            new KnativeManifests(wider).brokerConfig(Environment.DEV),
            "data",
            "default.topic.partitions"));
  }

  @Test
  void aProductWithoutTheTopicOfATypeItRoutesIsRefused() {
    Product today = Fixtures.current();
    String reserved = Topology.topicOf(EventTypes.STOCK_RESERVED);
    List<Topic> without = today.topics().stream().filter(t -> !t.name().equals(reserved)).toList();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new Product(today.routes(), today.types(), today.deployables(), without));
    assertTrue(e.getMessage().contains("topic " + reserved), e.getMessage());
    List<Topic> noBroker =
        today.topics().stream().filter(t -> t.kind() != Topology.TopicKind.BROKER).toList();
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new Product(today.routes(), today.types(), today.deployables(), noBroker));
    assertTrue(e.getMessage().contains("BROKER"), e.getMessage());
  }

  @Test
  void theProductDerivesWhatTheTopologyDerives() {
    Product product = Fixtures.current();
    for (Route route : product.routes()) {
      assertEquals(Topology.inputs(route.function()), Product.inputs(route), route.function());
      assertEquals(Topology.outputs(route.function()), Product.outputs(route), route.function());
    }
    for (EventType type : product.types()) {
      assertEquals(Topology.producers(type.type()), product.producers(type.type()));
      assertEquals(Topology.consumers(type.type()), product.consumers(type.type()));
    }
    assertEquals(Topology.externalCommands(), product.externalCommands());
    assertEquals(Topology.BROKER_TOPIC, product.brokerTopic().name());
    assertEquals(Topics.DEAD_LETTER, product.deadLetterTopic().name());
  }

  static Set<String> grants(List<Map<String, Object>> acls) {
    Set<String> grants = new HashSet<>();
    for (Map<String, Object> acl : acls) {
      for (Object op : (List<?>) acl.get("operations")) {
        grants.add(get(acl, "resource", "type") + ":" + get(acl, "resource", "name") + ":" + op);
      }
    }
    return grants;
  }

  private static Map<String, Object> service(List<Map<String, Object>> all, String name) {
    return ofKind(all, "Service").stream()
        .filter(r -> name(r).equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no Service " + name));
  }

  private static Map<?, ?> container(Map<String, Object> service) {
    return (Map<?, ?>) ((List<?>) get(service, "spec", "template", "spec", "containers")).get(0);
  }

  private static Map<String, Object> plainEnv(Map<?, ?> container) {
    Map<String, Object> out = new java.util.HashMap<>();
    for (Object e : (List<?>) container.get("env")) {
      Map<?, ?> var = (Map<?, ?>) e;
      if (var.get("value") != null) {
        out.put((String) var.get("name"), var.get("value"));
      }
    }
    return out;
  }

  /** Variable name to the key of bookstore-secrets it comes from. */
  private static Map<String, String> secretEnv(Map<?, ?> container) {
    Map<String, String> out = new java.util.HashMap<>();
    for (Object e : (List<?>) container.get("env")) {
      Object ref = get(e, "valueFrom", "secretKeyRef");
      if (ref != null) {
        assertEquals(Names.SECRET, get(ref, "name"));
        out.put((String) get(e, "name"), (String) get(ref, "key"));
      }
    }
    return out;
  }
}
