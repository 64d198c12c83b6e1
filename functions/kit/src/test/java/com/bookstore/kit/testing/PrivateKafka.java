package com.bookstore.kit.testing;

import com.bookstore.events.Topics;
import com.bookstore.events.Topology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * A Kafka broker of the test's own (KRaft, one node, on loopback ports of its own), so a test can
 * stop Kafka and start it again without touching the stack's broker that everyone shares. Runs the
 * broker's jars of {@code infra/local/kafka/pom.xml} (the stack's, from the local Maven repository)
 * as a child process; its data stays in {@code target/}, so a restart keeps the topics.
 */
public final class PrivateKafka implements AutoCloseable {
  private static final Duration START = Duration.ofSeconds(90);

  private final Path dir;
  private final int port;
  private final int controllerPort;
  private final String classpath;
  private Process process;

  /** {@code repoRoot}: the repository (for the broker's pom); data under {@code workDir}. */
  public PrivateKafka(Path repoRoot, Path workDir, int port, int controllerPort) {
    this.dir = workDir.toAbsolutePath();
    this.port = port;
    this.controllerPort = controllerPort;
    try {
      Files.createDirectories(dir);
      this.classpath = classpath(repoRoot, dir);
      Files.writeString(dir.resolve("server.properties"), config());
      java(
          "kafka.tools.StorageTool",
          "format",
          "--ignore-formatted",
          "--cluster-id",
          clusterId(),
          "--config",
          dir.resolve("server.properties").toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String bootstrap() {
    return "127.0.0.1:" + port;
  }

  /** Starts the broker and returns once it answers on its port. */
  public synchronized void start() {
    if (process != null && process.isAlive()) {
      return;
    }
    try {
      ProcessBuilder pb =
          new ProcessBuilder(
              javaBin(),
              "-Xmx256m",
              "-XX:+UseSerialGC",
              "-XX:TieredStopAtLevel=1",
              "-Dlog4j2.configurationFile=" + log4j(),
              "-cp",
              classpath,
              "kafka.Kafka",
              dir.resolve("server.properties").toString());
      pb.redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("broker.log").toFile()));
      process = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    long until = System.nanoTime() + START.toNanos();
    while (!answers()) {
      if (!process.isAlive() || System.nanoTime() > until) {
        throw new IllegalStateException(
            "private Kafka did not start; see " + dir.resolve("broker.log"));
      }
      sleepBriefly();
    }
  }

  /** Stops the broker (SIGTERM, then SIGKILL) and returns once it is gone. */
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  /** Creates what {@code function} reads and writes, as the stack's topics.txt does. */
  public void createTopicsOf(String function) {
    Set<String> names = new LinkedHashSet<>();
    names.addAll(Topology.inputs(function));
    names.addAll(Topology.outputs(function));
    names.add(Topics.DEAD_LETTER);
    names.add(Topology.BROKER_TOPIC);
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
    try (Admin admin = Admin.create(p)) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<NewTopic> missing = new ArrayList<>();
      for (String n : names) {
        if (!existing.contains(n)) {
          missing.add(new NewTopic(n, 1, (short) 1));
        }
      }
      admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("topics not created on the private Kafka", e);
    }
  }

  private boolean answers() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private String config() {
    return String.join(
        "\n",
        "process.roles=broker,controller",
        "node.id=1",
        "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
        "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
        "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "controller.listener.names=CONTROLLER",
        "inter.broker.listener.name=PLAINTEXT",
        "log.dirs=" + dir.resolve("data"),
        "num.partitions=1",
        "default.replication.factor=1",
        "min.insync.replicas=1",
        "offsets.topic.replication.factor=1",
        "offsets.topic.num.partitions=1",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "share.coordinator.state.topic.replication.factor=1",
        "share.coordinator.state.topic.min.isr=1",
        "group.initial.rebalance.delay.ms=0",
        "auto.create.topics.enable=false",
        "");
  }

  private String clusterId() throws IOException {
    Path f = dir.resolve("cluster.id");
    if (!Files.exists(f)) {
      UUID u = UUID.randomUUID();
      java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16);
      b.putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
      String id = Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
      if (id.startsWith("-")) {
        id = "A" + id.substring(1);
      }
      Files.writeString(f, id);
    }
    return Files.readString(f).trim();
  }

  private String log4j() throws IOException {
    Path f = dir.resolve("log4j2.properties");
    Files.writeString(
        f,
        String.join(
            "\n",
            "rootLogger.level=WARN",
            "rootLogger.appenderRef.out.ref=OUT",
            "appender.out.type=Console",
            "appender.out.name=OUT",
            "appender.out.layout.type=PatternLayout",
            "appender.out.layout.pattern=[%d] %p %m (%c)%n",
            ""));
    return f.toString();
  }

  private void java(String... args) throws IOException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                javaBin(), "-Xmx128m", "-Dlog4j2.configurationFile=" + log4j(), "-cp", classpath));
    cmd.addAll(List.of(args));
    run(cmd, dir.resolve("format.log"));
  }

  /** The broker's jars as a classpath, resolved from the local Maven repository (offline). */
  private static String classpath(Path repoRoot, Path dir) throws IOException {
    Path out = dir.resolve("kafka.classpath");
    if (!Files.exists(out)) {
      String mvn =
          Path.of(System.getProperty("maven.home", "/usr/share/maven"), "bin", "mvn").toString();
      run(
          List.of(
              mvn,
              "-o",
              "-q",
              "-B",
              "-f",
              repoRoot.resolve("infra/local/kafka/pom.xml").toString(),
              "dependency:build-classpath",
              "-Dmdep.outputFile=" + out),
          dir.resolve("classpath.log"));
    }
    return Files.readString(out, StandardCharsets.UTF_8).trim();
  }

  private static void run(List<String> cmd, Path log) throws IOException {
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    try {
      if (!p.waitFor(3, TimeUnit.MINUTES) || p.exitValue() != 0) {
        throw new IllegalStateException(cmd.get(0) + " failed; see " + log);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static void sleepBriefly() {
    try {
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stop();
  }
}
