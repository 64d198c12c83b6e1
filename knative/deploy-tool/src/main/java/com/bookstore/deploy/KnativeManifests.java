package com.bookstore.deploy;

import static com.bookstore.deploy.Yaml.map;

import com.bookstore.deploy.Deployable.Scale;
import com.bookstore.deploy.Deployable.Visibility;
import com.bookstore.events.EventType;
import com.bookstore.events.Route;
import com.bookstore.events.Topology;
import com.bookstore.events.Topology.Topic;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The Knative resources of the product, derived from the routing table: a Service per function, the
 * Kafka Broker on its topic ({@code bookstore-events}), a Trigger per function and type it takes
 * (delivered in order), an EventType per catalogue type, the dead-letter KafkaSink, and the
 * PingSource of saga-timeouts when that function exists.
 */
public final class KnativeManifests {

  public static final String SERVING = "serving.knative.dev/v1";
  public static final String EVENTING = "eventing.knative.dev/v1";
  public static final String EVENT_TYPE_API = "eventing.knative.dev/v1beta3";
  public static final String KAFKA_SINK_API = "eventing.knative.dev/v1alpha1";
  public static final String PING_SOURCE_API = "sources.knative.dev/v1";
  public static final String KAFKA_SOURCE_API = "sources.knative.dev/v1beta1";

  /**
   * The couriers' KafkaSource's consumer group, named explicitly (the source's default is its UID,
   * which changes when it is recreated and would re-read the topic from the start). Under the
   * {@code knative-} prefix the Knative data plane's KafkaUser may read with.
   */
  public static final String COURIERS_CONSUMER_GROUP = "knative-source-couriers";

  public static final String MIN_SCALE = "autoscaling.knative.dev/min-scale";
  public static final String MAX_SCALE = "autoscaling.knative.dev/max-scale";
  public static final String TARGET = "autoscaling.knative.dev/target";
  public static final String METRIC = "autoscaling.knative.dev/metric";
  public static final String SCALE_DOWN_DELAY = "autoscaling.knative.dev/scale-down-delay";
  public static final String VISIBILITY = "networking.knative.dev/visibility";
  public static final String BROKER_CLASS = "eventing.knative.dev/broker.class";

  /** The Kafka Broker reads and writes this existing topic instead of one of its own. */
  public static final String EXTERNAL_TOPIC = "kafka.eventing.knative.dev/external.topic";

  /**
   * How the Kafka Broker's dispatcher delivers a Trigger's events: {@code unordered} by default
   * (many in flight per partition); {@code ordered} waits for the subscriber's answer before it
   * sends the next event of the partition, so one saga's events (one partition key, one partition)
   * arrive one after the other, in the order they were written.
   */
  public static final String DELIVERY_ORDER = "kafka.eventing.knative.dev/delivery.order";

  public static final String ORDERED = "ordered";

  /**
   * Every minute, the finest a cron schedule goes: step deadlines and holds are found at most a
   * minute late on Knative (the local scheduler sweeps every second).
   */
  public static final String SWEEP_SCHEDULE = "*/1 * * * *";

  /** The path saga-timeouts answers the PingSource's event on. */
  public static final String SWEEP_PATH = "/sweep";

  /**
   * The port every function's HTTP server listens on in a container. Each function's
   * application.properties names its own port for local runs; the ConfigMap overrides it here.
   */
  public static final int HTTP_PORT = 8080;

  /** What the Kafka clusters' listener on 9092 takes: SCRAM over plain TCP inside the cluster. */
  public static final String KAFKA_SECURITY_PROTOCOL = "SASL_PLAINTEXT";

  public static final String KAFKA_SASL_MECHANISM = "SCRAM-SHA-512";

  private final Product product;

  public KnativeManifests(Product product) {
    this.product = product;
  }

  /** Everything, as applied to one environment in its own namespace. */
  public List<Map<String, Object>> all(Environment environment, Images images) {
    return all(environment, images, environment.namespace());
  }

  /**
   * Everything, as applied to one environment (no namespace on the resources: the caller sets it;
   * {@code namespace} only goes into the addresses functions call each other on).
   */
  public List<Map<String, Object>> all(Environment environment, Images images, String namespace) {
    List<Map<String, Object>> out = new ArrayList<>();
    out.add(config(environment, namespace));
    out.addAll(eventing(environment));
    for (Route route : product.routes()) {
      out.addAll(function(route, environment, images));
    }
    out.addAll(sources(environment));
    out.addAll(eventTypes());
    return out;
  }

  /** Non-secret settings every function reads from its environment. */
  public Map<String, Object> config(Environment environment, String namespace) {
    Map<String, Object> data =
        map(
            // The knative profile turns Kafka-direct off: the Broker delivers over HTTP.
            "QUARKUS_PROFILE", "knative",
            "BOOKSTORE_KAFKA_DIRECT", "false",
            "BOOKSTORE_ENVIRONMENT", environment.id(),
            // The port every Service declares, whatever port a function uses when run locally.
            "QUARKUS_HTTP_PORT", String.valueOf(HTTP_PORT),
            "BOOKSTORE_PG_HOST", "postgres",
            "BOOKSTORE_PG_PORT", "5432",
            "BOOKSTORE_PG_DB", "bookstore",
            "BOOKSTORE_PG_USER", "bookstore",
            "BOOKSTORE_REDIS_URL", "redis://redis:6379",
            "BOOKSTORE_KAFKA_BOOTSTRAP", Names.kafkaBootstrap(environment),
            // Functions publish some events straight to the topic (those no Broker request
            // answers): they log in with their own KafkaUser, whose JAAS line is in the Secret.
            "KAFKA_SECURITY_PROTOCOL", KAFKA_SECURITY_PROTOCOL,
            "KAFKA_SASL_MECHANISM", KAFKA_SASL_MECHANISM,
            // notify's mail relay: replace with yours (a kustomize patch, or edit the ConfigMap).
            // Submission port with STARTTLS required: the login never crosses in clear.
            "BOOKSTORE_SMTP_HOST", "smtp.example.com",
            "BOOKSTORE_SMTP_PORT", "587",
            "BOOKSTORE_SMTP_START_TLS", "REQUIRED");
    // A function's gRPC clients reach a gRPC API at its Service's cluster-local address, port 80;
    // the client is named after the function that serves it (quarkus.grpc.clients.catalog.*).
    for (Deployable deployable : new TreeMap<>(product.deployables()).values()) {
      if (deployable.grpc() == null) {
        continue;
      }
      String client = "QUARKUS_GRPC_CLIENTS_" + envName(deployable.function());
      data.put(
          client + "_HOST",
          Names.clusterLocalHost(Names.grpcService(deployable.function()), namespace));
      data.put(client + "_PORT", "80");
    }
    return map(
        "apiVersion",
        "v1",
        "kind",
        "ConfigMap",
        "metadata",
        metadata(Names.CONFIG_MAP, "config", null),
        "data",
        data);
  }

  /**
   * The Broker, its Kafka settings, and the dead-letter sink of its Triggers.
   *
   * <p>The Broker uses the Broker topic itself ({@code external.topic}: {@code bookstore-events})
   * instead of a topic of its own: some events reach the topic without passing the Broker (an order
   * placed over HTTP, a catalog change, a sweep's timeouts, every answer after a reply's first),
   * and the Triggers must see them as they see replies.
   */
  public List<Map<String, Object>> eventing(Environment environment) {
    List<Map<String, Object>> out = new ArrayList<>();
    out.add(brokerConfig(environment));
    String topic = product.brokerTopic().name();
    Map<String, Object> meta = metadata(Names.broker(topic), "broker", null);
    meta.put("annotations", map(BROKER_CLASS, "Kafka", EXTERNAL_TOPIC, topic));
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
                // No namespace: the Broker's own, so each environment reaches its own Kafka.
                "config",
                map("apiVersion", "v1", "kind", "ConfigMap", "name", Names.BROKER_CONFIG),
                "delivery",
                delivery())));
    Topic deadLetter = product.deadLetterTopic();
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
                "bootstrapServers", List.of(Names.kafkaBootstrap(environment)),
                // Binary mode keeps ce_ headers, as the Kafka-direct dead letters have.
                "contentMode", "binary",
                "auth", map("secret", map("ref", map("name", Names.KAFKA_AUTH_SECRET))))));
    return out;
  }

  /**
   * The Kafka Broker's settings, in the environment's namespace next to the Secret they name: this
   * environment's Kafka, and the partitions and replicas of topics it would create (it creates
   * none, the Broker naming its topic, but the settings are required).
   */
  public Map<String, Object> brokerConfig(Environment environment) {
    Topic workflow = product.brokerTopic();
    return map(
        "apiVersion",
        "v1",
        "kind",
        "ConfigMap",
        "metadata",
        metadata(Names.BROKER_CONFIG, "broker", null),
        "data",
        map(
            "bootstrap.servers",
            Names.kafkaBootstrap(environment),
            "default.topic.partitions",
            String.valueOf(workflow.partitions()),
            "default.topic.replication.factor",
            String.valueOf(StrimziManifests.replicas(environment)),
            "auth.secret.ref.name",
            Names.KAFKA_AUTH_SECRET));
  }

  /**
   * A function's Service (and its gRPC Service when it has a gRPC API), and a Trigger per type it
   * takes.
   */
  public List<Map<String, Object>> function(Route route, Environment environment, Images images) {
    List<Map<String, Object>> out = new ArrayList<>();
    if (product.deployable(route).postgres()) {
      out.add(migrateJob(route, images));
    }
    out.add(service(route, environment, images));
    product
        .deployable(route)
        .grpcApi()
        .ifPresent(grpc -> out.add(grpcService(route, grpc, environment, images)));
    for (String type : new TreeSet<>(route.triggers())) {
      out.add(trigger(route, type));
    }
    return out;
  }

  Map<String, Object> service(Route route, Environment environment, Images images) {
    Deployable deployable = product.deployable(route);
    Map<String, Object> container =
        container(
            route,
            images,
            map("name", "http1", "containerPort", HTTP_PORT),
            List.of(),
            // No port: Knative probes the serving container's port itself.
            null);
    return knativeService(
        route.function(),
        "function",
        route.function(),
        deployable.visibility(),
        deployable.scale(environment),
        container);
  }

  /** The component label of the migration Jobs ({@code kubectl wait ... -l} selects by it). */
  public static final String MIGRATE_COMPONENT = "migrate";

  /**
   * The function's schema migrations as a Job, run before its revision takes traffic: the deploy
   * tool applies the Jobs first and waits until each is complete; with kubectl, apply them and wait
   * for them first (knative/README.md). The function's own image, settings and database login, with
   * {@code QUARKUS_INIT_AND_EXIT}: Quarkus runs Flyway on the function's schema and exits before it
   * serves anything, so pods that start (or scale from zero together) do no schema work and never
   * race for Flyway's lock. The name carries a digest of the image: a Job's pod template cannot
   * change, so a new image is a new Job, and the tool deletes the old one.
   */
  Map<String, Object> migrateJob(Route route, Images images) {
    Deployable deployable = product.deployable(route);
    String image = images.image(route.function());
    List<Object> env =
        env(
            route,
            List.of(
                plainEnv("QUARKUS_INIT_AND_EXIT", "true"),
                plainEnv("QUARKUS_FLYWAY_MIGRATE_AT_START", "true")));
    Deployable.Resources r = deployable.resources();
    Map<String, Object> container =
        map(
            "name",
            "migrate",
            "image",
            image,
            "envFrom",
            List.of(map("configMapRef", map("name", Names.CONFIG_MAP))),
            "env",
            env,
            "resources",
            map(
                "requests", map("cpu", r.cpuRequest(), "memory", r.memoryRequest()),
                "limits", map("cpu", r.cpuLimit(), "memory", r.memoryLimit())));
    return map(
        "apiVersion",
        "batch/v1",
        "kind",
        "Job",
        "metadata",
        metadata(migrateJobName(route.function(), image), MIGRATE_COMPONENT, route.function()),
        "spec",
        map(
            // A failed migration is retried a few times (PostgreSQL restarting, say), then the Job
            // fails and the deploy stops before the new revision exists.
            "backoffLimit",
            4,
            "activeDeadlineSeconds",
            600,
            "template",
            map(
                "metadata",
                map(
                    "labels",
                    map(
                        "app.kubernetes.io/name",
                        route.function(),
                        "app.kubernetes.io/component",
                        MIGRATE_COMPONENT,
                        "app.kubernetes.io/part-of",
                        Names.PART_OF)),
                "spec",
                map("restartPolicy", "Never", "containers", List.of(container)))));
  }

  /** {@code <function>-migrate-<first 10 hex of the image's SHA-256>}. */
  static String migrateJobName(String function, String image) {
    try {
      byte[] sha =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(image.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return function + "-migrate-" + java.util.HexFormat.of().formatHex(sha).substring(0, 10);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  /**
   * The gRPC API of a function: the same image, its one port the gRPC server's, named {@code h2c}
   * so Knative speaks HTTP/2 cleartext to it end to end. The HTTP server still runs (on {@link
   * #HTTP_PORT}, not exposed) and answers the health probes, which Knative may send to a port other
   * than the serving one. Only other functions call it, so it is always cluster-local.
   */
  Map<String, Object> grpcService(
      Route route, Deployable.Grpc grpc, Environment environment, Images images) {
    Map<String, Object> container =
        container(
            route,
            images,
            map("name", "h2c", "containerPort", grpc.port()),
            List.of(
                // The catalog's own settings, stated so the port Knative routes to and the port
                // the gRPC server listens on cannot drift apart.
                plainEnv("QUARKUS_GRPC_SERVER_USE_SEPARATE_SERVER", "true"),
                plainEnv("QUARKUS_GRPC_SERVER_PORT", String.valueOf(grpc.port()))),
            HTTP_PORT);
    return knativeService(
        Names.grpcService(route.function()),
        "grpc-api",
        route.function(),
        Visibility.CLUSTER_LOCAL,
        grpc.scale(environment),
        container);
  }

  private Map<String, Object> container(
      Route route,
      Images images,
      Map<String, Object> port,
      List<Map<String, Object>> extraEnv,
      Integer probePort) {
    Deployable deployable = product.deployable(route);
    List<Object> env = env(route, extraEnv);
    Deployable.Resources r = deployable.resources();
    return map(
        "name", "function",
        "image", images.image(route.function()),
        "ports", List.of(port),
        "envFrom", List.of(map("configMapRef", map("name", Names.CONFIG_MAP))),
        "env", env.isEmpty() ? null : env,
        "readinessProbe", map("httpGet", httpGet("/q/health/ready", probePort), "periodSeconds", 5),
        "livenessProbe",
            map(
                "httpGet",
                httpGet("/q/health/live", probePort),
                "periodSeconds",
                10,
                "failureThreshold",
                3),
        "resources",
            map(
                "requests", map("cpu", r.cpuRequest(), "memory", r.memoryRequest()),
                "limits", map("cpu", r.cpuLimit(), "memory", r.memoryLimit())));
  }

  /** A function's environment beyond the ConfigMap: its secrets, then {@code extraEnv}. */
  private List<Object> env(Route route, List<Map<String, Object>> extraEnv) {
    Deployable deployable = product.deployable(route);
    List<Object> env = new ArrayList<>(extraEnv);
    if (deployable.postgres()) {
      env.add(secretEnv("BOOKSTORE_PG_PASSWORD"));
    }
    if (deployable.redis()) {
      // The URL carries Redis' password, so it comes from the Secret too.
      env.add(secretEnv("BOOKSTORE_REDIS_URL"));
    }
    if (!route.emits().isEmpty()) {
      // The kit publishes to the topic what no Broker request carries back (events a function
      // emits on its own, answers after a reply's first), as the function's own KafkaUser.
      env.add(secretEnv("KAFKA_SASL_JAAS_CONFIG", Names.kafkaJaasKey(route.function())));
    }
    for (String key : deployable.secrets()) {
      env.add(secretEnv(key));
    }
    return env;
  }

  private static Map<String, Object> httpGet(String path, Integer port) {
    return map("path", path, "port", port);
  }

  private static Map<String, Object> knativeService(
      String name,
      String component,
      String function,
      Visibility visibility,
      Scale scale,
      Map<String, Object> container) {
    Map<String, Object> meta = metadata(name, component, function);
    if (visibility == Visibility.CLUSTER_LOCAL) {
      Yaml.child(meta, "labels").put(VISIBILITY, "cluster-local");
    }
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
                        function,
                        "app.kubernetes.io/part-of",
                        Names.PART_OF),
                    "annotations",
                    scaleAnnotations(scale)),
                "spec",
                map("timeoutSeconds", 60, "containers", List.of(container)))));
  }

  /** {@code place-order} becomes {@code PLACE_ORDER}, as Quarkus maps environment variables. */
  static String envName(String function) {
    return function.toUpperCase(Locale.ROOT).replace('-', '_');
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

  /**
   * One function's Trigger for one type: an exact type filter, delivered in order ({@link
   * #DELIVERY_ORDER}), retried, then dead-lettered.
   */
  Map<String, Object> trigger(Route route, String type) {
    Map<String, Object> meta =
        metadata(Names.trigger(route.function(), type), "trigger", route.function());
    meta.put("annotations", map(DELIVERY_ORDER, ORDERED));
    return map(
        "apiVersion",
        EVENTING,
        "kind",
        "Trigger",
        "metadata",
        meta,
        "spec",
        map(
            "broker", Names.broker(product.brokerTopic().name()),
            "filter", map("attributes", map("type", type)),
            "subscriber", map("ref", serviceRef(route.function())),
            "delivery", delivery()));
  }

  /**
   * A PingSource that wakes saga-timeouts every minute ({@code POST /sweep}, an event of type
   * {@code dev.knative.sources.ping}).
   */
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
                            // The uri is resolved against the Service's address.
                            "sink", map("ref", serviceRef(route.function()), "uri", SWEEP_PATH)))));
    if (product.routes().stream()
        .anyMatch(r -> r.triggers().stream().anyMatch(Topology::isCourierType))) {
      out.add(couriersSource(environment));
    }
    return out;
  }

  /**
   * The couriers' topic into the product: a KafkaSource whose sink is the Broker, not a function. A
   * KafkaSource delivers to its sink and does not forward the sink's reply, so a source that called
   * dispatch-courier directly would drop the {@code delivery.picked-up} (etc.) it answers with.
   * Through the Broker, the courier's event reaches dispatch-courier by its Trigger (filtered on
   * type, ordered, retried, dead-lettered like every other), and the Trigger's reply goes back into
   * the Broker, where saga-step, notify and place-order take it. Ordered per partition, so one
   * order's courier events (keyed by the order id) arrive in the order they were written.
   */
  private Map<String, Object> couriersSource(Environment environment) {
    Map<String, Object> secret = map("name", Names.KAFKA_AUTH_SECRET);
    return map(
        "apiVersion",
        KAFKA_SOURCE_API,
        "kind",
        "KafkaSource",
        "metadata",
        metadata("couriers", "source", null),
        "spec",
        map(
            "bootstrapServers", List.of(Names.kafkaBootstrap(environment)),
            "topics", List.of(Topology.COURIERS_TOPIC),
            "consumerGroup", COURIERS_CONSUMER_GROUP,
            "initialOffset", "earliest",
            "ordering", "ordered",
            "net",
                map(
                    "sasl",
                    map(
                        "enable", true,
                        "type",
                            map(
                                "secretKeyRef",
                                map("name", "knative-kafka-auth", "key", "sasl.mechanism")),
                        "user",
                            map("secretKeyRef", map("name", "knative-kafka-auth", "key", "user")),
                        "password",
                            map(
                                "secretKeyRef",
                                map("name", "knative-kafka-auth", "key", "password")))),
            "sink",
                map(
                    "ref",
                    map(
                        "apiVersion",
                        EVENTING,
                        "kind",
                        "Broker",
                        "name",
                        Names.broker(product.brokerTopic().name())))));
  }

  /**
   * One EventType per catalogue type, referencing the Broker when a function takes or emits it
   * (every routed type travels through the Broker on Knative), and no Broker otherwise.
   */
  public List<Map<String, Object>> eventTypes() {
    List<Map<String, Object>> out = new ArrayList<>();
    Map<String, Object> broker =
        map(
            "apiVersion",
            EVENTING,
            "kind",
            "Broker",
            "name",
            Names.broker(product.brokerTopic().name()));
    for (EventType type : product.types()) {
      out.add(
          eventType(
              type,
              Names.shortName(type.type()),
              product.routed(type.type()) ? Yaml.copy(broker) : null));
    }
    return out;
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
    return secretEnv(key, key);
  }

  private static Map<String, Object> secretEnv(String variable, String key) {
    return map(
        "name", variable, "valueFrom", map("secretKeyRef", map("name", Names.SECRET, "key", key)));
  }

  private static Map<String, Object> plainEnv(String variable, String value) {
    return map("name", variable, "value", value);
  }

  private static Map<String, Object> serviceRef(String function) {
    return map("apiVersion", SERVING, "kind", "Service", "name", function);
  }

  static Map<String, Object> metadata(String name, String component, String function) {
    return metadataOf(Names.label(name), component, function);
  }

  /** Metadata for a name the caller has checked (a KafkaTopic's may be a DNS-1123 subdomain). */
  static Map<String, Object> metadataOf(String name, String component, String function) {
    return map(
        "name",
        name,
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
