package com.bookstore.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where the local stack and the checkout are, from the environment that {@code eval "$(bash
 * infra/local/stack.sh env)"} sets up (with the stack's defaults when a variable is missing).
 *
 * @param repoRoot the checkout (holds {@code functions/<m>/target/quarkus-app})
 * @param stackDir {@code BOOKSTORE_STACK_DIR}: data, logs and pid files of the local stack
 * @param kafkaBootstrap {@code BOOKSTORE_KAFKA_BOOTSTRAP}
 */
public record Stack(Path repoRoot, Path stackDir, String kafkaBootstrap) {

  public static Stack fromEnvironment() {
    return from(System.getenv());
  }

  static Stack from(Map<String, String> env) {
    Path root = repoRoot(env);
    Path stackDir =
        Optional.ofNullable(env.get("BOOKSTORE_STACK_DIR"))
            .map(Path::of)
            .orElse(root.resolve("infra/local/.run"));
    String bootstrap = env.getOrDefault("BOOKSTORE_KAFKA_BOOTSTRAP", "127.0.0.1:19092");
    return new Stack(root, stackDir.toAbsolutePath(), bootstrap);
  }

  /**
   * The system property {@code bookstore.repo.root} (set by the module's surefire configuration),
   * else {@code BOOKSTORE_REPO_ROOT}, else the nearest folder upwards from the working directory
   * that holds {@code functions/kit}.
   */
  private static Path repoRoot(Map<String, String> env) {
    String given = System.getProperty("bookstore.repo.root", env.get("BOOKSTORE_REPO_ROOT"));
    if (given != null) {
      return Path.of(given).toAbsolutePath().normalize();
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("functions/kit"))) {
        return p;
      }
    }
    throw new IllegalStateException(
        "cannot find the checkout: run from inside it, or set BOOKSTORE_REPO_ROOT");
  }
}
