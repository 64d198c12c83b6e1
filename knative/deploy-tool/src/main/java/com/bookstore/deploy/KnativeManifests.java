package com.bookstore.deploy;

import static com.bookstore.deploy.Yaml.map;

import com.bookstore.deploy.Deployable.Scale;
import com.bookstore.deploy.Deployable.Visibility;
import com.bookstore.events.EventType;
import com.bookstore.events.Route;
import com.bookstore.events.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Knative resources of the product, derived from the routing table: a Service per function, a
 * Kafka Broker per workflow, a Trigger per function and type it takes, an EventType per catalogue
 * type, the dead-letter KafkaSink, and the sources (PingSource, KafkaSource) when the functions
 * they feed exist.
 */
public final class KnativeManifests {

  public static final String SERVING = "serving.knative.dev/v1";
  public static final String EVENTING = "eventing.knative.dev/v1";
  public static final String EVENT_TYPE_API = "eventing.knative.dev/v1beta3";
  public static final String KAFKA_SINK_API = "eventing.knative.dev/v1alpha1";
  public static final String PING_SOURCE_API = "sources.knative.dev/v1";
  public static final String KAFKA_SOURCE_API = "sources.knative.dev/v1beta1";

  public static final String MIN_SCALE = "autoscaling.knative.dev/min-scale";
  public static final String MAX_SCALE = "autoscaling.knative.dev/max-scale";
  public static final String TARGET = "autoscaling.knative.dev/target";
  public static final String METRIC = "autoscaling.knative.dev/metric";
  public static final String SCALE_DOWN_DELAY = "autoscaling.knative.dev/scale-down-delay";
  public static final String VISIBILITY = "networking.knative.dev/visibility";
  public static final String BROKER_CLASS = "eventing.knative.dev/broker.class";

  /** Every minute: the granularity of reservation holds and saga step deadlines. */
  public static final String SWEEP_SCHEDULE = "* * * * *";

  private final Product product;

  public KnativeManifests(Product product) {
    this.product = product;
  }

  /** Everything, as applied to one environment (no namespace: the caller sets it). */
  public List<Map<String, Object>> all(Environment environment, Images images) {
    List<Map<String, Object>> out = new ArrayList<>();
    out.add(config(environment));
    out.addAll(eventing());
    for (Route route : product.routes()) {
      out.addAll(function(route, environment, images));
    }
    out.addAll(sources(environment));
    out.addAll(eventTypes());
    return out;
  }

  /** Non-secret connection settings every function reads from its environment. */
  public Map<String, Object> config(Environment environment) {
    return map(
        "apiVersion",
        "v1",
        "kind",
        "ConfigMap",
        "metadata",
        metadata(Names.CONFIG_MAP, "config", null),
        "data",
        map(
            // The knative profile turns Kafka-direct off: the Broker delivers over HTTP.
            "QUARKUS_PROFILE", "knative",
            "BOOKSTORE_KAFKA_DIRECT", "false",
            "BOOKSTORE_ENVIRONMENT", environment.id(),
            "BOOKSTORE_PG_HOST", "postgres",
            "BOOKSTORE_PG_PORT", "5432",
            "BOOKSTORE_PG_DB", "bookstore",
            "BOOKSTORE_PG_USER", "bookstore",
            "BOOKSTORE_REDIS_URL", "redis://redis:6379",
            "BOOKSTORE_KAFKA_BOOTSTRAP", Names.KAFKA_BOOTSTRAP));
  }

  /** The Brokers and the dead-letter sink their Triggers share. */
  public List<Map<String, Object>> eventing() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (String topic : product.brokerTopics()) {
      Map<String, Object> meta = metadata(Names.broker(topic), "broker", null);
      meta.put("annotations", map(BROKER_CLASS, "Kafka"));
      out.add(
          map(
              "apiVersion",
              EVENTING,
              "kind",
              "Broker",
              "metadata",
              meta,
              "spec",
              map(
                  "config",
                  map(
                      "apiVersion",
                      "v1",
                      "kind",
                      "ConfigMap",
                      "name",
                      Names.BROKER_CONFIG,
                      "namespace",
                      Names.KNATIVE_EVENTING_NAMESPACE),
                  "delivery",
                  delivery())));
    }
    TopicSpec deadLetter = product.topic(Topics.DEAD_LETTER).orElseThrow();
    out.add(
        map(
            "apiVersion",
            KAFKA_SINK_API,
            "kind",
            "KafkaSink",
            "metadata",
            metadata(Names.DEAD_LETTER_SINK, "dead-letter", null),
            "spec",
            map(
                "topic", deadLetter.name(),
                "bootstrapServers", List.of(Names.KAFKA_BOOTSTRAP),
                // Binary mode keeps ce_ headers, as the Kafka-direct dead letters have.
                "contentMode", "binary",
                "auth", map("secret", map("ref", map("name", Names.KAFKA_AUTH_SECRET))))));
    return out;
  }

  /** A function's Service, and a Trigger per type it takes when a Broker delivers to it. */
  public List<Map<String, Object>> function(Route route, Environment environment, Images images) {
    List<Map<String, Object>> out = new ArrayList<>();
    out.add(service(route, environment, images));
    if (!route.topic().equals(Topics.COURIERS)) {
      for (String type : new TreeSet<>(route.triggers())) {
        out.add(trigger(route, type));
      }
    }
    return out;
  }

  Map<String, Object> service(Route route, Environment environment, Images images) {
    Deployable deployable = product.deployable(route);
    Map<String, Object> meta = metadata(route.function(), "function", route.function());
    if (deployable.visibility() == Visibility.CLUSTER_LOCAL) {
      Yaml.child(meta, "labels").put(VISIBILITY, "cluster-local");
    }
    List<Object> env = new ArrayList<>();
    if (deployable.postgres()) {
      env.add(secretEnv("BOOKSTORE_PG_PASSWORD"));
    }
    if (deployable.redis()) {
      // The URL carries Redis' password, so it comes from the Secret too.
      env.add(secretEnv("BOOKSTORE_REDIS_URL"));
    }
    Deployable.Resources r = deployable.resources();
    Map<String, Object> container =
        map(
            "name", "function",
            "image", images.image(route.function()),
            "ports", List.of(map("name", "http1", "containerPort", 8080)),
            "envFrom", List.of(map("configMapRef", map("name", Names.CONFIG_MAP))),
            "env", env.isEmpty() ? null : env,
            // No port: Knative probes the serving container's port itself.
            "readinessProbe", map("httpGet", map("path", "/q/health/ready"), "periodSeconds", 5),
            "livenessProbe",
                map(
                    "httpGet",
                    map("path", "/q/health/live"),
                    "periodSeconds",
                    10,
                    "failureThreshold",
                    3),
            "resources",
                map(
                    "requests", map("cpu", r.cpuRequest(), "memory", r.memoryRequest()),
                    "limits", map("cpu", r.cpuLimit(), "memory", r.memoryLimit())));
    return map(
        "apiVersion",
        SERVING,
        "kind",
        "Service",
        "metadata",
        meta,
        "spec",
        map(
            "template",
            map(
                "metadata",
                map(
                    "labels",
                    map(
                        "app.kubernetes.io/name",
                        route.function(),
                        "app.kubernetes.io/part-of",
                        Names.PART_OF),
                    "annotations",
                    scaleAnnotations(deployable.scale(environment))),
                "spec",
                map("timeoutSeconds", 60, "containers", List.of(container)))));
  }

  /** Autoscaling annotations: on the revision template only, and always strings. */
  public static Map<String, Object> scaleAnnotations(Scale scale) {
    return map(
        METRIC, "concurrency",
        TARGET, String.valueOf(scale.target()),
        MIN_SCALE, String.valueOf(scale.min()),
        MAX_SCALE, String.valueOf(scale.max()),
        SCALE_DOWN_DELAY, scale.scaleDownDelay());
  }

  Map<String, Object> trigger(Route route, String type) {
    return map(
        "apiVersion",
        EVENTING,
        "kind",
        "Trigger",
        "metadata",
        metadata(Names.trigger(route.function(), type), "trigger", route.function()),
        "spec",
        map(
            "broker", Names.broker(route.topic()),
            "filter", map("attributes", map("type", type)),
            "subscriber", map("ref", serviceRef(route.function())),
            "delivery", delivery()));
  }

  /** PingSource for saga-timeouts, KafkaSource for the couriers' topic; none until they exist. */
  public List<Map<String, Object>> sources(Environment environment) {
    List<Map<String, Object>> out = new ArrayList<>();
    product
        .route(Product.SAGA_TIMEOUTS)
        .ifPresent(
            route ->
                out.add(
                    map(
                        "apiVersion",
                        PING_SOURCE_API,
                        "kind",
                        "PingSource",
                        "metadata",
                        metadata(
                            Names.label(route.function() + "-sweep"), "source", route.function()),
                        "spec",
                        map(
                            "schedule", SWEEP_SCHEDULE,
                            "timezone", "Etc/UTC",
                            "contentType", "application/json",
                            "data", "{\"sweep\":\"due\"}",
                            "sink", map("ref", serviceRef(route.function()))))));
    for (Route route : product.courierRoutes()) {
      out.add(
          map(
              "apiVersion",
              KAFKA_SOURCE_API,
              "kind",
              "KafkaSource",
              "metadata",
              metadata(Names.kafkaSource(route.function()), "source", route.function()),
              "spec",
              map(
                  "consumerGroup", Names.consumerGroup(route.function(), environment),
                  "bootstrapServers", List.of(Names.KAFKA_BOOTSTRAP),
                  "topics", List.of(Topics.COURIERS),
                  "net", saslNet(),
                  "sink", map("ref", serviceRef(route.function())),
                  "delivery", delivery())));
    }
    return out;
  }

  /** One EventType per catalogue type and Broker (or source) it travels through. */
  public List<Map<String, Object>> eventTypes() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (EventType type : product.types()) {
      Set<String> topics = product.topicsOf(type.type());
      if (topics.isEmpty()) {
        // In the catalogue but no function takes or emits it yet: still listed, with no Broker.
        out.add(eventType(type, Names.shortName(type.type()), null));
        continue;
      }
      for (String topic : topics) {
        String name =
            topics.size() == 1
                ? Names.shortName(type.type())
                : Names.label(Names.shortName(type.type()) + "-" + Names.broker(topic));
        out.add(eventType(type, name, reference(topic, type.type())));
      }
    }
    return out;
  }

  private Map<String, Object> reference(String topic, String type) {
    if (!topic.equals(Topics.COURIERS)) {
      return map("apiVersion", EVENTING, "kind", "Broker", "name", Names.broker(topic));
    }
    String function =
        product.courierRoutes().stream()
            .filter(r -> r.triggers().contains(type) || r.emits().contains(type))
            .findFirst()
            .orElseThrow()
            .function();
    return map(
        "apiVersion", KAFKA_SOURCE_API, "kind", "KafkaSource", "name", Names.kafkaSource(function));
  }

  private Map<String, Object> eventType(EventType type, String name, Map<String, Object> ref) {
    return map(
        "apiVersion",
        EVENT_TYPE_API,
        "kind",
        "EventType",
        "metadata",
        metadata(name, "event-type", null),
        "spec",
        map(
            "reference", ref,
            "description", type.description(),
            "attributes",
                List.of(
                    attribute("specversion", true, "1.0"),
                    attribute("type", true, type.type()),
                    attribute("source", true, null),
                    attribute("id", true, null),
                    attribute("dataschema", true, type.dataschema()),
                    attribute("datacontenttype", false, "application/json"),
                    attribute("subject", false, null),
                    attribute("partitionkey", false, null))));
  }

  private static Map<String, Object> attribute(String name, boolean required, String value) {
    return map("name", name, "required", required, "value", value);
  }

  /** Retry with exponential backoff (0.2 s, 0.4 s, ... 3.2 s), then the dead-letter topic. */
  static Map<String, Object> delivery() {
    return map(
        "retry",
        5,
        "backoffPolicy",
        "exponential",
        "backoffDelay",
        "PT0.2S",
        "deadLetterSink",
        map(
            "ref",
            map(
                "apiVersion",
                KAFKA_SINK_API,
                "kind",
                "KafkaSink",
                "name",
                Names.DEAD_LETTER_SINK)));
  }

  private static Map<String, Object> secretEnv(String key) {
    return map(
        "name", key, "valueFrom", map("secretKeyRef", map("name", Names.SECRET, "key", key)));
  }

  private static Map<String, Object> serviceRef(String function) {
    return map("apiVersion", SERVING, "kind", "Service", "name", function);
  }

  private static Map<String, Object> saslNet() {
    return map(
        "sasl",
        map(
            "enable", true,
            "type", map("secretKeyRef", keyRef("sasl.mechanism")),
            "user", map("secretKeyRef", keyRef("user")),
            "password", map("secretKeyRef", keyRef("password"))),
        "tls",
        map("enable", false));
  }

  private static Map<String, Object> keyRef(String key) {
    return map("name", Names.KAFKA_AUTH_SECRET, "key", key);
  }

  static Map<String, Object> metadata(String name, String component, String function) {
    return map(
        "name",
        Names.label(name),
        "labels",
        map(
            "app.kubernetes.io/name",
            function == null ? name : function,
            "app.kubernetes.io/component",
            component,
            "app.kubernetes.io/part-of",
            Names.PART_OF,
            "app.kubernetes.io/managed-by",
            Names.MANAGED_BY));
  }
}
