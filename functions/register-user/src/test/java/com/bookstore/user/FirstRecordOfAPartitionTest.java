package com.bookstore.user;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bookstore.events.EventTypes;
import com.bookstore.events.Topology;
import com.bookstore.kit.testing.KafkaTestClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.utils.Utils;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The first record a freshly assigned consumer reads from a partition is handled at once.
 * SmallRye's throttled commit strategy looks up the partition's committed offset for that record on
 * the consumer's polling thread, where the look-up waits for the poll in progress to time out. At
 * the connector's default poll timeout (1 s) every partition's first record after a start or a
 * rebalance waited about a second before it reached the function; the kit polls for at most 100 ms
 * ({@code mp.messaging.incoming.workflow.poll-timeout}).
 *
 * <p>Its own test profile, so that the function starts afresh: every partition is untouched.
 */
@QuarkusTest
@TestProfile(FirstRecordOfAPartitionTest.FreshConsumer.class)
class FirstRecordOfAPartitionTest {
  /** No overrides: a profile of its own only so that Quarkus starts the function again. */
  public static class FreshConsumer implements QuarkusTestProfile {}

  private static final String TOPIC = Topology.topicOf(EventTypes.USER_REGISTER);

  /**
   * An answer normally takes tens of milliseconds here; the stall this guards against took over a
   * second on every partition. The median over the partitions is compared, not each one.
   */
  private static final Duration MEDIAN_BOUND = Duration.ofMillis(500);

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @ConfigProperty(name = "mp.messaging.incoming.workflow.group.id")
  String group;

  @Test
  void theFirstRecordOfEachPartitionIsAnsweredWithoutWaitingForThePollTimeout() throws Exception {
    int partitions;
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (Admin admin = Admin.create(p)) {
      partitions =
          admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC).partitions().size();
      // Timed from assignment on: until then a record would wait for the group to form.
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                ConsumerGroupDescription d =
                    admin.describeConsumerGroups(List.of(group)).all().get().get(group);
                return d.members().stream()
                        .mapToInt(m -> m.assignment().topicPartitions().size())
                        .sum()
                    > 0;
              });
    }
    List<Long> millis = new ArrayList<>();
    try (KafkaTestClient kafka = new KafkaTestClient(bootstrap);
        KafkaTestClient.Tail events = kafka.tailEvents()) {
      for (int partition = 0; partition < partitions; partition++) {
        String key = keyOnPartition(partition, partitions);
        String email = RegisterUserHttpTest.newEmail();
        long sent = System.nanoTime();
        kafka.send(
            TOPIC,
            key,
            RegisterUserKafkaTest.binaryHeaders(
                UUID.randomUUID().toString(), EventTypes.USER_REGISTER),
            RegisterUserKafkaTest.registration(email));
        assertEquals(
            1,
            events
                .await(RegisterUserKafkaTest.registeredFor(email), 1, Duration.ofSeconds(30))
                .size(),
            "no user.registered for " + email);
        millis.add((System.nanoTime() - sent) / 1_000_000);
      }
    }
    List<Long> sorted = millis.stream().sorted().toList();
    long median = sorted.get(sorted.size() / 2);
    System.out.println("first record of each partition answered after " + millis + " ms");
    assertTrue(
        median < MEDIAN_BOUND.toMillis(),
        "first record of each partition answered after "
            + millis
            + " ms (median "
            + median
            + " ms, bound "
            + MEDIAN_BOUND.toMillis()
            + " ms)");
  }

  /** A key the default partitioner puts on this partition (murmur2 of the key's bytes). */
  private static String keyOnPartition(int partition, int partitions) {
    for (int i = 0; ; i++) {
      String key = "first-" + partition + "-" + i + "-" + UUID.randomUUID();
      if (Utils.toPositive(Utils.murmur2(key.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
              % partitions
          == partition) {
        return key;
      }
    }
  }
}
