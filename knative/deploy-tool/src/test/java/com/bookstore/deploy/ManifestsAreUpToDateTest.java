package com.bookstore.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.bookstore.events.Topology;
import com.bookstore.events.Topology.Topic;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The committed manifests, the cluster's Kafka resources and the local stack's topics.txt are what
 * the routing table generates today: a Trigger, an ACL or a topic cannot disagree with the code,
 * because a changed route fails this test until the files are regenerated.
 */
class ManifestsAreUpToDateTest {

  @Test
  void committedManifestsMatchTheRoutingTable() throws IOException {
    Path root = Fixtures.repoRoot();
    ManifestFiles files = new ManifestFiles(Fixtures.current());
    List<String> outdated = new ArrayList<>();
    for (Map.Entry<String, String> file : files.render().entrySet()) {
      Path path = root.resolve(file.getKey());
      if (!Files.exists(path)) {
        outdated.add("missing  " + file.getKey());
      } else if (!Files.readString(path).equals(file.getValue())) {
        outdated.add("differs  " + file.getKey());
      }
    }
    for (String stale : files.stale(root)) {
      outdated.add("stale    " + stale);
    }
    if (!outdated.isEmpty()) {
      fail(
          "generated manifests are out of date; run from the repository root:\n  "
              + ManifestFiles.REGENERATE
              + "\nand commit the result.\n"
              + String.join("\n", outdated));
    }
  }

  @Test
  void aChangedRouteIsNoticed() throws IOException {
    // The comparison must see a difference a route makes: render with one function fewer.
    Product today = Fixtures.current();
    Product fewer =
        new Product(
            today.routes().subList(1, today.routes().size()),
            today.types(),
            today.deployables(),
            today.topics());
    Path root = Fixtures.repoRoot();
    String trigger =
        ManifestFiles.BASE + "/functions/" + today.routes().get(0).function() + ".yaml";
    assertEquals(false, new ManifestFiles(fewer).render().containsKey(trigger));
    assertEquals(true, Files.exists(root.resolve(trigger)));
    assertEquals(
        List.of(trigger),
        new ManifestFiles(fewer).stale(root).stream().filter(trigger::equals).toList());
  }

  @Test
  void theLocalStacksTopicsAreGeneratedAndReadableByStackSh() throws IOException {
    assertTrue(new ManifestFiles(Fixtures.current()).render().containsKey(LocalTopics.FILE));
    String committed = Files.readString(Fixtures.repoRoot().resolve(LocalTopics.FILE));
    assertTrue(committed.startsWith(ManifestFiles.HEADER), "topics.txt carries the header");
    // What infra/local/stack.sh's kafka_topics reads: '#' comments, blank lines, and
    // 'name partitions retention.ms' with integers.
    List<String> lines = new ArrayList<>();
    for (String raw : committed.split("\n")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] fields = line.split("\\s+");
      assertEquals(3, fields.length, line);
      Integer.parseInt(fields[1]);
      Long.parseLong(fields[2]);
      lines.add(line);
    }
    List<String> expected = new ArrayList<>();
    for (Topic topic : Topology.topics()) {
      expected.add(topic.name() + " " + topic.partitions() + " " + topic.retention().toMillis());
    }
    assertEquals(expected, lines);
  }

  @Test
  void aChangedTopicIsNoticed() throws IOException {
    Product wider =
        Fixtures.withTopics(
            t -> new Topic(t.name(), t.kind(), t.partitions() + 1, t.retention(), t.type()));
    String committed = Files.readString(Fixtures.repoRoot().resolve(LocalTopics.FILE));
    assertNotEquals(committed, new ManifestFiles(wider).render().get(LocalTopics.FILE));
  }
}
