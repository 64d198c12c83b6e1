package com.bookstore.deploy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The deploy tool: {@code generate} writes the committed manifests; the other commands talk to the
 * cluster of the current kubeconfig context.
 */
@Command(
    name = "deploy-tool",
    mixinStandardHelpOptions = true,
    description = "Knative deployment of the bookstore functions.",
    subcommands = {
      DeployTool.Generate.class,
      DeployTool.Plan.class,
      DeployTool.Apply.class,
      DeployTool.Delete.class,
      DeployTool.Status.class,
      DeployTool.Canary.class,
      DeployTool.Promote.class
    })
public final class DeployTool {

  /** Where the repository is: the Maven build passes it; otherwise the working directory. */
  static Path repoRoot() {
    return Path.of(System.getProperty("bookstore.repo.root", ".")).toAbsolutePath().normalize();
  }

  public static void main(String[] args) {
    System.exit(
        run(
            new KubernetesClientBuilder()::build,
            new PrintWriter(System.out, true),
            new PrintWriter(System.err, true),
            args));
  }

  /** Runs a command with a client from {@code clients}; returns the exit code. */
  public static int run(
      java.util.function.Supplier<KubernetesClient> clients,
      PrintWriter out,
      PrintWriter err,
      String... args) {
    CommandLine line = new CommandLine(new DeployTool(), new Factory(clients));
    line.setOut(out);
    line.setErr(err);
    line.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          if (e instanceof DeployException || e instanceof KubernetesClientException) {
            cmd.getErr().println("error: " + e.getMessage());
            return 1;
          }
          throw e;
        });
    return line.execute(args);
  }

  /** Hands the client supplier to every cluster command. */
  record Factory(java.util.function.Supplier<KubernetesClient> clients)
      implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> cls) throws Exception {
      K command = CommandLine.defaultFactory().create(cls);
      if (command instanceof ClusterCommand c) {
        c.clients = clients;
      }
      return command;
    }
  }

  /** Target options every cluster command shares. */
  static final class Target {
    @Option(
        names = "--overlay",
        defaultValue = "dev",
        description = "dev or prod: the environment's scale bounds and settings (default: dev)")
    String overlay;

    @Option(
        names = "--namespace",
        description = "namespace to use (default: the overlay's, bookstore-dev or bookstore-prod)")
    String namespace;

    @Option(
        names = "--image-registry",
        defaultValue = "registry.example.com",
        description = "registry the images were pushed to")
    String registry;

    @Option(
        names = "--image-tag",
        defaultValue = "0.1.0-SNAPSHOT",
        description = "image tag (default: the project version)")
    String tag;

    Environment environment() {
      return Environment.of(overlay);
    }

    String namespace() {
      return namespace == null ? environment().namespace() : namespace;
    }

    List<Map<String, Object>> desired() {
      return new KnativeManifests(Product.current())
          .all(environment(), new Images(registry, tag), namespace());
    }
  }

  abstract static class ClusterCommand implements Callable<Integer> {
    java.util.function.Supplier<KubernetesClient> clients;

    @Mixin Target target = new Target();

    @Spec CommandLine.Model.CommandSpec spec;

    PrintWriter out() {
      return spec.commandLine().getOut();
    }

    <T> T withDeployer(Function<Deployer, T> action) {
      try (KubernetesClient client = clients.get()) {
        return action.apply(new Deployer(client, target.namespace(), target.desired()));
      }
    }
  }

  @Command(
      name = "generate",
      description = "Rewrite knative/manifests, infra/cluster and infra/local/topics.txt files.")
  static final class Generate implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      Path root = repoRoot();
      ManifestFiles files = new ManifestFiles(Product.current());
      List<String> changed = files.write(root);
      List<String> removed = files.removeStale(root);
      PrintWriter out = spec.commandLine().getOut();
      changed.forEach(f -> out.println("wrote   " + f));
      removed.forEach(f -> out.println("removed " + f));
      out.println(
          changed.isEmpty() && removed.isEmpty() ? "manifests are up to date" : "regenerated");
      return 0;
    }
  }

  @Command(name = "plan", description = "Show what apply would create, update or delete.")
  static final class Plan extends ClusterCommand {
    @Override
    public Integer call() {
      withDeployer(Deployer::plan).forEach(out()::println);
      return 0;
    }
  }

  @Command(name = "apply", description = "Create, update and prune the resources.")
  static final class Apply extends ClusterCommand {
    @Override
    public Integer call() {
      withDeployer(Deployer::apply).forEach(out()::println);
      return 0;
    }
  }

  @Command(name = "delete", description = "Delete every resource the tool manages.")
  static final class Delete extends ClusterCommand {
    @Override
    public Integer call() {
      withDeployer(Deployer::delete).forEach(out()::println);
      return 0;
    }
  }

  @Command(name = "status", description = "Ready conditions, URLs, latest revisions, traffic.")
  static final class Status extends ClusterCommand {
    @Override
    public Integer call() {
      withDeployer(Deployer::status).forEach(out()::println);
      return 0;
    }
  }

  @Command(
      name = "canary",
      description = "Send <percent> of a function's traffic to its latest revision.")
  static final class Canary extends ClusterCommand {
    @Parameters(index = "0", description = "the function (Knative Service)")
    String function;

    @Parameters(index = "1", description = "percent for the latest revision, 0-100")
    int percent;

    @Override
    public Integer call() {
      withDeployer(d -> d.canary(function, percent));
      out()
          .printf(
              "%s: %d%% latest revision (tag %s), %d%% previous revision (tag %s)%n",
              function, percent, Deployer.CANDIDATE, 100 - percent, Deployer.CURRENT);
      return 0;
    }
  }

  @Command(
      name = "promote",
      description = "Send all of a function's traffic to its latest revision.")
  static final class Promote extends ClusterCommand {
    @Parameters(index = "0", description = "the function (Knative Service)")
    String function;

    @Override
    public Integer call() {
      withDeployer(d -> d.promote(function));
      out().printf("%s: 100%% latest revision (tag %s)%n", function, Deployer.CURRENT);
      return 0;
    }
  }
}
