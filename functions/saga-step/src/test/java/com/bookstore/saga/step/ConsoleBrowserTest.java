package com.bookstore.saga.step;

import static com.bookstore.kit.testing.KafkaTestClient.header;
import static com.bookstore.saga.step.OrderSagaEvents.authorized;
import static com.bookstore.saga.step.OrderSagaEvents.captured;
import static com.bookstore.saga.step.OrderSagaEvents.committed;
import static com.bookstore.saga.step.OrderSagaEvents.newOrderId;
import static com.bookstore.saga.step.OrderSagaEvents.placed;
import static com.bookstore.saga.step.OrderSagaEvents.reserved;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.bookstore.events.EventJson;
import com.bookstore.events.EventTypes;
import com.bookstore.kit.saga.SagaStatus;
import com.bookstore.kit.testing.KafkaTestClient;
import com.bookstore.saga.store.SagaStore;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The console end to end in a real browser: Debian's headless Chromium driven by playwright-core
 * ({@code src/test/browser}, {@code npm ci} there first; {@code tests/run-tests.sh} does it)
 * against this saga-step, on the real PostgreSQL and Kafka. A missing node, Chromium or
 * playwright-core fails the test, saying what to install. Screenshots and the browser's output are
 * kept in {@code target/console-browser/}.
 */
@QuarkusTest
class ConsoleBrowserTest {
  private static final Path BROWSER = Path.of("src/test/browser");
  private static final Path OUT = Path.of("target/console-browser");
  private static final String CHROMIUM =
      System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");

  @Inject SagaStore store;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @ConfigProperty(name = "bookstore.operator.token")
  String token;

  @Test
  void anOperatorLogsInSeesCountsAndAnOrdersTimelineResumesAStuckSagaAndRedrivesADeadLetter()
      throws Exception {
    requireTools();
    // A finished order, a stuck saga and a dead letter saga-step wrote itself.
    String finished = newOrderId();
    placed(finished).post().then().statusCode(200);
    reserved(finished).post().then().statusCode(200);
    authorized(finished).post().then().statusCode(200);
    committed(finished).post().then().statusCode(200);
    captured(finished).post().then().statusCode(200);
    assertEquals(SagaStatus.COMPLETED, status(finished));
    String stuck = ConsoleFixtures.stuckAtCommit(store);

    try (KafkaTestClient kafka = new KafkaTestClient(bootstrap)) {
      ConsumerRecord<String, byte[]> letter = ConsoleFixtures.deadLetter(kafka, newOrderId());
      String ceId = header(letter, "ce_id");
      try (KafkaTestClient.Tail events = kafka.tailEvents()) {
        JsonNode seen =
            runBrowser(
                List.of(
                    "CONSOLE_URL=http://localhost:" + RestAssured.port,
                    "OPERATOR_TOKEN=" + token,
                    "STUCK_ID=" + stuck,
                    "ORDER_ID=" + finished,
                    "LETTER=" + letter.partition() + "@" + letter.offset()));

        // What the page showed.
        assertEquals(401, seen.get("refusedStatus").asInt());
        assertTrue(seen.get("wrongTokenError").asText().contains("not the operator token"));
        assertTrue(seen.get("counts").get("STUCK").asLong() >= 1, seen.get("counts").toString());
        assertTrue(
            seen.get("counts").get("COMPLETED").asLong() >= 1, seen.get("counts").toString());
        assertEquals("COMPLETED", seen.get("orderStatus").asText());
        List<String> steps = new ArrayList<>();
        seen.get("steps")
            .forEach(s -> steps.add(s.get("name").asText() + " " + s.get("status").asText()));
        assertEquals(
            List.of(
                "reserve-stock SUCCEEDED",
                "authorize-payment SUCCEEDED",
                "commit-stock SUCCEEDED",
                "capture-payment SUCCEEDED"),
            steps);
        List<String> timeline = new ArrayList<>();
        seen.get("timeline")
            .forEach(e -> timeline.add(e.get("direction").asText() + " " + e.get("type").asText()));
        assertEquals(
            List.of(
                "took " + EventTypes.ORDER_PLACED,
                "sent " + EventTypes.STOCK_RESERVE,
                "took " + EventTypes.STOCK_RESERVED,
                "sent " + EventTypes.PAYMENT_AUTHORIZE,
                "took " + EventTypes.PAYMENT_AUTHORIZED,
                "sent " + EventTypes.STOCK_COMMIT,
                "took " + EventTypes.STOCK_COMMITTED,
                "sent " + EventTypes.PAYMENT_CAPTURE,
                "took " + EventTypes.PAYMENT_CAPTURED,
                "sent " + EventTypes.ORDER_CONFIRMED),
            timeline);
        seen.get("timeline")
            .forEach(
                e ->
                    assertTrue(
                        !e.get("at").asText().isBlank() && !e.get("source").asText().isBlank(),
                        e.toString()));
        // The owners of its payment, hold and notifications do not run beside this test: each
        // section names whom it asked and why there is nothing, and shows no rows.
        for (String part : List.of("payment", "reservation", "notifications")) {
          JsonNode shown = seen.get("parts").get(part);
          assertTrue(
              shown.get("source").asText().startsWith("from http://127.0.0.1:9/"),
              part + ": " + shown);
          assertTrue(shown.get("error").asText().startsWith("not reachable"), part + ": " + shown);
          assertEquals(0, shown.get("rows").size(), part + ": " + shown);
        }
        assertEquals(ceId, seen.get("letterCeId").asText());
        assertEquals(0, seen.get("redriveButtonsLeft").asInt());

        // What the clicks did: the stuck saga runs again and its command reached Kafka ...
        assertEquals(SagaStatus.RUNNING, status(stuck));
        List<ConsumerRecord<String, byte[]>> commits =
            events.await(
                r -> stuck.equals(r.key()) && EventTypes.STOCK_COMMIT.equals(header(r, "ce_type")),
                1,
                ConsoleFixtures.WAIT);
        assertEquals(1, commits.size(), "stock.commit of the resumed saga on Kafka");
        assertEquals(stuck + ":commit-stock:action:6", header(commits.get(0), "ce_id"));
        // ... and the dead letter is back on its topic with its CloudEvent id.
        List<ConsumerRecord<String, byte[]>> back =
            events.await(
                r ->
                    ceId.equals(header(r, "ce_id"))
                        && ConsoleFixtures.DEAD_LETTER_TOPIC.equals(r.topic()),
                1,
                ConsoleFixtures.WAIT);
        assertEquals(1, back.size(), "the redriven letter on " + ConsoleFixtures.DEAD_LETTER_TOPIC);
      }
    }
    for (String shot :
        List.of(
            "1-refused.png", "2-overview.png", "3-order.png", "4-after-resume-and-redrive.png")) {
      assertTrue(Files.size(OUT.resolve(shot)) > 1000, shot + " is kept in " + OUT);
    }
  }

  private SagaStatus status(String id) {
    return store.load(id).await().atMost(ConsoleFixtures.WAIT).orElseThrow().state().status();
  }

  /** Fails (never skips) when what the browser test needs is missing, saying how to get it. */
  private static void requireTools() {
    if (!run("node", "--version")) {
      fail(
          "node is not on the PATH: install Node.js 18 or later (Debian: apt-get install nodejs npm)");
    }
    if (!Files.isExecutable(Path.of(CHROMIUM))) {
      fail(
          CHROMIUM
              + " is missing: apt-get install --no-install-recommends chromium (or set CHROMIUM to"
              + " a Chromium binary); tests/run-tests.sh installs it");
    }
    if (!Files.isDirectory(BROWSER.resolve("node_modules/playwright-core"))) {
      fail(
          "playwright-core is not installed: run npm ci in functions/saga-step/src/test/browser"
              + " (tests/run-tests.sh does)");
    }
  }

  private static boolean run(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Runs the browser script and returns what it saw (the JSON on its last line). */
  private static JsonNode runBrowser(List<String> env) throws Exception {
    Files.createDirectories(OUT);
    Path log = OUT.resolve("browser.log");
    ProcessBuilder pb =
        new ProcessBuilder("node", "console.spec.mjs")
            .directory(BROWSER.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().put("SCREENSHOTS_DIR", OUT.toAbsolutePath().toString());
    pb.environment().put("CHROMIUM", CHROMIUM);
    for (String kv : env) {
      int eq = kv.indexOf('=');
      pb.environment().put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    Process p = pb.start();
    if (!p.waitFor(3, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      fail("the browser script did not finish in 3 minutes; its output: " + Files.readString(log));
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      fail("the browser script failed (exit " + p.exitValue() + "):\n" + output);
    }
    String[] lines = output.strip().split("\n");
    return EventJson.mapper().readTree(lines[lines.length - 1]);
  }
}
