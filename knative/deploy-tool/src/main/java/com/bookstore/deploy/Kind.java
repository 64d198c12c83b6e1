package com.bookstore.deploy;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.Arrays;
import java.util.Map;

/**
 * The kinds the tool manages, with what a cluster must have installed to serve each. Explicit
 * contexts, so the tool never depends on API discovery to find a plural.
 */
public enum Kind {
  CONFIG_MAP("", "v1", "ConfigMap", "configmaps", null),
  /** A function's schema migrations, run before its Service changes (built into Kubernetes). */
  JOB("batch", "v1", "Job", "jobs", null),
  SERVICE("serving.knative.dev", "v1", "Service", "services", "Knative Serving"),
  BROKER("eventing.knative.dev", "v1", "Broker", "brokers", "Knative Eventing"),
  KAFKA_SINK(
      "eventing.knative.dev",
      "v1alpha1",
      "KafkaSink",
      "kafkasinks",
      "the Knative Kafka broker and sink (eventing-kafka-broker)"),
  TRIGGER("eventing.knative.dev", "v1", "Trigger", "triggers", "Knative Eventing"),
  PING_SOURCE("sources.knative.dev", "v1", "PingSource", "pingsources", "Knative Eventing"),
  KAFKA_SOURCE(
      "sources.knative.dev",
      "v1beta1",
      "KafkaSource",
      "kafkasources",
      "the Knative KafkaSource (eventing-kafka-broker's source)"),
  EVENT_TYPE("eventing.knative.dev", "v1beta3", "EventType", "eventtypes", "Knative Eventing");

  private final String group;
  private final String version;
  private final String kind;
  private final String plural;
  private final String installs;

  Kind(String group, String version, String kind, String plural, String installs) {
    this.group = group;
    this.version = version;
    this.kind = kind;
    this.plural = plural;
    this.installs = installs;
  }

  public String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  public String kind() {
    return kind;
  }

  /** The CRD's name, or null for a kind built into Kubernetes. */
  public String crd() {
    return installs == null ? null : plural + "." + group;
  }

  /** What to install when the CRD is missing. */
  public String installs() {
    return installs;
  }

  public ResourceDefinitionContext context() {
    return new ResourceDefinitionContext.Builder()
        .withGroup(group)
        .withVersion(version)
        .withKind(kind)
        .withPlural(plural)
        .withNamespaced(true)
        .build();
  }

  public static Kind of(Map<String, Object> resource) {
    String apiVersion = (String) resource.get("apiVersion");
    String kindName = (String) resource.get("kind");
    return Arrays.stream(values())
        .filter(k -> k.apiVersion().equals(apiVersion) && k.kind.equals(kindName))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "the tool does not manage " + apiVersion + " " + kindName));
  }
}
