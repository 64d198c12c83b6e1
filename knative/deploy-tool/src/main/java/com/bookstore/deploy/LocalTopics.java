package com.bookstore.deploy;

import com.bookstore.events.Topology.Topic;
import java.util.List;

/**
 * {@code infra/local/topics.txt}, the topics {@code infra/local/stack.sh} creates: one line {@code
 * <topic> <partitions> <retention.ms>} per topic of the product, {@code #} starting a comment.
 * Generated with the cluster's KafkaTopics from the same list, so local runs and the cluster cannot
 * drift.
 */
public final class LocalTopics {
  private LocalTopics() {}

  /** Where the local stack reads its topics, relative to the repository root. */
  public static final String FILE = "infra/local/topics.txt";

  /** The file's lines after the generated-file header. */
  public static String render(List<Topic> topics) {
    StringBuilder out = new StringBuilder();
    out.append(
        "# One topic per event type (bookstore.<type>), the Knative Broker's topic and the\n");
    out.append("# dead-letter topic (events/.../Topology.java). Read by infra/local/stack.sh.\n");
    out.append("# topic partitions retention.ms\n");
    for (Topic topic : topics) {
      out.append(topic.name())
          .append(' ')
          .append(topic.partitions())
          .append(' ')
          .append(topic.retention().toMillis())
          .append('\n');
    }
    return out.toString();
  }
}
