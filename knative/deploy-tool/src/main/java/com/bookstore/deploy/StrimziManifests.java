package com.bookstore.deploy;

import static com.bookstore.deploy.Yaml.map;

import com.bookstore.events.Route;
import com.bookstore.events.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Kafka for a cluster, as Strimzi resources: a KRaft cluster with one node pool, the topics of
 * {@code infra/local/topics.txt}, and one KafkaUser per function and environment whose ACLs allow
 * exactly what the routing table says the function does in Kafka-direct mode.
 */
public final class StrimziManifests {

  public static final String API = "kafka.strimzi.io/v1";
  static final String CLUSTER_LABEL = "strimzi.io/cluster";
  static final int REPLICAS = 3;

  /** Knative's Kafka data plane (Brokers, KafkaSink, KafkaSource) authenticates as this user. */
  public static final String KNATIVE_USER = "knative-eventing";

  /** Topic and consumer-group prefix of the Kafka Broker's own topics and Trigger consumers. */
  static final String KNATIVE_PREFIX = "knative-";

  private final Product product;

  public StrimziManifests(Product product) {
    this.product = product;
  }

  public List<Map<String, Object>> cluster() {
    Map<String, Object> kafkaMeta = metadata(Names.KAFKA_CLUSTER, "kafka");
    kafkaMeta.put(
        "annotations", map("strimzi.io/node-pools", "enabled", "strimzi.io/kraft", "enabled"));
    Map<String, Object> kafka =
        map(
            "apiVersion",
            API,
            "kind",
            "Kafka",
            "metadata",
            kafkaMeta,
            "spec",
            map(
                "kafka",
                map(
                    "listeners",
                    List.of(
                        map(
                            "name",
                            "scram",
                            "port",
                            9092,
                            "type",
                            "internal",
                            "tls",
                            false,
                            "authentication",
                            map("type", "scram-sha-512")),
                        map(
                            "name",
                            "tls",
                            "port",
                            9093,
                            "type",
                            "internal",
                            "tls",
                            true,
                            "authentication",
                            map("type", "tls"))),
                    "authorization",
                    map("type", "simple"),
                    "config",
                    map(
                        "offsets.topic.replication.factor",
                        REPLICAS,
                        "transaction.state.log.replication.factor",
                        REPLICAS,
                        "transaction.state.log.min.isr",
                        2,
                        "default.replication.factor",
                        REPLICAS,
                        "min.insync.replicas",
                        2,
                        // Topics come from KafkaTopics only, never from a typo in a client.
                        "auto.create.topics.enable",
                        false)),
                "entityOperator",
                map("topicOperator", map(), "userOperator", map())));
    Map<String, Object> poolMeta = metadata("dual-role", "kafka");
    Yaml.child(poolMeta, "labels").put(CLUSTER_LABEL, Names.KAFKA_CLUSTER);
    Map<String, Object> pool =
        map(
            "apiVersion",
            API,
            "kind",
            "KafkaNodePool",
            "metadata",
            poolMeta,
            "spec",
            map(
                "replicas", REPLICAS,
                "roles", List.of("controller", "broker"),
                "storage",
                    map(
                        "type",
                        "jbod",
                        "volumes",
                        List.of(
                            map(
                                "id", 0,
                                "type", "persistent-claim",
                                "size", "20Gi",
                                "deleteClaim", false,
                                "kraftMetadata", "shared")))));
    return List.of(kafka, pool);
  }

  public List<Map<String, Object>> topics() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (TopicSpec topic : product.topics()) {
      Map<String, Object> meta = metadata(topic.name(), "kafka-topic");
      Yaml.child(meta, "labels").put(CLUSTER_LABEL, Names.KAFKA_CLUSTER);
      out.add(
          map(
              "apiVersion",
              API,
              "kind",
              "KafkaTopic",
              "metadata",
              meta,
              "spec",
              map(
                  "partitions", topic.partitions(),
                  "replicas", REPLICAS,
                  "config",
                      map(
                          "retention.ms",
                          topic.retentionMs(),
                          "min.insync.replicas",
                          2,
                          "cleanup.policy",
                          "delete"))));
    }
    return out;
  }

  /** One user per function and environment, and the Knative data plane's user. */
  public List<Map<String, Object>> users() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Environment environment : Environment.values()) {
      for (Route route : product.routes()) {
        out.add(
            user(
                Names.kafkaUser(route.function(), environment),
                route.function(),
                functionAcls(route, environment)));
      }
    }
    out.add(user(KNATIVE_USER, KNATIVE_USER, knativeAcls()));
    return out;
  }

  /**
   * Least privilege for Kafka-direct mode: consume its own topic with its own group when it takes
   * anything, produce to its topic when it emits anything, dead-letter what it cannot handle.
   * Describe goes with Read and Write because clients fetch topic metadata first.
   */
  static List<Map<String, Object>> functionAcls(Route route, Environment environment) {
    List<Map<String, Object>> acls = new ArrayList<>();
    if (!route.triggers().isEmpty() || route.gatekeeper()) {
      acls.add(acl("topic", route.topic(), "literal", "Read", "Describe"));
      acls.add(acl("group", Names.consumerGroup(route.function(), environment), "literal", "Read"));
    }
    if (!route.emits().isEmpty()) {
      acls.add(acl("topic", route.topic(), "literal", "Write", "Describe"));
    }
    acls.add(acl("topic", Topics.DEAD_LETTER, "literal", "Write", "Describe"));
    return acls;
  }

  /**
   * The Kafka Broker creates and deletes its own {@code knative-broker-*} topics and consumes them
   * with {@code knative-trigger-*} groups; KafkaSources read the couriers' topic with the groups
   * the manifests name; every Trigger's dead letters go to the dead-letter topic.
   */
  List<Map<String, Object>> knativeAcls() {
    List<Map<String, Object>> acls = new ArrayList<>();
    acls.add(
        acl(
            "topic",
            KNATIVE_PREFIX,
            "prefix",
            "Create",
            "Delete",
            "Describe",
            "DescribeConfigs",
            "Read",
            "Write"));
    acls.add(acl("group", KNATIVE_PREFIX, "prefix", "Read", "Describe"));
    acls.add(acl("topic", Topics.DEAD_LETTER, "literal", "Write", "Describe"));
    for (Route route : product.courierRoutes()) {
      acls.add(acl("topic", Topics.COURIERS, "literal", "Read", "Describe"));
      for (Environment environment : Environment.values()) {
        acls.add(
            acl(
                "group",
                Names.consumerGroup(route.function(), environment),
                "literal",
                "Read",
                "Describe"));
      }
    }
    return acls;
  }

  private static Map<String, Object> user(
      String name, String function, List<Map<String, Object>> acls) {
    Map<String, Object> meta = metadata(name, "kafka-user");
    Yaml.child(meta, "labels").put("app.kubernetes.io/name", function);
    Yaml.child(meta, "labels").put(CLUSTER_LABEL, Names.KAFKA_CLUSTER);
    return map(
        "apiVersion",
        API,
        "kind",
        "KafkaUser",
        "metadata",
        meta,
        "spec",
        map(
            "authentication", map("type", "scram-sha-512"),
            "authorization", map("type", "simple", "acls", acls)));
  }

  private static Map<String, Object> acl(
      String resourceType, String name, String patternType, String... operations) {
    return map(
        "resource", map("type", resourceType, "name", name, "patternType", patternType),
        "operations", List.of(operations),
        "host", "*");
  }

  /** The Knative Kafka Broker's cluster-wide defaults, read from knative-eventing. */
  public Map<String, Object> brokerConfig() {
    TopicSpec workflow =
        product.topic(Topics.BOOKSTORE).orElse(product.topic(Topics.DEAD_LETTER).orElseThrow());
    Map<String, Object> meta = KnativeManifests.metadata(Names.BROKER_CONFIG, "broker", null);
    meta.put("namespace", Names.KNATIVE_EVENTING_NAMESPACE);
    return map(
        "apiVersion",
        "v1",
        "kind",
        "ConfigMap",
        "metadata",
        meta,
        "data",
        map(
            "bootstrap.servers",
            Names.KAFKA_BOOTSTRAP,
            "default.topic.partitions",
            String.valueOf(workflow.partitions()),
            "default.topic.replication.factor",
            String.valueOf(REPLICAS),
            "auth.secret.ref.name",
            Names.KAFKA_AUTH_SECRET));
  }

  private static Map<String, Object> metadata(String name, String component) {
    Map<String, Object> meta = KnativeManifests.metadata(name, component, null);
    meta.put("namespace", Names.KAFKA_NAMESPACE);
    return meta;
  }
}
