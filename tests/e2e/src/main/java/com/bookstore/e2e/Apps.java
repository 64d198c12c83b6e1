package com.bookstore.e2e;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * Runs packaged functions as separate processes, the way they run in production (one JVM each,
 * Kafka-direct mode), for end-to-end tests and the workload.
 *
 * <pre>{@code
 * try (Apps apps = Apps.create(Stack.fromEnvironment(), "e2e")) {
 *   apps.start(App.BOOKSTORE);                 // ready, consumer groups consuming
 *   ... http calls to apps.url("place-order") ...
 *   apps.kill("saga-step");                    // SIGKILL, mid-flight
 *   apps.restart("saga-step");                 // same settings; resumes from committed offsets
 * }                                            // stops every app
 * }</pre>
 *
 * <p>Every app gets {@code BOOKSTORE_ENVIRONMENT=<environment>} (consumer groups {@code
 * <function>-<environment>}), {@code -Dquarkus.http.port}, the launcher's own environment (so
 * {@code eval "$(infra/local/stack.sh env)"} reaches it), and its {@link App}'s extra variables and
 * properties. Output goes to {@code <stack dir>/apps/<environment>/<function>.log}.
 *
 * <p>Where a run starts on the topic: {@link #start} first commits the topic's end offsets for each
 * app's consumer group (and sets {@code auto.offset.reset=latest} for a group without offsets), so
 * a run never replays older runs' events; then, after the apps are ready, it waits until each group
 * is Stable with every partition assigned, so nothing sent afterwards can be missed. {@link
 * #restart} does not reposition: a restarted app resumes from its group's committed offsets, which
 * is what redelivery tests want.
 *
 * <p>A killed app's consumer stays in its group until its session times out; apps run with {@code
 * session.timeout.ms} of {@link #SESSION_TIMEOUT} (instead of Kafka's 45 s) so a restart rejoins
 * quickly. Not thread-safe: drive it from one thread.
 */
public final class Apps implements AutoCloseable {

  /** Consumer session timeout given to every app: how long a killed app keeps its partitions. */
  public static final Duration SESSION_TIMEOUT = Duration.ofSeconds(10);

  /**
   * JVM options when none are given: a small container's heap and collector (as in the
   * register-user benchmark), and only the C1 compiler, as the local stack runs Kafka: nine JVMs
   * warming up on a 2-core machine spend half the CPU of a few-minute run in C2 compilations
   * (measured with the workload: 36 ms of CPU per order and function with C2, 17 ms without).
   */
  public static final List<String> DEFAULT_JVM_OPTIONS =
      List.of("-XX:+UseSerialGC", "-Xmx256m", "-XX:TieredStopAtLevel=1");

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration GROUP_TIMEOUT = Duration.ofSeconds(90);

  private final Stack stack;
  private final String environment;
  private final List<String> jvmOptions;
  private final Path logDir;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Map<String, Running> running = new LinkedHashMap<>();
  private final Map<String, Duration> readyAfter = new java.util.concurrent.ConcurrentHashMap<>();
  private final Thread shutdownHook = new Thread(this::destroyAll, "apps-shutdown");
  private ConsumerGroups groups;

  /**
   * {@code APPS_SNAPSHOT=1}: run copies of the packaged apps (under the log folder, taken at first
   * launch, removed by {@link #close}), for a checkout where modules are being rebuilt meanwhile.
   */
  private final boolean snapshot = "1".equals(System.getenv("APPS_SNAPSHOT"));

  private final Set<String> copied = new java.util.HashSet<>();

  private record Running(String name, App app, Process process, Instant started) {}

  private Apps(Stack stack, String environment, List<String> jvmOptions) {
    this.stack = stack;
    this.environment = environment;
    this.jvmOptions = List.copyOf(jvmOptions);
    this.logDir = stack.stackDir().resolve("apps").resolve(environment);
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Apps for one environment, with {@link #DEFAULT_JVM_OPTIONS} (or {@code APPS_JVM_OPTS}). */
  public static Apps create(Stack stack, String environment) {
    String fromEnv = System.getenv("APPS_JVM_OPTS");
    List<String> options =
        fromEnv == null || fromEnv.isBlank()
            ? DEFAULT_JVM_OPTIONS
            : Arrays.asList(fromEnv.trim().split("\\s+"));
    return create(stack, environment, options);
  }

  public static Apps create(Stack stack, String environment, List<String> jvmOptions) {
    if (!environment.matches("[a-z0-9][a-z0-9-]*")) {
      throw new IllegalArgumentException(
          "environment must be lower-case letters, digits and dashes: " + environment);
    }
    return new Apps(stack, environment, jvmOptions);
  }

  public String environment() {
    return environment;
  }

  /**
   * Starts the apps side by side and returns when every one answers {@code /q/health/ready} and
   * every consuming app's group is Stable with all partitions assigned. Fails naming the app and
   * the end of its log; the apps launched keep running until {@link #close}.
   */
  public void start(Collection<App> apps) {
    for (App app : apps) {
      if (running.containsKey(app.function())) {
        throw new IllegalStateException(
            app.function() + " was already started (restart() starts it again)");
      }
      if (portInUse(app.port())) {
        throw new IllegalStateException(
            "port "
                + app.port()
                + " for "
                + app.function()
                + " is already in use: another run, or an app started by hand?");
      }
    }
    try {
      Files.createDirectories(logDir);
    } catch (IOException e) {
      throw new IllegalStateException("cannot create " + logDir, e);
    }
    for (App app : apps) {
      if (app.consumes()) {
        groups().positionAtEnd(app.consumerGroup(environment), app.topics(), GROUP_TIMEOUT);
      }
    }
    migrate(apps);
    for (App app : apps) {
      launch(app.function(), app);
    }
    awaitAll(apps, Map.of());
  }

  /** Functions whose schemas this process has migrated: once per run is enough. */
  private static final Set<String> MIGRATED = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * Runs the functions' schema migrations ({@code infra/local/migrate.sh}) before they start, as a
   * deployment does: the apps run in the prod profile, which does not migrate at start. Once per
   * function and process; restarts and replicas find their schemas in place.
   */
  private void migrate(Collection<App> apps) {
    List<String> command =
        new ArrayList<>(
            List.of("bash", stack.repoRoot().resolve("infra/local/migrate.sh").toString()));
    apps.stream()
        .map(App::function)
        .distinct()
        .filter(f -> !MIGRATED.contains(f))
        .forEach(command::add);
    if (command.size() == 2) {
      return;
    }
    Path log = logDir.resolve("migrate.log");
    try {
      Process p =
          new ProcessBuilder(command)
              .directory(stack.repoRoot().toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IllegalStateException("migrations did not end in 5 minutes; see " + log);
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            "migrations failed (exit " + p.exitValue() + "):\n" + tail(log, 40));
      }
      System.out.println(tail(log, 1).strip());
    } catch (IOException e) {
      throw new IllegalStateException("cannot run infra/local/migrate.sh: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while migrating", e);
    }
    command.subList(2, command.size()).forEach(MIGRATED::add);
  }

  public void start(App... apps) {
    start(List.of(apps));
  }

  /** SIGKILL, as a crash or an OOM kill would do; returns once the process is gone. */
  public void kill(String function) {
    Running r = get(function);
    r.process().destroyForcibly();
    waitFor(r.process(), Duration.ofSeconds(30));
  }

  /** SIGTERM (Quarkus shuts down gracefully); SIGKILL if still running after 20 s. */
  public void stop(String function) {
    terminate(get(function).process());
  }

  /**
   * Starts a killed or stopped app again with the same settings, and waits as {@link #start} does,
   * except that its group is not repositioned: it resumes from its committed offsets. Any member of
   * its group from before is waited out.
   */
  public void restart(String function) {
    Running before = get(function);
    if (before.process().isAlive()) {
      stop(function);
    }
    App app = before.app();
    Set<String> former =
        app.consumes() ? groups().describe(app.consumerGroup(environment)).memberIds() : Set.of();
    launch(function, app);
    awaitReady(running.get(function));
    if (app.consumes()) {
      // Replicas of the same function that still run keep their members; the restarted process's
      // member is the one new member, and the dead one must have left.
      awaitMembers(app, former, processesOf(app.function()));
    }
  }

  /** Live processes of a function, replicas included. */
  private int processesOf(String function) {
    return (int)
        running.values().stream()
            .filter(r -> r.app().function().equals(function) && r.process().isAlive())
            .count();
  }

  /**
   * Waits until the function's group is Stable with every partition assigned, has exactly {@code
   * members} members, and one of them was not among {@code former}.
   */
  private void awaitMembers(App app, Set<String> former, int members) {
    String group = app.consumerGroup(environment);
    if (former.isEmpty() && members == 1) {
      groups().awaitConsuming(group, app.topics(), former, GROUP_TIMEOUT);
      return;
    }
    List<org.apache.kafka.common.TopicPartition> partitions = groups().partitions(app.topics());
    long deadline = System.nanoTime() + GROUP_TIMEOUT.toNanos();
    ConsumerGroups.GroupView view = groups().describe(group);
    while (!(view.consumesAll(partitions)
        && view.memberIds().size() == members
        && !former.containsAll(view.memberIds()))) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            group
                + ": not "
                + members
                + " members consuming every partition after "
                + GROUP_TIMEOUT.toSeconds()
                + " s: "
                + view);
      }
      ConsumerGroups.pause(Duration.ofMillis(200));
      view = groups().describe(group);
    }
  }

  /**
   * Starts one more process of a running function: the same environment, properties and consumer
   * group, on another HTTP port, so the group has two members and its partitions are shared. The
   * replica is known by the name returned ({@code <function>#<n>}, n = 2, 3, ...): {@link #kill},
   * {@link #stop}, {@link #restart}, {@link #pid}, {@link #url} and {@link #log} take it like a
   * function's name ({@code <function>-<n>.log}). Returns once it is ready and the group is Stable
   * with every partition assigned and the replica among its members.
   */
  public String startReplica(String function, int port) {
    App base = get(function).app();
    if (portInUse(port)) {
      throw new IllegalStateException(
          "port " + port + " for a replica of " + function + " is in use");
    }
    int n = 2;
    while (running.containsKey(function + "#" + n)) {
      n++;
    }
    String name = function + "#" + n;
    App replica = base.withPort(port);
    Set<String> before =
        replica.consumes()
            ? groups().describe(replica.consumerGroup(environment)).memberIds()
            : Set.of();
    launch(name, replica);
    awaitReady(running.get(name));
    if (replica.consumes()) {
      awaitMembers(replica, before, processesOf(function));
    }
    return name;
  }

  /** The names of the processes started, replicas included ({@code <function>#<n>}). */
  public List<String> names() {
    return List.copyOf(running.keySet());
  }

  public URI url(String function) {
    return get(function).app().url();
  }

  public long pid(String function) {
    return get(function).process().pid();
  }

  public boolean isAlive(String function) {
    Running r = running.get(function);
    return r != null && r.process().isAlive();
  }

  public Path log(String function) {
    return logDir.resolve(function.replace('#', '-') + ".log");
  }

  /** Where the apps' logs are: {@code <stack dir>/apps/<environment>}. */
  public Path logDir() {
    return logDir;
  }

  /** How long the app took from launch to ready at its last (re)start. */
  public Duration readyAfter(String function) {
    Duration d = readyAfter.get(function);
    if (d == null) {
      throw new IllegalStateException(function + " has not become ready");
    }
    return d;
  }

  /** The apps started, in start order (one per function: replicas are not listed). */
  public List<App> apps() {
    return running.entrySet().stream()
        .filter(e -> !e.getKey().contains("#"))
        .map(e -> e.getValue().app())
        .toList();
  }

  /** The Admin client these apps use (consumer group state and lag), opened on first use. */
  public ConsumerGroups groups() {
    if (groups == null) {
      groups = new ConsumerGroups(stack.kafkaBootstrap());
    }
    return groups;
  }

  /** Stops every app (SIGTERM, then SIGKILL after 20 s), in reverse start order. */
  @Override
  public void close() {
    List<Running> all = new ArrayList<>(running.values());
    running.clear();
    for (int i = all.size() - 1; i >= 0; i--) {
      all.get(i).process().destroy();
    }
    for (Running r : all) {
      terminate(r.process());
    }
    if (groups != null) {
      groups.close();
      groups = null;
    }
    if (snapshot) {
      for (Running r : all) {
        try {
          deleteTree(logDir.resolve("app-" + r.app().function()));
        } catch (IOException e) {
          // a leftover copy costs disk, not correctness; the next run replaces it
        }
      }
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // the JVM is already exiting; the hook is running or ran
    }
  }

  private void launch(String name, App app) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-Dquarkus.http.port=" + app.port());
    command.add(
        "-Dmp.messaging.incoming.workflow.session.timeout.ms=" + SESSION_TIMEOUT.toMillis());
    app.properties().forEach((k, v) -> command.add("-D" + k + "=" + v));
    command.add("-jar");
    command.add(jar(app).toString());
    ProcessBuilder pb = new ProcessBuilder(command).directory(stack.repoRoot().toFile());
    Map<String, String> env = pb.environment();
    env.put("BOOKSTORE_ENVIRONMENT", environment);
    // A group without committed offsets starts at the end; start() committed them anyway.
    env.put("MP_MESSAGING_INCOMING_WORKFLOW_AUTO_OFFSET_RESET", "latest");
    env.putAll(app.env());
    Path log = log(name);
    try {
      Files.writeString(
          log,
          "=== " + Instant.now() + " " + String.join(" ", command) + "\n",
          java.nio.charset.StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
      pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      running.put(name, new Running(name, app, pb.start(), Instant.now()));
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + app.function() + ": " + e, e);
    }
  }

  private Path jar(App app) {
    Path jar = built(app);
    if (!snapshot) {
      return jar;
    }
    // A copy taken at the first launch, so a rebuild of the module cannot pull jars from under a
    // running app (or change it between a kill and a restart).
    Path copy = logDir.resolve("app-" + app.function());
    if (copied.add(app.function())) {
      try {
        deleteTree(copy); // an earlier run's copy
      } catch (IOException e) {
        throw new IllegalStateException("cannot remove the old copy " + copy + ": " + e, e);
      }
      copyTree(jar.getParent(), copy);
    }
    return copy.resolve("quarkus-run.jar");
  }

  private Path built(App app) {
    Path jar =
        stack
            .repoRoot()
            .resolve("functions")
            .resolve(app.function())
            .resolve("target/quarkus-app/quarkus-run.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "no packaged app for "
              + app.function()
              + " at "
              + jar
              + " (mvn -B -o -ntp install -DskipTests -pl functions/"
              + app.function()
              + ")");
    }
    return jar;
  }

  /** Readiness of all apps concurrently, then their consumer groups. */
  private void awaitAll(Collection<App> apps, Map<String, Set<String>> formerMembers) {
    List<CompletableFuture<Void>> ready = new ArrayList<>();
    for (App app : apps) {
      ready.add(CompletableFuture.runAsync(() -> awaitReady(running.get(app.function()))));
    }
    try {
      CompletableFuture.allOf(ready.toArray(CompletableFuture[]::new)).join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException re ? re : e;
    }
    for (App app : apps) {
      if (app.consumes()) {
        groups()
            .awaitConsuming(
                app.consumerGroup(environment),
                app.topics(),
                formerMembers.getOrDefault(app.function(), Set.of()),
                GROUP_TIMEOUT);
      }
    }
  }

  private void awaitReady(Running r) {
    URI health = r.app().url().resolve("/q/health/ready");
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!r.process().isAlive()) {
        throw new IllegalStateException(
            r.name()
                + " exited with "
                + r.process().exitValue()
                + " before it was ready; end of "
                + log(r.name())
                + ":\n"
                + tail(log(r.name()), 40));
      }
      try {
        HttpResponse<Void> res =
            http.send(
                HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(2)).GET().build(),
                HttpResponse.BodyHandlers.discarding());
        if (res.statusCode() == 200) {
          readyAfter.put(r.name(), Duration.between(r.started(), Instant.now()));
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
      ConsumerGroups.pause(Duration.ofMillis(100));
    }
    throw new IllegalStateException(
        r.name()
            + " not ready after "
            + READY_TIMEOUT.toSeconds()
            + " s; end of its log:\n"
            + tail(log(r.name()), 40));
  }

  private Running get(String function) {
    Running r = running.get(function);
    if (r == null) {
      throw new IllegalArgumentException(
          function + " is not running; started: " + running.keySet());
    }
    return r;
  }

  private static void copyTree(Path from, Path to) {
    Path tmp = to.resolveSibling(to.getFileName() + ".tmp");
    try (java.util.stream.Stream<Path> files = Files.walk(from)) {
      deleteTree(tmp);
      for (Path f : (Iterable<Path>) files::iterator) {
        Path target = tmp.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target);
        }
      }
      Files.move(tmp, to);
    } catch (IOException e) {
      throw new IllegalStateException("cannot copy " + from + " to " + to + ": " + e, e);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
  }

  private static boolean portInUse(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void terminate(Process p) {
    p.destroy();
    if (!waitFor(p, Duration.ofSeconds(20))) {
      p.destroyForcibly();
      waitFor(p, Duration.ofSeconds(10));
    }
  }

  private static boolean waitFor(Process p, Duration d) {
    try {
      return p.waitFor(d.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** On JVM exit without close() (Ctrl-C, SIGTERM): SIGTERM to all, SIGKILL after 10 s. */
  private void destroyAll() {
    List<Process> all = running.values().stream().map(Running::process).toList();
    all.forEach(Process::destroy);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    for (Process p : all) {
      long left = Math.max(0, deadline - System.nanoTime());
      if (!waitFor(p, Duration.ofNanos(left))) {
        p.destroyForcibly();
      }
    }
  }

  static String tail(Path file, int lines) {
    try {
      List<String> all =
          new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.UTF_8)
              .lines()
              .toList();
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e + ")";
    }
  }
}
