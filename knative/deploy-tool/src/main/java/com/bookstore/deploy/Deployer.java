package com.bookstore.deploy;

import io.fabric8.knative.client.KnativeClient;
import io.fabric8.knative.serving.v1.Revision;
import io.fabric8.knative.serving.v1.Service;
import io.fabric8.knative.serving.v1.TrafficTarget;
import io.fabric8.knative.serving.v1.TrafficTargetBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Plans, applies and deletes the generated resources in one namespace, reports their state, and
 * splits a function's traffic between its two latest revisions. Resources are compared and written
 * as plain maps, so a field the generator does not set (status, resourceVersion, traffic after a
 * canary) is never touched.
 */
public final class Deployer {

  static final String MANAGED_BY_SELECTOR = "app.kubernetes.io/managed-by";
  static final String SERVICE_LABEL = "serving.knative.dev/service";
  static final String GENERATION_LABEL = "serving.knative.dev/configurationGeneration";
  public static final String CURRENT = "current";
  public static final String CANDIDATE = "candidate";

  private final KubernetesClient client;
  private final String namespace;
  private final List<Map<String, Object>> desired;
  private final KubernetesSerialization serialization;

  /** How long {@link #apply} waits for the migration Jobs, and how often it looks. */
  private final java.time.Duration migrationTimeout;

  private final java.time.Duration migrationPoll;

  public Deployer(KubernetesClient client, String namespace, List<Map<String, Object>> desired) {
    this(
        client,
        namespace,
        desired,
        java.time.Duration.ofMinutes(10),
        java.time.Duration.ofSeconds(2));
  }

  Deployer(
      KubernetesClient client,
      String namespace,
      List<Map<String, Object>> desired,
      java.time.Duration migrationTimeout,
      java.time.Duration migrationPoll) {
    this.client = client;
    this.namespace = namespace;
    this.desired = List.copyOf(desired);
    this.serialization = client.getKubernetesSerialization();
    this.migrationTimeout = migrationTimeout;
    this.migrationPoll = migrationPoll;
  }

  /** What an operation would do to one resource. */
  public enum Action {
    CREATE,
    UPDATE,
    UNCHANGED,
    DELETE
  }

  /**
   * @param fields for an update, the paths whose desired value differs from the live one
   */
  public record Change(Action action, Kind kind, String name, List<String> fields) {
    @Override
    public String toString() {
      String what = kind.kind() + "/" + name;
      return String.format(
          "%-9s %s%s", action.name().toLowerCase(), what, fields.isEmpty() ? "" : " " + fields);
    }
  }

  /** Fails with what to install or create when the cluster cannot take these resources. */
  public void preflight() {
    Set<Kind> kinds = new LinkedHashSet<>();
    for (Map<String, Object> resource : desired) {
      kinds.add(Kind.of(resource));
    }
    for (Kind kind : kinds) {
      if (kind.crd() != null && !hasCrd(kind)) {
        throw new DeployException(
            "the cluster has no " + kind.crd() + " CRD: install " + kind.installs() + " first");
      }
    }
    if (client.namespaces().withName(namespace).get() == null) {
      throw new DeployException(
          "namespace "
              + namespace
              + " does not exist; create it with kubectl create namespace "
              + namespace);
    }
  }

  private boolean hasCrd(Kind kind) {
    return client.apiextensions().v1().customResourceDefinitions().withName(kind.crd()).get()
        != null;
  }

  public List<Change> plan() {
    preflight();
    List<Change> changes = new ArrayList<>();
    Set<String> wanted = new LinkedHashSet<>();
    for (Map<String, Object> resource : desired) {
      Kind kind = Kind.of(resource);
      String name = name(resource);
      wanted.add(kind + "/" + name);
      GenericKubernetesResource live = resource(kind, name).get();
      if (live == null) {
        changes.add(new Change(Action.CREATE, kind, name, List.of()));
        continue;
      }
      List<String> differences = new ArrayList<>();
      diff("", toMap(live), resource, differences);
      changes.add(
          new Change(
              differences.isEmpty() ? Action.UNCHANGED : Action.UPDATE, kind, name, differences));
    }
    for (Kind kind : Kind.values()) {
      if (kind.crd() != null && !hasCrd(kind)) {
        continue;
      }
      for (GenericKubernetesResource live : managed(kind)) {
        if (!wanted.contains(kind + "/" + live.getMetadata().getName())) {
          changes.add(new Change(Action.DELETE, kind, live.getMetadata().getName(), List.of()));
        }
      }
    }
    return changes;
  }

  /**
   * Creates what is missing, updates what differs, deletes what the tool made and no longer wants.
   */
  public List<Change> apply() {
    List<Change> changes = plan();
    Map<String, Map<String, Object>> byKey = new LinkedHashMap<>();
    for (Map<String, Object> resource : desired) {
      byKey.put(Kind.of(resource) + "/" + name(resource), resource);
    }
    // Schema migrations first: every wanted Job complete before a Service or Trigger changes, so a
    // new revision never takes traffic on a schema it does not know. A failed Job stops the apply.
    for (Change change : changes) {
      if (isMigration(change)) {
        applyOne(change, byKey);
      }
    }
    for (Map<String, Object> resource : desired) {
      if (Kind.of(resource) == Kind.JOB) {
        awaitComplete(name(resource));
      }
    }
    for (Change change : changes) {
      if (!isMigration(change)) {
        applyOne(change, byKey);
      }
    }
    return changes;
  }

  private static boolean isMigration(Change change) {
    return change.kind() == Kind.JOB && change.action() != Action.DELETE;
  }

  private void applyOne(Change change, Map<String, Map<String, Object>> byKey) {
    Map<String, Object> resource = byKey.get(change.kind() + "/" + change.name());
    switch (change.action()) {
      case CREATE -> resources(change.kind()).resource(toResource(resource)).create();
      case UPDATE -> {
        if (change.kind() == Kind.JOB) {
          // A Job's template cannot change: a changed Job is run again as a new one.
          resource(change.kind(), change.name())
              .withPropagationPolicy(io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND)
              .delete();
          resources(change.kind()).resource(toResource(resource)).create();
        } else {
          Map<String, Object> merged = toMap(resource(change.kind(), change.name()).get());
          merge(merged, resource);
          resources(change.kind()).resource(toResource(merged)).update();
        }
      }
      case DELETE ->
          resource(change.kind(), change.name())
              .withPropagationPolicy(io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND)
              .delete();
      case UNCHANGED -> {}
    }
  }

  /**
   * Waits until the Job has succeeded; fails naming it, and where its logs are, when it failed or
   * did not finish within the migration timeout.
   */
  private void awaitComplete(String job) {
    long deadline = System.nanoTime() + migrationTimeout.toNanos();
    while (true) {
      GenericKubernetesResource live = resource(Kind.JOB, job).get();
      if (live == null) {
        throw new DeployException("migration Job " + job + " disappeared before it completed");
      }
      Map<String, Object> failed = jobCondition(live, "Failed");
      if (failed != null) {
        throw new DeployException(
            "migration Job "
                + job
                + " failed ("
                + failed.get("reason")
                + ": "
                + failed.get("message")
                + "); nothing else was changed. Its logs: kubectl logs -n "
                + namespace
                + " job/"
                + job);
      }
      if (jobCondition(live, "Complete") != null) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new DeployException(
            "migration Job "
                + job
                + " not complete after "
                + migrationTimeout
                + "; nothing else was changed. kubectl describe -n "
                + namespace
                + " job/"
                + job);
      }
      try {
        Thread.sleep(migrationPoll.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DeployException("interrupted while waiting for migration Job " + job);
      }
    }
  }

  /** The Job's condition of this type when its status is True, else null. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> jobCondition(GenericKubernetesResource job, String type) {
    if (job.getAdditionalProperties().get("status") instanceof Map<?, ?> status
        && status.get("conditions") instanceof List<?> conditions) {
      for (Object c : conditions) {
        Map<String, Object> condition = (Map<String, Object>) c;
        if (type.equals(condition.get("type")) && "True".equals(condition.get("status"))) {
          return condition;
        }
      }
    }
    return null;
  }

  /** Deletes every generated resource (and what the tool made earlier), Services last. */
  public List<Change> delete() {
    preflight();
    List<Change> deleted = new ArrayList<>();
    List<Kind> order = new ArrayList<>(List.of(Kind.values()));
    order.sort(Comparator.comparing((Kind k) -> k == Kind.SERVICE || k == Kind.CONFIG_MAP));
    Set<String> names = new LinkedHashSet<>();
    for (Map<String, Object> resource : desired) {
      names.add(Kind.of(resource) + "/" + name(resource));
    }
    for (Kind kind : order) {
      if (kind.crd() != null && !hasCrd(kind)) {
        continue;
      }
      Set<String> here = new LinkedHashSet<>();
      for (GenericKubernetesResource live : managed(kind)) {
        here.add(live.getMetadata().getName());
      }
      for (String key : names) {
        if (key.startsWith(kind + "/")) {
          here.add(key.substring(kind.toString().length() + 1));
        }
      }
      for (String name : here) {
        if (resource(kind, name).get() != null) {
          resource(kind, name).delete();
          deleted.add(new Change(Action.DELETE, kind, name, List.of()));
        }
      }
    }
    return deleted;
  }

  /** One line per Service, Broker, Trigger and source: ready or why not, URL, revisions. */
  public List<String> status() {
    preflight();
    List<String> lines = new ArrayList<>();
    KnativeClient knative = client.adapt(KnativeClient.class);
    for (Map<String, Object> resource : desired) {
      Kind kind = Kind.of(resource);
      if (kind == Kind.CONFIG_MAP || kind == Kind.EVENT_TYPE) {
        continue;
      }
      String name = name(resource);
      if (kind == Kind.SERVICE) {
        Service service = knative.services().inNamespace(namespace).withName(name).get();
        lines.add(serviceStatus(name, service));
        continue;
      }
      GenericKubernetesResource live = resource(kind, name).get();
      if (kind == Kind.JOB) {
        lines.add(jobStatus(name, live));
        continue;
      }
      lines.add(genericStatus(kind, name, live));
    }
    return lines;
  }

  private static String jobStatus(String name, GenericKubernetesResource live) {
    if (live == null) {
      return "Job/" + name + " missing";
    }
    if (jobCondition(live, "Complete") != null) {
      return "Job/" + name + " Complete";
    }
    Map<String, Object> failed = jobCondition(live, "Failed");
    return failed != null
        ? "Job/" + name + " Failed (" + failed.get("reason") + ")"
        : "Job/" + name + " running";
  }

  private static String serviceStatus(String name, Service service) {
    if (service == null) {
      return "Service/" + name + " missing";
    }
    var status = service.getStatus();
    if (status == null) {
      return "Service/" + name + " Ready=Unknown (no status yet)";
    }
    String ready =
        status.getConditions() == null
            ? "Unknown"
            : status.getConditions().stream()
                .filter(c -> "Ready".equals(c.getType()))
                .map(c -> c.getStatus() + (c.getReason() == null ? "" : " (" + c.getReason() + ")"))
                .findFirst()
                .orElse("Unknown");
    StringBuilder traffic = new StringBuilder();
    if (status.getTraffic() != null) {
      for (TrafficTarget t : status.getTraffic()) {
        traffic
            .append(traffic.length() == 0 ? "" : ", ")
            .append(t.getRevisionName())
            .append(' ')
            .append(t.getPercent())
            .append('%')
            .append(t.getTag() == null ? "" : " @" + t.getTag());
      }
    }
    return "Service/"
        + name
        + " Ready="
        + ready
        + " url="
        + status.getUrl()
        + " latestCreated="
        + status.getLatestCreatedRevisionName()
        + " latestReady="
        + status.getLatestReadyRevisionName()
        + (traffic.length() == 0 ? "" : " traffic=[" + traffic + "]");
  }

  @SuppressWarnings("unchecked")
  private String genericStatus(Kind kind, String name, GenericKubernetesResource live) {
    String what = kind.kind() + "/" + name;
    if (live == null) {
      return what + " missing";
    }
    Object status = live.getAdditionalProperties().get("status");
    String ready = "Unknown";
    String address = null;
    if (status instanceof Map<?, ?> map) {
      Object conditions = map.get("conditions");
      if (conditions instanceof List<?> list) {
        for (Object c : list) {
          Map<String, Object> condition = (Map<String, Object>) c;
          if ("Ready".equals(condition.get("type"))) {
            ready =
                condition.get("status")
                    + (condition.get("reason") == null ? "" : " (" + condition.get("reason") + ")");
          }
        }
      }
      if (map.get("address") instanceof Map<?, ?> a && a.get("url") != null) {
        address = String.valueOf(a.get("url"));
      }
    }
    return what + " Ready=" + ready + (address == null ? "" : " address=" + address);
  }

  /**
   * Sends {@code percent} of a function's traffic to its latest revision (tag candidate) and the
   * rest to the revision before it (tag current).
   */
  public Service canary(String function, int percent) {
    if (percent < 0 || percent > 100) {
      throw new DeployException("canary percent must be between 0 and 100, got " + percent);
    }
    preflight();
    Service service = service(function);
    List<Revision> revisions = revisions(function);
    if (revisions.size() < 2) {
      throw new DeployException(
          "Service "
              + function
              + " has "
              + revisions.size()
              + " revision(s); a canary needs a previous one: apply a new image first");
    }
    String previous = revisions.get(revisions.size() - 2).getMetadata().getName();
    List<TrafficTarget> traffic =
        List.of(
            new TrafficTargetBuilder()
                .withRevisionName(previous)
                .withPercent((long) (100 - percent))
                .withTag(CURRENT)
                .build(),
            new TrafficTargetBuilder()
                .withLatestRevision(true)
                .withPercent((long) percent)
                .withTag(CANDIDATE)
                .build());
    return setTraffic(service, traffic);
  }

  /** All traffic to the latest revision, tagged current. */
  public Service promote(String function) {
    preflight();
    Service service = service(function);
    return setTraffic(
        service,
        List.of(
            new TrafficTargetBuilder()
                .withLatestRevision(true)
                .withPercent(100L)
                .withTag(CURRENT)
                .build()));
  }

  private Service setTraffic(Service service, List<TrafficTarget> traffic) {
    service.getSpec().setTraffic(traffic);
    return client
        .adapt(KnativeClient.class)
        .services()
        .inNamespace(namespace)
        .resource(service)
        .update();
  }

  private Service service(String function) {
    Service service =
        client
            .adapt(KnativeClient.class)
            .services()
            .inNamespace(namespace)
            .withName(function)
            .get();
    if (service == null) {
      throw new DeployException(
          "Service " + function + " does not exist in namespace " + namespace + "; apply first");
    }
    return service;
  }

  /**
   * The Service's revisions, oldest first (by the generation of the configuration they came from).
   */
  List<Revision> revisions(String function) {
    List<Revision> revisions =
        new ArrayList<>(
            client
                .adapt(KnativeClient.class)
                .revisions()
                .inNamespace(namespace)
                .withLabel(SERVICE_LABEL, function)
                .list()
                .getItems());
    revisions.sort(Comparator.comparingLong(Deployer::generation));
    return revisions;
  }

  private static long generation(Revision revision) {
    Map<String, String> labels = revision.getMetadata().getLabels();
    String value = labels == null ? null : labels.get(GENERATION_LABEL);
    return value == null ? 0 : Long.parseLong(value);
  }

  private List<GenericKubernetesResource> managed(Kind kind) {
    GenericKubernetesResourceList list =
        resources(kind).withLabel(MANAGED_BY_SELECTOR, Names.MANAGED_BY).list();
    return list.getItems();
  }

  private NonNamespaceOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      resources(Kind kind) {
    return client.genericKubernetesResources(kind.context()).inNamespace(namespace);
  }

  private Resource<GenericKubernetesResource> resource(Kind kind, String name) {
    return resources(kind).withName(name);
  }

  private GenericKubernetesResource toResource(Map<String, Object> resource) {
    GenericKubernetesResource out =
        serialization.convertValue(resource, GenericKubernetesResource.class);
    out.getMetadata().setNamespace(namespace);
    return out;
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> toMap(GenericKubernetesResource live) {
    return serialization.convertValue(live, Map.class);
  }

  @SuppressWarnings("unchecked")
  static String name(Map<String, Object> resource) {
    return (String) ((Map<String, Object>) resource.get("metadata")).get("name");
  }

  /** Records every path where {@code desired} sets a value the live resource does not have. */
  @SuppressWarnings("unchecked")
  static void diff(String path, Object live, Object desired, List<String> out) {
    if (desired instanceof Map<?, ?> want) {
      if (!(live instanceof Map<?, ?> have)) {
        out.add(path.isEmpty() ? "/" : path);
        return;
      }
      for (Map.Entry<String, Object> e : ((Map<String, Object>) want).entrySet()) {
        diff(
            path.isEmpty() ? e.getKey() : path + "." + e.getKey(),
            ((Map<String, Object>) have).get(e.getKey()),
            e.getValue(),
            out);
      }
    } else if (desired instanceof List<?> want) {
      if (!(live instanceof List<?> have) || have.size() != want.size()) {
        out.add(path);
        return;
      }
      List<String> inner = new ArrayList<>();
      for (int i = 0; i < want.size(); i++) {
        diff(path + "[" + i + "]", have.get(i), want.get(i), inner);
      }
      if (!inner.isEmpty()) {
        out.add(path);
      }
    } else if (live == null || !Objects.equals(String.valueOf(live), String.valueOf(desired))) {
      // Numbers come back as Integer or Long; both print alike.
      out.add(path);
    }
  }

  /** Writes {@code desired} over {@code live}: maps merge, anything else is replaced. */
  @SuppressWarnings("unchecked")
  static void merge(Map<String, Object> live, Map<String, Object> desired) {
    for (Map.Entry<String, Object> e : desired.entrySet()) {
      Object have = live.get(e.getKey());
      if (have instanceof Map<?, ?> haveMap && e.getValue() instanceof Map<?, ?> wantMap) {
        merge((Map<String, Object>) haveMap, (Map<String, Object>) wantMap);
      } else {
        live.put(e.getKey(), e.getValue());
      }
    }
  }
}
