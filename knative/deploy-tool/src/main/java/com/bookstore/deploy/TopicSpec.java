package com.bookstore.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A Kafka topic as {@code infra/local/topics.txt} declares it; the cluster's KafkaTopics take the
 * same partitions and retention, so local runs and the cluster cannot drift.
 */
public record TopicSpec(String name, int partitions, long retentionMs) {

  /** Where the local stack reads its topics, relative to the repository root. */
  public static final String FILE = "infra/local/topics.txt";

  public static List<TopicSpec> read(Path repoRoot) {
    try {
      return parse(Files.readString(repoRoot.resolve(FILE)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + FILE + " under " + repoRoot, e);
    }
  }

  /** Lines {@code <topic> <partitions> <retention.ms>}; {@code #} starts a comment. */
  public static List<TopicSpec> parse(String text) {
    List<TopicSpec> out = new ArrayList<>();
    for (String raw : text.split("\n")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] fields = line.split("\\s+");
      if (fields.length != 3) {
        throw new IllegalArgumentException(
            FILE + ": expected '<topic> <partitions> <retention.ms>', got: " + line);
      }
      out.add(new TopicSpec(fields[0], Integer.parseInt(fields[1]), Long.parseLong(fields[2])));
    }
    return List.copyOf(out);
  }
}
