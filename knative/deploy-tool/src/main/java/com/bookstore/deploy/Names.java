package com.bookstore.deploy;

import com.bookstore.events.EventTypes;
import com.bookstore.events.Topics;
import java.util.Locale;
import java.util.regex.Pattern;

/** Kubernetes names derived from the routing table; every one is checked to be DNS-1123. */
public final class Names {
  private Names() {}

  private static final Pattern DNS_1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern DNS_1123_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final String WORKFLOW_TOPIC_SUFFIX = "-events";

  public static final String PART_OF = "bookstore";
  public static final String MANAGED_BY = "bookstore-deploy-tool";
  public static final String CONFIG_MAP = "bookstore-config";
  public static final String SECRET = "bookstore-secrets";
  public static final String KAFKA_AUTH_SECRET = "knative-kafka-auth";
  public static final String DEAD_LETTER_SINK = Topics.DEAD_LETTER;
  public static final String BROKER_CONFIG = "kafka-broker-config";
  public static final String KAFKA_NAMESPACE = "kafka";

  /** Knative's cluster-local domain: the address a cluster-local Service answers on. */
  public static final String CLUSTER_DOMAIN = "svc.cluster.local";

  /**
   * One Kafka cluster per environment. The topic names come from the routing table and are the same
   * in every environment, and the Brokers read theirs, so dev and prod sharing one Kafka would
   * deliver each other's events.
   */
  public static String kafkaCluster(Environment environment) {
    return label("bookstore-" + environment.id());
  }

  /** Strimzi names the bootstrap Service {@code <cluster>-kafka-bootstrap}; 9092 is SCRAM. */
  public static String kafkaBootstrap(Environment environment) {
    return kafkaCluster(environment) + "-kafka-bootstrap." + KAFKA_NAMESPACE + ".svc:9092";
  }

  /**
   * A KafkaTopic's resource name ({@code bookstore.stock.reserved.v1-prod}); the Kafka topic keeps
   * its own name in {@code topicName}. A subdomain, as resource names may be: type topics have
   * dots.
   */
  public static String kafkaTopic(String topic, Environment environment) {
    return subdomain(topic + "-" + environment.id());
  }

  /** The KafkaUser of other systems, which may send the commands no function emits. */
  public static final String CLIENTS = "bookstore-clients";

  /** The couriers' own systems: they may write their topic and nothing else. */
  public static final String COURIERS = "bookstore-couriers";

  public static String couriersKafkaUser(Environment environment) {
    return label(COURIERS + "-" + environment.id());
  }

  public static String clientsKafkaUser(Environment environment) {
    return label(CLIENTS + "-" + environment.id());
  }

  /** The Knative Kafka data plane's KafkaUser in one environment's cluster. */
  public static String knativeKafkaUser(Environment environment) {
    return label("knative-eventing-" + environment.id());
  }

  /** The second Service of a function with a gRPC API: the same image, the gRPC port. */
  public static String grpcService(String function) {
    return label(function + "-grpc");
  }

  /** Where a cluster-local Service answers inside the cluster (port 80). */
  public static String clusterLocalHost(String service, String namespace) {
    return service + "." + namespace + "." + CLUSTER_DOMAIN;
  }

  /**
   * The key of Secret {@code bookstore-secrets} holding a function's Kafka login (the {@code
   * sasl.jaas.config} Strimzi writes into the Secret of the function's KafkaUser).
   */
  public static String kafkaJaasKey(String function) {
    return function + ".sasl.jaas.config";
  }

  /** A DNS-1123 label (at most 63 characters), or an exception naming the offending value. */
  public static String label(String name) {
    if (name.length() > 63 || !DNS_1123_LABEL.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "not a DNS-1123 label (lower case, digits, '-', at most 63 characters): " + name);
    }
    return name;
  }

  /**
   * A DNS-1123 subdomain (at most 253 characters; the 63 keeps it a valid label value too, as the
   * {@code app.kubernetes.io/name} label repeats it), or an exception naming the offending value.
   */
  public static String subdomain(String name) {
    if (name.length() > 63 || !DNS_1123_SUBDOMAIN.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "not a DNS-1123 subdomain (lower case, digits, '-', '.', at most 63 characters): "
              + name);
    }
    return name;
  }

  /** {@code com.bookstore.stock.reserve.v1} becomes {@code stock-reserve-v1}. */
  public static String shortName(String eventType) {
    if (!eventType.startsWith(EventTypes.PREFIX)) {
      throw new IllegalArgumentException("not a bookstore event type: " + eventType);
    }
    return label(
        eventType.substring(EventTypes.PREFIX.length()).replace('.', '-').toLowerCase(Locale.ROOT));
  }

  /** One Trigger per function and type it takes. */
  public static String trigger(String function, String eventType) {
    return label(function + "-" + shortName(eventType));
  }

  /**
   * The Broker of a workflow topic: {@code bookstore-events} travels on Broker {@code bookstore}.
   */
  public static String broker(String topic) {
    String base =
        topic.endsWith(WORKFLOW_TOPIC_SUFFIX)
            ? topic.substring(0, topic.length() - WORKFLOW_TOPIC_SUFFIX.length())
            : topic;
    return label(base);
  }

  /**
   * The Kafka consumer group of a function in Kafka-direct mode, as the kit's
   * RoutingConfigSourceFactory builds it from {@code bookstore.environment}.
   */
  public static String consumerGroup(String function, Environment environment) {
    return function + "-" + environment.id();
  }

  public static String kafkaUser(String function, Environment environment) {
    return label(function + "-" + environment.id());
  }
}
