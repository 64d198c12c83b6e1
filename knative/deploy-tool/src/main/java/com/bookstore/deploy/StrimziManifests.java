package com.bookstore.deploy;

import static com.bookstore.deploy.Yaml.map;

import com.bookstore.events.Route;
import com.bookstore.events.Topology;
import com.bookstore.events.Topology.Topic;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Kafka for a cluster, as Strimzi resources: one KRaft cluster per environment (each with one node
 * pool), the product's topics in each (one per event type, the Broker's, the dead letters: the same
 * list as {@code infra/local/topics.txt}), and KafkaUsers whose ACLs allow exactly what the routing
 * table says: one per function and environment, one for other systems, one for the Knative data
 * plane.
 *
 * <p>One cluster per environment, not one shared: the topic names are the same in every
 * environment, and each environment's Broker reads its topic itself, so a shared cluster would hand
 * prod's Triggers the orders placed in dev.
 */
public final class StrimziManifests {

  public static final String API = "kafka.strimzi.io/v1";
  static final String CLUSTER_LABEL = "strimzi.io/cluster";

  /** Consumer-group prefix of the Kafka Broker's Trigger consumers. */
  static final String KNATIVE_PREFIX = "knative-";

  private final Product product;

  public StrimziManifests(Product product) {
    this.product = product;
  }

  /**
   * Brokers (and replicas of every topic) per environment: three in prod, so one broker can be lost
   * without losing a write acknowledged by all in-sync replicas; one in dev.
   */
  public static int replicas(Environment environment) {
    return environment == Environment.PROD ? 3 : 1;
  }

  /** In-sync replicas a write needs: all but one, and at least one. */
  static int minInSync(Environment environment) {
    return Math.max(1, replicas(environment) - 1);
  }

  public List<Map<String, Object>> cluster() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Environment environment : Environment.values()) {
      out.addAll(cluster(environment));
    }
    return out;
  }

  List<Map<String, Object>> cluster(Environment environment) {
    String cluster = Names.kafkaCluster(environment);
    int replicas = replicas(environment);
    int minInSync = minInSync(environment);
    Map<String, Object> kafkaMeta = metadata(cluster, "kafka");
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
                        replicas,
                        "transaction.state.log.replication.factor",
                        replicas,
                        "transaction.state.log.min.isr",
                        minInSync,
                        "default.replication.factor",
                        replicas,
                        "min.insync.replicas",
                        minInSync,
                        // Topics come from KafkaTopics only, never from a typo in a client.
                        "auto.create.topics.enable",
                        false)),
                "entityOperator",
                map("topicOperator", map(), "userOperator", map())));
    // Pool names are unique in the namespace both clusters share.
    Map<String, Object> poolMeta = metadata("dual-role-" + environment.id(), "kafka");
    Yaml.child(poolMeta, "labels").put(CLUSTER_LABEL, cluster);
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
                "replicas", replicas,
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

  /**
   * Every topic in every environment's cluster. Both clusters' KafkaTopics live in one namespace,
   * so the resource carries the environment in its name and the topic keeps its own name.
   */
  public List<Map<String, Object>> topics() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Environment environment : Environment.values()) {
      for (Topic topic : product.topics()) {
        Map<String, Object> meta =
            KnativeManifests.metadataOf(
                Names.kafkaTopic(topic.name(), environment), "kafka-topic", null);
        meta.put("namespace", Names.KAFKA_NAMESPACE);
        Yaml.child(meta, "labels").put("app.kubernetes.io/name", topic.name());
        Yaml.child(meta, "labels").put(CLUSTER_LABEL, Names.kafkaCluster(environment));
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
                    "topicName", topic.name(),
                    "partitions", topic.partitions(),
                    "replicas", replicas(environment),
                    "config",
                        map(
                            "retention.ms",
                            topic.retention().toMillis(),
                            "min.insync.replicas",
                            minInSync(environment),
                            "cleanup.policy",
                            "delete"))));
      }
    }
    return out;
  }

  /**
   * Per environment: one user per function, one for other systems ({@link #clientAcls()}) and the
   * Knative data plane's.
   */
  public List<Map<String, Object>> users() {
    List<Map<String, Object>> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (Environment environment : Environment.values()) {
      for (Route route : product.routes()) {
        out.add(
            user(
                Names.kafkaUser(route.function(), environment),
                route.function(),
                environment,
                functionAcls(route, environment)));
      }
      out.add(user(Names.clientsKafkaUser(environment), Names.CLIENTS, environment, clientAcls()));
      out.add(
          user(
              Names.couriersKafkaUser(environment),
              Names.COURIERS,
              environment,
              List.of(acl("topic", Topology.COURIERS_TOPIC, "literal", "Write", "Describe"))));
      out.add(
          user(
              Names.knativeKafkaUser(environment), "knative-eventing", environment, knativeAcls()));
    }
    for (Map<String, Object> user : out) {
      String name = Deployer.name(user);
      if (!names.add(name)) {
        throw new IllegalStateException("two KafkaUsers named " + name);
      }
    }
    return out;
  }

  /**
   * Least privilege, from the routing table. Kafka-direct: read the topics of exactly the types it
   * takes with its own consumer group ({@code <function>-<environment>}), write its answers to the
   * topics of exactly the types it emits, and dead-letter what it cannot handle (only a function
   * that consumes has anything to dead-letter). Knative: write to the Broker's topic the events no
   * Broker request carries back. Describe goes with Read and Write because clients fetch topic
   * metadata first. No Create: topics come from KafkaTopics only.
   */
  List<Map<String, Object>> functionAcls(Route route, Environment environment) {
    List<Map<String, Object>> acls = new ArrayList<>();
    for (String topic : Product.inputs(route)) {
      acls.add(acl("topic", topic, "literal", "Read", "Describe"));
    }
    if (!route.triggers().isEmpty()) {
      acls.add(acl("group", Names.consumerGroup(route.function(), environment), "literal", "Read"));
    }
    for (String topic : Product.outputs(route)) {
      acls.add(acl("topic", topic, "literal", "Write", "Describe"));
    }
    if (!route.emits().isEmpty()) {
      acls.add(acl("topic", product.brokerTopic().name(), "literal", "Write", "Describe"));
    }
    if (!route.triggers().isEmpty()) {
      acls.add(acl("topic", product.deadLetterTopic().name(), "literal", "Write", "Describe"));
    }
    return acls;
  }

  /**
   * Other systems (a web shop's back end, an operator's kcat): they may send the commands no
   * function emits (registering a user, placing an order), each on its type's topic, and nothing
   * else; in particular no fact, so a fact's topic is written only by the functions that emit it.
   */
  List<Map<String, Object>> clientAcls() {
    List<Map<String, Object>> acls = new ArrayList<>();
    for (String type : product.externalCommands()) {
      acls.add(acl("topic", Topology.topicOf(type), "literal", "Write", "Describe"));
    }
    return acls;
  }

  /**
   * The Broker uses its topic as is (external topic): the controller describes it, the ingress
   * writes to it, the dispatcher reads it with {@code knative-trigger-*} groups. No Broker creates
   * a topic, so the user may create none. Every Trigger's dead letters go to the dead-letter topic
   * through the KafkaSink, with this user's login.
   */
  List<Map<String, Object>> knativeAcls() {
    List<Map<String, Object>> acls = new ArrayList<>();
    acls.add(acl("topic", product.brokerTopic().name(), "literal", "Describe", "Read", "Write"));
    acls.add(acl("group", KNATIVE_PREFIX, "prefix", "Read", "Describe"));
    acls.add(acl("topic", product.deadLetterTopic().name(), "literal", "Write", "Describe"));
    // the couriers' KafkaSource reads their topic into the Broker
    acls.add(acl("topic", Topology.COURIERS_TOPIC, "literal", "Read", "Describe"));
    return acls;
  }

  private static Map<String, Object> user(
      String name, String function, Environment environment, List<Map<String, Object>> acls) {
    Map<String, Object> meta = metadata(name, "kafka-user");
    Yaml.child(meta, "labels").put("app.kubernetes.io/name", function);
    Yaml.child(meta, "labels").put(CLUSTER_LABEL, Names.kafkaCluster(environment));
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

  private static Map<String, Object> metadata(String name, String component) {
    Map<String, Object> meta = KnativeManifests.metadata(name, component, null);
    meta.put("namespace", Names.KAFKA_NAMESPACE);
    return meta;
  }
}
