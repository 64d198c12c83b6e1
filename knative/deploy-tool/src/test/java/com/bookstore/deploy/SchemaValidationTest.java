package com.bookstore.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bookstore.events.Routing;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every committed manifest against the real CRD schemas (strict), core kinds against the fabric8
 * models, and the Knative rules the schemas do not carry.
 */
class SchemaValidationTest {

  private static CrdSchemas schemas;
  private static final StrictModel MODELS = new StrictModel();
  private static final Set<String> CORE_KINDS =
      Set.of("ConfigMap", "Secret", "StatefulSet", "Service", "Namespace");

  @BeforeAll
  static void load() {
    schemas = new CrdSchemas();
  }

  /** Every resource in the committed YAML files under knative/manifests and infra/cluster. */
  static Map<Path, List<Map<String, Object>>> committed() throws IOException {
    Path root = Fixtures.repoRoot();
    Map<Path, List<Map<String, Object>>> out = new java.util.TreeMap<>();
    for (String dir : List.of("knative/manifests", "infra/cluster")) {
      try (Stream<Path> paths = Files.walk(root.resolve(dir))) {
        for (Path path :
            paths
                .filter(p -> p.toString().endsWith(".yaml"))
                .filter(p -> !p.getFileName().toString().equals("kustomization.yaml"))
                .toList()) {
          out.put(root.relativize(path), Yaml.read(Files.readString(path)));
        }
      }
    }
    return out;
  }

  @Test
  void everyCommittedManifestIsValid() throws IOException {
    List<String> problems = new ArrayList<>();
    KubernetesSerialization serialization = new KubernetesSerialization();
    int validated = 0;
    for (var file : committed().entrySet()) {
      for (Map<String, Object> resource : file.getValue()) {
        String what =
            file.getKey()
                + " "
                + resource.get("kind")
                + "/"
                + ManifestRules.get(resource, "metadata", "name");
        if (schemas.covers(resource)) {
          schemas.violations(resource).forEach(v -> problems.add(what + ": " + v));
          validated++;
        } else if (MODELS.covers(resource)) {
          // The Prometheus Operator's kinds: its CRDs are not in the repo, its generated model is.
          MODELS.violations(resource).forEach(v -> problems.add(what + ": " + v));
          validated++;
        } else if (CORE_KINDS.contains(resource.get("kind"))
            && !String.valueOf(resource.get("apiVersion")).contains(".")) {
          // Core kinds: they must at least parse as the fabric8 model of their kind.
          HasMetadata parsed = serialization.unmarshal(Yaml.write(resource));
          if (!parsed.getKind().equals(resource.get("kind"))
              || parsed.getMetadata().getName() == null) {
            problems.add(what + ": does not parse as a Kubernetes " + resource.get("kind"));
          }
        } else {
          problems.add(what + ": no schema to validate " + resource.get("apiVersion") + " against");
        }
      }
    }
    assertEquals(List.of(), problems);
    assertTrue(validated > 20, "validated only " + validated + " resources");
  }

  @Test
  void committedKnativeManifestsFollowTheWebhookRules() throws IOException {
    List<Map<String, Object>> knative = new ArrayList<>();
    committed()
        .forEach(
            (path, resources) -> {
              if (path.startsWith("knative/manifests/base")) {
                knative.addAll(resources);
              }
            });
    assertFalse(knative.isEmpty());
    assertEquals(List.of(), ManifestRules.check(knative));
  }

  @Test
  void theManifestsOfAFunctionToComeAreValidToo() {
    Product future = Fixtures.withAnotherFunction();
    List<Map<String, Object>> resources = new ArrayList<>();
    for (Environment e : Environment.values()) {
      resources.addAll(new KnativeManifests(future).all(e, Images.PLACEHOLDER));
    }
    resources.addAll(new StrimziManifests(future).users());
    resources.addAll(new StrimziManifests(future).topics());
    List<String> problems = new ArrayList<>();
    for (Map<String, Object> r : resources) {
      if (schemas.covers(r)) {
        schemas.violations(r).forEach(v -> problems.add(r.get("kind") + ": " + v));
      }
    }
    assertEquals(List.of(), problems);
    for (String kind : List.of("PingSource", "Trigger", "KafkaUser", "KafkaTopic")) {
      assertTrue(
          resources.stream().anyMatch(r -> kind.equals(r.get("kind")) && schemas.covers(r)), kind);
    }
  }

  @Test
  void thePodMonitorsAreCheckedFieldByField() throws IOException {
    Map<String, Object> monitor =
        committed().get(Path.of("infra/cluster/monitoring/podmonitors.yaml")).get(0);
    assertTrue(MODELS.covers(monitor));
    assertEquals(List.of(), MODELS.violations(monitor));

    Map<String, Object> misspelt = Yaml.copy(monitor);
    @SuppressWarnings("unchecked")
    Map<String, Object> endpoint =
        ((List<Map<String, Object>>) Yaml.child(misspelt, "spec").get("podMetricsEndpoints"))
            .get(0);
    endpoint.put("scrapeInterval", "15s");
    assertEquals(
        List.of(
            "PodMonitor.spec.podMetricsEndpoints[0]: fields the schema does not have:"
                + " [scrapeInterval]"),
        MODELS.violations(misspelt));

    Map<String, Object> wrongType = Yaml.copy(monitor);
    Yaml.child(wrongType, "spec").put("selector", List.of("app"));
    assertFalse(MODELS.violations(wrongType).isEmpty(), "a list for a label selector");
  }

  @Test
  void theValidatorRejectsWhatTheApiServerWould() {
    Map<String, Object> service =
        new KnativeManifests(Fixtures.current())
            .all(Environment.DEV, Images.PLACEHOLDER).stream()
                .filter(r -> "Service".equals(r.get("kind")))
                .findFirst()
                .orElseThrow();
    assertEquals(Set.of(), schemas.violations(service));

    Map<String, Object> numeric = Yaml.copy(service);
    Yaml.child(numeric, "spec", "template", "metadata", "annotations")
        .put(KnativeManifests.MAX_SCALE, 5);
    assertFalse(schemas.violations(numeric).isEmpty(), "an integer annotation must be refused");
    assertFalse(ManifestRules.check(List.of(numeric)).isEmpty());

    Map<String, Object> unknownField = Yaml.copy(service);
    Yaml.child(unknownField, "spec").put("replicas", 2);
    assertFalse(schemas.violations(unknownField).isEmpty(), "strict mode refuses unknown fields");

    Map<String, Object> user = Yaml.copy(new StrimziManifests(Fixtures.current()).users().get(0));
    assertEquals(Set.of(), schemas.violations(user));
    Yaml.child(user, "spec").put("quota", Map.of("producerByteRate", 1));
    assertFalse(schemas.violations(user).isEmpty(), "strict mode applies to Strimzi kinds too");

    Map<String, Object> onService = Yaml.copy(service);
    Yaml.child(onService, "metadata", "annotations").put(KnativeManifests.MIN_SCALE, "1");
    assertTrue(
        ManifestRules.check(List.of(onService)).stream().anyMatch(p -> p.contains("belongs on")));
  }

  @Test
  void theSweepsPingSourceIsValidAndTheValidatorRefusesAMalformedOne() {
    Map<String, Object> ping =
        new KnativeManifests(Fixtures.current())
            .sources(Environment.DEV).stream()
                .filter(r -> "PingSource".equals(r.get("kind")))
                .findFirst()
                .orElseThrow();
    assertTrue(schemas.covers(ping));
    assertEquals(Set.of(), schemas.violations(ping));

    Map<String, Object> path = Yaml.copy(ping);
    Yaml.child(path, "spec", "sink").put("path", "/sweep");
    assertFalse(schemas.violations(path).isEmpty(), "a sink has uri, not path");

    Map<String, Object> numeric = Yaml.copy(ping);
    Yaml.child(numeric, "spec").put("schedule", 1);
    assertFalse(schemas.violations(numeric).isEmpty(), "a schedule is a string");

    Map<String, Object> service =
        new KnativeManifests(Fixtures.current())
            .all(Environment.DEV, Images.PLACEHOLDER).stream()
                .filter(r -> "Service".equals(r.get("kind")))
                .filter(r -> Routing.Functions.SAGA_TIMEOUTS.equals(Deployer.name(r)))
                .findFirst()
                .orElseThrow();
    Map<String, Object> absolute = Yaml.copy(ping);
    Yaml.child(absolute, "spec", "sink").put("uri", "http://elsewhere/sweep");
    assertTrue(
        ManifestRules.check(List.of(absolute, service)).stream()
            .anyMatch(p -> p.contains("must be relative")));
    Map<String, Object> sixFields = Yaml.copy(ping);
    Yaml.child(sixFields, "spec").put("schedule", "0 */1 * * * *");
    assertTrue(
        ManifestRules.check(List.of(sixFields, service)).stream()
            .anyMatch(p -> p.contains("five-field cron")));
    assertEquals(List.of(), ManifestRules.check(List.of(ping, service)));
  }

  @Test
  void theCatalogsGrpcServiceIsValidAndTheRulesRefuseASecondPortOrAnotherPortName() {
    Map<String, Object> grpc =
        new KnativeManifests(Fixtures.current())
            .all(Environment.PROD, Images.PLACEHOLDER).stream()
                .filter(r -> "catalog-grpc".equals(Deployer.name(r)))
                .findFirst()
                .orElseThrow();
    assertEquals("Service", grpc.get("kind"));
    assertEquals(Set.of(), schemas.violations(grpc));
    assertEquals(List.of(), ManifestRules.check(List.of(grpc)));

    Map<String, Object> twoPorts = Yaml.copy(grpc);
    Map<String, Object> container = container(twoPorts);
    container.put(
        "ports",
        List.of(
            Map.of("name", "h2c", "containerPort", 9084),
            Map.of("name", "http1", "containerPort", 8080)));
    assertTrue(
        ManifestRules.check(List.of(twoPorts)).stream()
            .anyMatch(p -> p.contains("more than one container port")));

    Map<String, Object> named = Yaml.copy(grpc);
    container(named).put("ports", List.of(Map.of("name", "grpc", "containerPort", 9084)));
    assertTrue(
        ManifestRules.check(List.of(named)).stream()
            .anyMatch(p -> p.contains("port name grpc is not allowed")));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> container(Map<String, Object> service) {
    return (Map<String, Object>)
        ((List<?>) ManifestRules.get(service, "spec", "template", "spec", "containers")).get(0);
  }

  @Test
  void webhookRulesCatchDanglingTriggersAndTriggersDeliveredOutOfOrder() {
    Product future = Fixtures.withAnotherFunction();
    List<Map<String, Object>> all =
        new ArrayList<>(new KnativeManifests(future).all(Environment.DEV, Images.PLACEHOLDER));
    all.removeIf(r -> "Broker".equals(r.get("kind")));
    List<String> problems = ManifestRules.check(all);
    assertTrue(
        problems.stream().anyMatch(p -> p.contains("is not a Broker here")), problems.toString());

    List<Map<String, Object>> unordered =
        new ArrayList<>(new KnativeManifests(future).all(Environment.DEV, Images.PLACEHOLDER));
    for (Map<String, Object> r : unordered) {
      if ("Trigger".equals(r.get("kind"))) {
        Yaml.child(r, "metadata").remove("annotations");
        // The Trigger's schema leaves metadata to the API server: only the rules can notice.
        assertEquals(Set.of(), schemas.violations(r));
      }
    }
    assertTrue(ManifestRules.check(unordered).stream().anyMatch(p -> p.contains("delivery.order")));
  }

  @Test
  void theSecretsExampleHasEveryKeyTheServicesReadAndOnlyPlaceholders() throws IOException {
    Map<String, Object> example =
        Yaml.read(
                Files.readString(
                    Fixtures.repoRoot().resolve("knative/manifests/secrets.example.yaml")))
            .stream()
            .filter(r -> Names.SECRET.equals(ManifestRules.get(r, "metadata", "name")))
            .findFirst()
            .orElseThrow();
    Map<?, ?> data = (Map<?, ?>) example.get("stringData");
    Set<String> read = new java.util.TreeSet<>();
    for (Environment environment : Environment.values()) {
      for (Map<String, Object> r :
          new KnativeManifests(Fixtures.current()).all(environment, Images.PLACEHOLDER)) {
        if (!"Service".equals(r.get("kind"))) {
          continue;
        }
        for (Object c : (List<?>) ManifestRules.get(r, "spec", "template", "spec", "containers")) {
          Object env = ManifestRules.get(c, "env");
          for (Object e : env instanceof List<?> list ? list : List.of()) {
            if (ManifestRules.get(e, "valueFrom", "secretKeyRef") != null) {
              assertEquals(Names.SECRET, ManifestRules.get(e, "valueFrom", "secretKeyRef", "name"));
              read.add((String) ManifestRules.get(e, "valueFrom", "secretKeyRef", "key"));
            }
          }
        }
      }
    }
    List<String> missing = read.stream().filter(k -> !data.containsKey(k)).toList();
    assertEquals(List.of(), missing, "keys the Services read but secrets.example.yaml lacks");
    for (Map.Entry<?, ?> e : data.entrySet()) {
      assertTrue(String.valueOf(e.getValue()).contains("CHANGE-ME"), e.getKey() + " is real?");
    }
  }

  @Test
  void redisAndPostgresAreStatefulSetsWhosePasswordsComeFromSecrets() throws IOException {
    KubernetesSerialization serialization = new KubernetesSerialization();
    for (String file :
        List.of("infra/cluster/redis/redis.yaml", "infra/cluster/postgres/postgres.yaml")) {
      List<Map<String, Object>> resources =
          Yaml.read(Files.readString(Fixtures.repoRoot().resolve(file)));
      StatefulSet set = null;
      for (Map<String, Object> r : resources) {
        HasMetadata parsed = serialization.unmarshal(Yaml.write(r));
        if (parsed instanceof StatefulSet s) {
          set = s;
        }
        assertFalse(parsed instanceof Secret, file + " must not commit a Secret");
        if (parsed instanceof ConfigMap cm && cm.getData() != null) {
          assertTrue(
              cm.getData().keySet().stream().noneMatch(k -> k.toLowerCase().contains("password")));
        }
      }
      assertInstanceOf(StatefulSet.class, set, file);
      assertFalse(
          set.getSpec().getVolumeClaimTemplates().isEmpty(), file + " needs a PVC template");
      boolean fromSecret =
          set.getSpec().getTemplate().getSpec().getContainers().stream()
              .flatMap(c -> c.getEnv().stream())
              .anyMatch(
                  e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null);
      assertTrue(fromSecret, file + " must read its password from a Secret");
    }
  }
}
