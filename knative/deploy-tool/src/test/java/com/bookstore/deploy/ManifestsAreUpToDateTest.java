package com.bookstore.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The committed manifests are what the routing table generates today: a Trigger cannot disagree
 * with the code, because a changed route fails this test until the files are regenerated.
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
}
