package com.bookstore.kit.health;

import com.bookstore.kit.EventPublisher;
import com.bookstore.kit.KitConfig;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.AuthorizationException;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * The producer side of Kafka: every topic this function writes (its answers' topics in Kafka-direct
 * mode and the dead-letter topic if it consumes; the Broker's topic on Knative) exists, and each of
 * its partitions has a leader with at least {@code min.insync.replicas} replicas in sync, so a
 * write with {@code acks=all} (the publisher's) can succeed. The consumer side is SmallRye's own
 * check of the {@code workflow} channel.
 *
 * <p>The broker is asked through an admin client built from the same {@code kafka.*} settings as
 * the publisher's producer (bootstrap servers, security), so it reaches Kafka as the producer does.
 * The topics' {@code min.insync.replicas} needs the DescribeConfigs permission; without it the
 * check asks only for a leader and one replica in sync.
 */
@Readiness
@ApplicationScoped
public class KafkaProducerReadiness implements AsyncHealthCheck {
  public static final String NAME = "kafka-producer";

  private final Map<String, Object> kafkaConfig;
  private final List<String> topics;
  private final int requestTimeoutMs;
  private final String clientId;
  private final CachedCheck check;
  private volatile Admin admin;

  KafkaProducerReadiness(
      EventPublisher publisher,
      KitConfig config,
      @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
    this.kafkaConfig = kafkaConfig;
    this.topics = publisher.topicsWritten();
    this.requestTimeoutMs = (int) config.health().timeout().toMillis();
    this.clientId = config.functionName() + "-health";
    this.check =
        new CachedCheck(NAME, config.health().timeout(), config.health().cacheFor(), this::probe);
  }

  @Override
  public Uni<HealthCheckResponse> call() {
    return check.call();
  }

  private Uni<Map<String, Object>> probe() {
    if (topics.isEmpty()) {
      return Uni.createFrom().item(Map.of("topics", "none"));
    }
    Admin a = admin();
    CompletionStage<Map<String, TopicDescription>> described =
        a.describeTopics(topics, new DescribeTopicsOptions().timeoutMs(requestTimeoutMs))
            .allTopicNames()
            .toCompletionStage();
    CompletionStage<Map<String, Integer>> minIsr = minInsyncReplicas(a);
    return Uni.createFrom()
        .completionStage(described.thenCombine(minIsr, this::judge).toCompletableFuture());
  }

  /** The topics' {@code min.insync.replicas}; empty when this principal may not read configs. */
  private CompletionStage<Map<String, Integer>> minInsyncReplicas(Admin a) {
    List<ConfigResource> resources = new ArrayList<>();
    topics.forEach(t -> resources.add(new ConfigResource(ConfigResource.Type.TOPIC, t)));
    CompletableFuture<Map<String, Integer>> out = new CompletableFuture<>();
    a.describeConfigs(resources, new DescribeConfigsOptions().timeoutMs(requestTimeoutMs))
        .all()
        .whenComplete(
            (configs, failure) -> {
              if (failure == null) {
                Map<String, Integer> m = new LinkedHashMap<>();
                configs.forEach((r, c) -> m.put(r.name(), minIsrOf(c)));
                out.complete(m);
              } else if (rootCause(failure) instanceof AuthorizationException) {
                out.complete(Map.of());
              } else {
                out.completeExceptionally(failure);
              }
            });
    return out;
  }

  private static int minIsrOf(Config config) {
    ConfigEntry e = config.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG);
    return e == null || e.value() == null ? 1 : Integer.parseInt(e.value());
  }

  private Map<String, Object> judge(
      Map<String, TopicDescription> described, Map<String, Integer> minIsr) {
    List<String> faults = new ArrayList<>();
    for (String topic : topics) {
      TopicDescription d = described.get(topic);
      if (d == null) {
        faults.add(topic + " is missing");
        continue;
      }
      int needed = minIsr.getOrDefault(topic, 1);
      for (TopicPartitionInfo p : d.partitions()) {
        if (p.leader() == null || p.leader().isEmpty()) {
          faults.add(topic + "-" + p.partition() + " has no leader");
        } else if (p.isr().size() < needed) {
          faults.add(
              topic
                  + "-"
                  + p.partition()
                  + " has "
                  + p.isr().size()
                  + " of "
                  + needed
                  + " replicas in sync");
        }
      }
    }
    if (!faults.isEmpty()) {
      throw new CachedCheck.DependencyDown("not writable: " + String.join("; ", faults));
    }
    return Map.of("topics", String.join(",", topics));
  }

  private Admin admin() {
    Admin a = admin;
    if (a == null) {
      synchronized (this) {
        if (admin == null) {
          Properties props = new Properties();
          kafkaConfig.forEach(
              (k, v) -> {
                if (AdminClientConfig.configNames().contains(k)) {
                  props.put(k, v);
                }
              });
          props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, requestTimeoutMs);
          props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, requestTimeoutMs);
          props.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
          admin = Admin.create(props);
        }
        a = admin;
      }
    }
    return a;
  }

  private static Throwable rootCause(Throwable t) {
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }

  @PreDestroy
  void close() {
    if (admin != null) {
      admin.close(java.time.Duration.ofSeconds(1));
    }
  }
}
