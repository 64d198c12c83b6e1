package com.bookstore.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bookstore.deploy.Deployer.Action;
import com.bookstore.deploy.Deployer.Change;
import com.bookstore.events.Routing;
import io.fabric8.knative.client.KnativeClient;
import io.fabric8.knative.serving.v1.Revision;
import io.fabric8.knative.serving.v1.RevisionBuilder;
import io.fabric8.knative.serving.v1.Service;
import io.fabric8.knative.serving.v1.TrafficTarget;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The tool against the fabric8 mock API server in CRUD mode, with the Knative CRDs installed. */
@EnableKubernetesMockClient(crud = true)
class DeployerTest {

  static final String NS = Environment.DEV.namespace();

  KubernetesMockServer server;
  KubernetesClient client;

  private final List<Map<String, Object>> desired =
      new KnativeManifests(Fixtures.current()).all(Environment.DEV, Images.PLACEHOLDER);

  @BeforeEach
  void cluster() {
    installCrds();
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .create();
  }

  void installCrds() {
    for (String file : CrdSchemas.FILES) {
      if (!file.contains("knative")) {
        continue;
      }
      CustomResourceDefinition crd =
          client
              .getKubernetesSerialization()
              .unmarshal(
                  new ByteArrayInputStream(CrdSchemas.read(file).getBytes(StandardCharsets.UTF_8)),
                  CustomResourceDefinition.class);
      client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    }
  }

  private Deployer deployer() {
    return deployer(desired);
  }

  private Deployer deployer(List<Map<String, Object>> resources) {
    return new Deployer(
        client, NS, resources, java.time.Duration.ofSeconds(30), java.time.Duration.ofMillis(20));
  }

  /**
   * Stands in for Kubernetes' Job controller, which the mock server does not run: marks each new
   * Job Complete (or Failed, for the functions in {@link #failing}), noting how many Knative
   * Services existed at that moment.
   */
  private final java.util.Set<String> failing = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private final List<Integer> servicesWhenJobsFinished =
      java.util.Collections.synchronizedList(new java.util.ArrayList<>());

  private final java.util.concurrent.atomic.AtomicBoolean controllerRuns =
      new java.util.concurrent.atomic.AtomicBoolean(true);

  private Thread jobController;

  @BeforeEach
  void startJobController() {
    jobController =
        new Thread(
            () -> {
              while (controllerRuns.get()) {
                try {
                  finishNewJobs();
                  Thread.sleep(10);
                } catch (InterruptedException e) {
                  return;
                } catch (RuntimeException e) {
                  // the mock server between tests; look again
                }
              }
            },
            "fake-job-controller");
    jobController.setDaemon(true);
    jobController.start();
  }

  @AfterEach
  void stopJobController() throws InterruptedException {
    controllerRuns.set(false);
    jobController.join(5_000);
  }

  private void finishNewJobs() {
    var all = client.genericKubernetesResources(Kind.JOB.context()).inAnyNamespace();
    for (GenericKubernetesResource job : all.list().getItems()) {
      var jobs =
          client
              .genericKubernetesResources(Kind.JOB.context())
              .inNamespace(job.getMetadata().getNamespace());
      if (job.getAdditionalProperties().get("status") != null) {
        continue;
      }
      String function = job.getMetadata().getLabels().get("app.kubernetes.io/name");
      boolean fail = failing.contains(function);
      servicesWhenJobsFinished.add(knative().services().inNamespace(NS).list().getItems().size());
      job.setAdditionalProperty(
          "status",
          Map.of(
              "conditions",
              List.of(
                  fail
                      ? Map.of(
                          "type",
                          "Failed",
                          "status",
                          "True",
                          "reason",
                          "BackoffLimitExceeded",
                          "message",
                          "Job has reached the specified backoff limit")
                      : Map.of("type", "Complete", "status", "True"))));
      jobs.resource(job).updateStatus();
    }
  }

  private List<GenericKubernetesResource> migrationJobs() {
    return client
        .genericKubernetesResources(Kind.JOB.context())
        .inNamespace(NS)
        .withLabel("app.kubernetes.io/component", KnativeManifests.MIGRATE_COMPONENT)
        .list()
        .getItems();
  }

  @Test
  void migrationsRunToCompletionBeforeAnyServiceIsApplied() {
    long wanted = desired.stream().filter(r -> "Job".equals(r.get("kind"))).count();
    assertTrue(wanted >= 9, "a migration Job per function with a schema: " + wanted);

    deployer().apply();

    assertEquals(wanted, migrationJobs().size());
    assertTrue(
        migrationJobs().stream().allMatch(j -> Deployer.jobCondition(j, "Complete") != null),
        "every migration Job complete");
    assertEquals(wanted, servicesWhenJobsFinished.size());
    assertTrue(
        servicesWhenJobsFinished.stream().allMatch(n -> n == 0),
        "no Service existed while a migration ran: " + servicesWhenJobsFinished);
    assertTrue(knative().services().inNamespace(NS).list().getItems().size() > 0);
    assertTrue(
        deployer().status().stream()
            .anyMatch(l -> l.startsWith("Job/payment-migrate-") && l.endsWith(" Complete")),
        "status reports the Jobs");
  }

  @Test
  void aFailedMigrationStopsTheApplyBeforeAnyServiceChanges() {
    failing.add(Routing.Functions.PAYMENT);

    DeployException e = assertThrows(DeployException.class, () -> deployer().apply());

    assertTrue(e.getMessage().contains("migration Job payment-migrate-"), e.getMessage());
    assertTrue(e.getMessage().contains("BackoffLimitExceeded"), e.getMessage());
    assertTrue(e.getMessage().contains("kubectl logs -n " + NS + " job/payment-migrate-"));
    assertEquals(0, knative().services().inNamespace(NS).list().getItems().size());
  }

  @Test
  void planShowsEverythingAsNewThenApplyCreatesItThenNothingChanges() {
    List<Change> plan = deployer().plan();
    assertEquals(desired.size(), plan.size());
    assertTrue(plan.stream().allMatch(c -> c.action() == Action.CREATE), plan.toString());

    deployer().apply();
    Service service =
        client
            .adapt(KnativeClient.class)
            .services()
            .inNamespace(NS)
            .withName(Routing.Functions.PAYMENT)
            .get();
    assertNotNull(service);
    assertEquals(
        "cluster-local", service.getMetadata().getLabels().get(KnativeManifests.VISIBILITY));
    GenericKubernetesResource trigger =
        client
            .genericKubernetesResources(Kind.TRIGGER.context())
            .inNamespace(NS)
            .withName("payment-payment-capture-v1")
            .get();
    assertNotNull(trigger);
    assertEquals(
        "bookstore", ((Map<?, ?>) trigger.getAdditionalProperties().get("spec")).get("broker"));

    List<Change> again = deployer().plan();
    assertTrue(again.stream().allMatch(c -> c.action() == Action.UNCHANGED), again.toString());
  }

  @Test
  void planShowsAnUpdateForAChangedImageAndApplyKeepsTrafficItDoesNotManage() {
    deployer().apply();
    Deployer newImage =
        deployer(
            new KnativeManifests(Fixtures.current())
                .all(Environment.DEV, new Images("registry.example.com", "0.2.0")));
    List<Change> updates =
        newImage.plan().stream().filter(c -> c.action() == Action.UPDATE).toList();
    long services = desired.stream().filter(r -> "Service".equals(r.get("kind"))).count();
    assertEquals(services, updates.size(), updates.toString());
    assertTrue(updates.stream().allMatch(c -> c.kind() == Kind.SERVICE), updates.toString());
    assertTrue(updates.get(0).fields().get(0).startsWith("spec.template.spec.containers"));
    // A new image migrates again: new Jobs (a Job's template cannot change), the old ones go.
    List<Change> jobs = newImage.plan().stream().filter(c -> c.kind() == Kind.JOB).toList();
    assertEquals(
        jobs.stream().filter(c -> c.action() == Action.CREATE).count(),
        jobs.stream().filter(c -> c.action() == Action.DELETE).count(),
        jobs.toString());
    assertTrue(jobs.stream().anyMatch(c -> c.action() == Action.CREATE), jobs.toString());

    givenRevisions(Routing.Functions.PAYMENT, 2);
    deployer().canary(Routing.Functions.PAYMENT, 10);
    newImage.apply();
    Service service =
        knative().services().inNamespace(NS).withName(Routing.Functions.PAYMENT).get();
    assertTrue(
        service
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0)
            .getImage()
            .endsWith(":0.2.0"));
    assertEquals(2, service.getSpec().getTraffic().size(), "apply must not reset a canary");
  }

  @Test
  void applyCreatesTheSweepsPingSourceAndTheCatalogsGrpcService() {
    deployer().apply();
    GenericKubernetesResource ping =
        client
            .genericKubernetesResources(Kind.PING_SOURCE.context())
            .inNamespace(NS)
            .withName("saga-timeouts-sweep")
            .get();
    assertNotNull(ping);
    Map<?, ?> spec = (Map<?, ?>) ping.getAdditionalProperties().get("spec");
    assertEquals("*/1 * * * *", spec.get("schedule"));
    assertEquals("/sweep", ((Map<?, ?>) spec.get("sink")).get("uri"));
    assertEquals(
        Routing.Functions.SAGA_TIMEOUTS,
        ((Map<?, ?>) ((Map<?, ?>) spec.get("sink")).get("ref")).get("name"));

    Service grpc = knative().services().inNamespace(NS).withName("catalog-grpc").get();
    assertNotNull(grpc);
    var container = grpc.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertEquals(1, container.getPorts().size());
    assertEquals("h2c", container.getPorts().get(0).getName());
    assertEquals(9084, container.getPorts().get(0).getContainerPort());
    assertEquals(8080, container.getReadinessProbe().getHttpGet().getPort().getIntVal());
    assertEquals("cluster-local", grpc.getMetadata().getLabels().get(KnativeManifests.VISIBILITY));
  }

  @Test
  void anotherNamespacePointsPlaceOrderAtTheGrpcServiceInThatNamespace() {
    client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName("bookstore-test")
                .endMetadata()
                .build())
        .create();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        DeployTool.run(
            server::createClient,
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            "apply",
            "--namespace",
            "bookstore-test");
    assertEquals(0, code, err.toString());
    assertEquals(
        "catalog-grpc.bookstore-test.svc.cluster.local",
        client
            .configMaps()
            .inNamespace("bookstore-test")
            .withName(Names.CONFIG_MAP)
            .get()
            .getData()
            .get("QUARKUS_GRPC_CLIENTS_CATALOG_HOST"));
  }

  @Test
  void applyDeletesWhatTheToolMadeAndNoLongerWants() {
    deployer().apply();
    List<Map<String, Object>> fewer =
        desired.stream()
            .filter(r -> !"reserve-stock-stock-commit-v1".equals(Deployer.name(r)))
            .toList();
    List<Change> plan = deployer(fewer).plan();
    assertEquals(
        List.of("reserve-stock-stock-commit-v1"),
        plan.stream().filter(c -> c.action() == Action.DELETE).map(Change::name).toList());
    deployer(fewer).apply();
    assertNull(
        client
            .genericKubernetesResources(Kind.TRIGGER.context())
            .inNamespace(NS)
            .withName("reserve-stock-stock-commit-v1")
            .get());
  }

  @Test
  void canarySplitsBetweenThePreviousAndTheLatestRevisionAndPromoteEndsIt() {
    deployer().apply();
    givenRevisions(Routing.Functions.RESERVE_STOCK, 3);

    deployer().canary(Routing.Functions.RESERVE_STOCK, 20);
    List<TrafficTarget> traffic =
        knative()
            .services()
            .inNamespace(NS)
            .withName(Routing.Functions.RESERVE_STOCK)
            .get()
            .getSpec()
            .getTraffic();
    assertEquals(2, traffic.size());
    assertEquals("reserve-stock-00002", traffic.get(0).getRevisionName());
    assertEquals(80L, traffic.get(0).getPercent());
    assertEquals(Deployer.CURRENT, traffic.get(0).getTag());
    assertEquals(true, traffic.get(1).getLatestRevision());
    assertEquals(20L, traffic.get(1).getPercent());
    assertEquals(Deployer.CANDIDATE, traffic.get(1).getTag());

    deployer().promote(Routing.Functions.RESERVE_STOCK);
    traffic =
        knative()
            .services()
            .inNamespace(NS)
            .withName(Routing.Functions.RESERVE_STOCK)
            .get()
            .getSpec()
            .getTraffic();
    assertEquals(1, traffic.size());
    assertEquals(true, traffic.get(0).getLatestRevision());
    assertEquals(100L, traffic.get(0).getPercent());
    assertEquals(Deployer.CURRENT, traffic.get(0).getTag());
  }

  @Test
  void canaryNeedsAPreviousRevisionAndAPercentage() {
    deployer().apply();
    givenRevisions(Routing.Functions.PAYMENT, 1);
    DeployException e =
        assertThrows(DeployException.class, () -> deployer().canary(Routing.Functions.PAYMENT, 10));
    assertTrue(e.getMessage().contains("needs a previous one"), e.getMessage());
    assertThrows(DeployException.class, () -> deployer().canary(Routing.Functions.PAYMENT, 101));
  }

  @Test
  void statusReportsReadinessUrlAndRevisions() {
    deployer().apply();
    Service service =
        knative().services().inNamespace(NS).withName(Routing.Functions.REGISTER_USER).get();
    service.setStatus(
        new io.fabric8.knative.serving.v1.ServiceStatusBuilder()
            .withUrl("http://register-user.bookstore-dev.example.com")
            .withLatestReadyRevisionName("register-user-00001")
            .withLatestCreatedRevisionName("register-user-00001")
            .addNewCondition()
            .withType("Ready")
            .withStatus("True")
            .endCondition()
            .build());
    knative().services().inNamespace(NS).resource(service).updateStatus();
    List<String> lines = deployer().status();
    String line =
        lines.stream().filter(l -> l.startsWith("Service/register-user")).findFirst().orElseThrow();
    assertTrue(line.contains("Ready=True"), line);
    assertTrue(line.contains("url=http://register-user.bookstore-dev.example.com"), line);
    assertTrue(line.contains("latestReady=register-user-00001"), line);
    assertTrue(
        lines.stream().anyMatch(l -> l.startsWith("Broker/bookstore Ready=Unknown")),
        lines.toString());
  }

  @Test
  void deleteRemovesEverything() {
    deployer().apply();
    List<Change> deleted = deployer().delete();
    assertEquals(desired.size(), deleted.size());
    assertTrue(knative().services().inNamespace(NS).list().getItems().isEmpty());
    assertTrue(
        client
            .genericKubernetesResources(Kind.TRIGGER.context())
            .inNamespace(NS)
            .list()
            .getItems()
            .isEmpty());
  }

  @Test
  void aMissingNamespaceIsNamedWithTheCommandThatCreatesIt() {
    client.namespaces().withName(NS).delete();
    DeployException e = assertThrows(DeployException.class, () -> deployer().plan());
    assertEquals(
        "namespace bookstore-dev does not exist; create it with kubectl create namespace bookstore-dev",
        e.getMessage());
  }

  @Test
  void aClusterWithoutKnativeServingSaysWhatToInstall() {
    client
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .withName("services.serving.knative.dev")
        .delete();
    DeployException e = assertThrows(DeployException.class, () -> deployer().apply());
    assertEquals(
        "the cluster has no services.serving.knative.dev CRD: install Knative Serving first",
        e.getMessage());
  }

  @Test
  void theCommandLinePrintsThePlanAndErrorsWithoutAStackTrace() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    // The tool closes the client it is given after each command, as main's client must be.
    int code =
        DeployTool.run(
            server::createClient,
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            "plan",
            "--overlay",
            "dev");
    assertEquals(0, code, err.toString());
    assertTrue(out.toString().contains("create    Service/register-user"), out.toString());
    int failed =
        DeployTool.run(
            server::createClient,
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            "status",
            "--namespace",
            "missing");
    assertEquals(1, failed);
    assertEquals(
        "error: namespace missing does not exist; create it with kubectl create namespace missing",
        err.toString().strip());
  }

  private KnativeClient knative() {
    return client.adapt(KnativeClient.class);
  }

  /** What Knative's controller would create: one Revision per configuration generation. */
  private void givenRevisions(String function, int count) {
    for (int generation = 1; generation <= count; generation++) {
      Revision revision =
          new RevisionBuilder()
              .withNewMetadata()
              .withName(String.format("%s-%05d", function, generation))
              .withNamespace(NS)
              .addToLabels(Deployer.SERVICE_LABEL, function)
              .addToLabels(Deployer.GENERATION_LABEL, String.valueOf(generation))
              .endMetadata()
              .build();
      knative().revisions().inNamespace(NS).resource(revision).create();
    }
  }
}
