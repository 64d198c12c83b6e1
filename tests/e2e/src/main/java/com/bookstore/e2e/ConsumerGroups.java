package com.bookstore.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The Kafka Admin calls the end-to-end runs need: where a consumer group stands (state, members,
 * lag) and where it starts. One Admin client; close it when done.
 */
public final class ConsumerGroups implements AutoCloseable {
  private static final Duration CALL = Duration.ofSeconds(15);

  private final Admin admin;

  public ConsumerGroups(String bootstrap) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "bookstore-e2e-admin");
    this.admin = Admin.create(props);
  }

  /** A group's state as seen now; {@code state} is DEAD when the group does not exist. */
  public record GroupView(
      String group, GroupState state, Set<String> memberIds, Set<TopicPartition> assigned) {

    /** Stable, and every partition of {@code partitions} is assigned to some member. */
    public boolean consumesAll(Collection<TopicPartition> partitions) {
      return state == GroupState.STABLE && assigned.containsAll(partitions);
    }
  }

  public GroupView describe(String group) {
    try {
      ConsumerGroupDescription d =
          admin
              .describeConsumerGroups(List.of(group))
              .describedGroups()
              .get(group)
              .get(CALL.toMillis(), TimeUnit.MILLISECONDS);
      Set<TopicPartition> assigned =
          d.members().stream()
              .flatMap(m -> m.assignment().topicPartitions().stream())
              .collect(Collectors.toSet());
      Set<String> members =
          d.members().stream().map(MemberDescription::consumerId).collect(Collectors.toSet());
      return new GroupView(group, d.groupState(), members, assigned);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof GroupIdNotFoundException) {
        return new GroupView(group, GroupState.DEAD, Set.of(), Set.of());
      }
      throw new IllegalStateException("cannot describe consumer group " + group, e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw failure("describe consumer group " + group, e);
    }
  }

  public List<TopicPartition> partitions(Collection<String> topics) {
    List<TopicPartition> out = new ArrayList<>();
    topics.forEach(t -> out.addAll(partitions(t)));
    return out;
  }

  public List<TopicPartition> partitions(String topic) {
    try {
      return admin
          .describeTopics(List.of(topic))
          .topicNameValues()
          .get(topic)
          .get(CALL.toMillis(), TimeUnit.MILLISECONDS)
          .partitions()
          .stream()
          .map(p -> new TopicPartition(topic, p.partition()))
          .toList();
    } catch (ExecutionException | InterruptedException | TimeoutException e) {
      throw failure("describe topic " + topic, e);
    }
  }

  /** The next offset to be written, per partition. */
  public Map<TopicPartition, Long> endOffsets(String topic) {
    return endOffsets(List.of(topic));
  }

  /** The next offset to be written, per partition of every topic. */
  public Map<TopicPartition, Long> endOffsets(Collection<String> topics) {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    for (TopicPartition tp : partitions(topics)) {
      request.put(tp, OffsetSpec.latest());
    }
    try {
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> result =
          admin.listOffsets(request).all().get(CALL.toMillis(), TimeUnit.MILLISECONDS);
      Map<TopicPartition, Long> out = new HashMap<>();
      result.forEach((tp, info) -> out.put(tp, info.offset()));
      return out;
    } catch (ExecutionException | InterruptedException | TimeoutException e) {
      throw failure("list the end offsets of " + topics, e);
    }
  }

  /**
   * Commits the topic's current end offsets for {@code group}, so that its consumers start there: a
   * run then sees only its own events, never older runs' records still on the topic. The group must
   * have no members (Kafka refuses otherwise); a member left by a killed process counts until its
   * session times out, so this waits up to {@code timeout} for the group to empty.
   */
  public void positionAtEnd(String group, Collection<String> topics, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    GroupView view = describe(group);
    while (!view.memberIds().isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "consumer group "
                + group
                + " still has members "
                + view.memberIds()
                + " after "
                + timeout.toSeconds()
                + " s: is another run of this environment still going?");
      }
      pause(Duration.ofMillis(500));
      view = describe(group);
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    endOffsets(topics).forEach((tp, end) -> offsets.put(tp, new OffsetAndMetadata(end)));
    try {
      admin
          .alterConsumerGroupOffsets(group, offsets)
          .all()
          .get(CALL.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | InterruptedException | TimeoutException e) {
      throw failure("position consumer group " + group + " at the end of " + topics, e);
    }
  }

  /**
   * Waits until {@code group} is Stable with every partition of {@code topic} assigned to members
   * none of which is in {@code formerMembers} (the members of a killed process, which stay listed
   * until their session times out).
   */
  public GroupView awaitConsuming(
      String group, Collection<String> topics, Set<String> formerMembers, Duration timeout) {
    List<TopicPartition> partitions = partitions(topics);
    long deadline = System.nanoTime() + timeout.toNanos();
    GroupView view = describe(group);
    while (!view.consumesAll(partitions)
        || view.memberIds().stream().anyMatch(formerMembers::contains)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "consumer group "
                + group
                + " not consuming all of "
                + topics
                + " after "
                + timeout.toSeconds()
                + " s: state "
                + view.state()
                + ", members "
                + view.memberIds()
                + ", assigned "
                + view.assigned().size()
                + "/"
                + partitions.size());
      }
      pause(Duration.ofMillis(200));
      view = describe(group);
    }
    return view;
  }

  /**
   * Records on {@code topic} the group has not committed yet, summed over partitions (a partition
   * without a committed offset counts from 0). The kit commits throttled, so a few hundred records
   * of lag can be commits not yet flushed rather than work not done.
   */
  public long lag(String group, Collection<String> topics) {
    try {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin
              .listConsumerGroupOffsets(group)
              .partitionsToOffsetAndMetadata()
              .get(CALL.toMillis(), TimeUnit.MILLISECONDS);
      long lag = 0;
      for (Map.Entry<TopicPartition, Long> end : endOffsets(topics).entrySet()) {
        OffsetAndMetadata c = committed.get(end.getKey());
        lag += Math.max(0, end.getValue() - (c == null ? 0 : c.offset()));
      }
      return lag;
    } catch (ExecutionException | InterruptedException | TimeoutException e) {
      throw failure("read the offsets of " + group, e);
    }
  }

  /** Creates a topic if it does not exist (a scratch topic for measurements). */
  public void createTopic(String topic, int partitions) {
    try {
      admin
          .createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
          .all()
          .get(CALL.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw failure("create topic " + topic, e);
      }
    } catch (InterruptedException | TimeoutException e) {
      throw failure("create topic " + topic, e);
    }
  }

  public void deleteTopic(String topic) {
    try {
      admin.deleteTopics(List.of(topic)).all().get(CALL.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | InterruptedException | TimeoutException e) {
      throw failure("delete topic " + topic, e);
    }
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
  }

  private static IllegalStateException failure(String what, Exception e) {
    if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
    }
    Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
    return new IllegalStateException("Kafka: cannot " + what + ": " + cause, cause);
  }

  static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
