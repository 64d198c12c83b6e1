package com.bookstore.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.mutiny.Uni;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The ledger against the real Redis of the local stack: claims, answers, waits, digests. */
class IdempotencyLedgerTest {
  private static final String FUNCTION = "ledger-test";
  private static final TestServers SERVERS = new TestServers();

  @AfterAll
  static void close() {
    SERVERS.close();
  }

  static CloudEvent incoming(String id, String data) {
    return new CloudEvent(
        id,
        "/tests/ledger",
        "t.v1",
        null,
        null,
        "application/json",
        null,
        Map.of(),
        data.getBytes(StandardCharsets.UTF_8));
  }

  static CloudEvent incoming() {
    return incoming(UUID.randomUUID().toString(), "{\"n\":1}");
  }

  static Answer answer(String id) {
    return Answer.of(
        new CloudEvent(
            id,
            "/tests",
            "answer.v1",
            null,
            null,
            "application/json",
            null,
            Map.of(),
            "{\"n\":1}".getBytes(StandardCharsets.UTF_8)));
  }

  static Uni<Answer> once(
      IdempotencyLedger ledger, CloudEvent event, AtomicInteger runs, Uni<Answer> result) {
    return ledger.once(
        FUNCTION,
        event,
        () -> {
          runs.incrementAndGet();
          return result;
        });
  }

  static String id(Answer answer) {
    return answer.events().get(0).id();
  }

  static boolean inProgress(Throwable f) {
    return f instanceof FunctionException e && e.problem().type().endsWith("/event-in-progress");
  }

  /**
   * KafkaDirect retries an in-progress failure by resubscribing to the same Uni. Each subscription
   * must wait afresh; once the dead holder's claim expires, the retry runs the function.
   */
  @Test
  void aResubscriptionWaitsAfreshAndRunsOnceADeadHoldersClaimExpires() {
    IdempotencyLedger ledger =
        SERVERS.ledger(
            TestServers.config(FUNCTION, Duration.ofSeconds(30), Duration.ofMillis(150)));
    CloudEvent event = incoming();
    String key = IdempotencyLedger.key(FUNCTION, event);
    SERVERS.setPx(key, "P:" + UUID.randomUUID(), 900);
    AtomicInteger runs = new AtomicInteger();
    Uni<Answer> delivery = once(ledger, event, runs, Uni.createFrom().item(answer("ran")));

    Throwable first =
        assertThrows(Throwable.class, () -> delivery.await().atMost(TestServers.WAIT));
    assertTrue(inProgress(first), first.toString());
    long start = System.nanoTime();
    Throwable second =
        assertThrows(Throwable.class, () -> delivery.await().atMost(TestServers.WAIT));
    assertTrue(inProgress(second), second.toString());
    assertTrue(
        System.nanoTime() - start >= Duration.ofMillis(150).toNanos(),
        "the second subscription waited again");

    Answer retried =
        delivery
            .onFailure(IdempotencyLedgerTest::inProgress)
            .retry()
            .atMost(20)
            .await()
            .atMost(TestServers.WAIT);
    assertEquals("ran", id(retried));
    assertEquals(1, runs.get());
  }

  /**
   * A function that runs for several claim TTLs keeps its claim: the holder renews it while it
   * runs. A duplicate that arrives meanwhile waits and gets the first delivery's answer; without
   * the renewal the claim would lapse after 1 s and the duplicate would run the function again.
   */
  @Test
  void aLiveHolderKeepsItsClaimPastTheTtl() {
    // A TTL of 1 s renewed every 333 ms: a renewal must be late by 667 ms for the claim to lapse.
    IdempotencyLedger ledger =
        SERVERS.ledger(TestServers.config(FUNCTION, Duration.ofSeconds(1), Duration.ofSeconds(5)));
    CloudEvent event = incoming();
    String key = IdempotencyLedger.key(FUNCTION, event);
    AtomicInteger runs = new AtomicInteger();
    java.util.concurrent.CompletableFuture<Void> finish =
        new java.util.concurrent.CompletableFuture<>();
    Uni<Answer> slow =
        Uni.createFrom().completionStage(finish).replaceWith(answer("the-first-delivery"));

    java.util.concurrent.CompletableFuture<Answer> first =
        once(ledger, event, runs, slow).subscribeAsCompletionStage();
    // The claim is written asynchronously: watch it only once the function runs under it. Watching
    // from the subscription failed the CI of stop 17: a cold JVM can take 185 ms to claim.
    org.awaitility.Awaitility.await().atMost(TestServers.WAIT).until(() -> runs.get() == 1);
    long ranFor = System.nanoTime();
    // Three TTLs with the function still running: the claim must still be there, renewed.
    while (System.nanoTime() - ranFor < Duration.ofMillis(3000).toNanos()) {
      assertTrue(
          String.valueOf(SERVERS.get(key)).startsWith("P:"),
          "the running delivery's claim is held: " + SERVERS.get(key));
    }
    java.util.concurrent.CompletableFuture<Answer> duplicate =
        once(ledger, event, runs, Uni.createFrom().item(answer("ran-twice")))
            .subscribeAsCompletionStage();
    finish.complete(null);

    assertEquals("the-first-delivery", id(first.join()));
    assertEquals("the-first-delivery", id(duplicate.join()));
    assertEquals(1, runs.get());
  }

  /**
   * Our claim was lost while the function ran (its renewals failed, Redis was away, and the key
   * lapsed), and another delivery claimed, ran and answered. Our answer must not overwrite that
   * one; we return the stored answer so downstream sees one set of ids.
   */
  @Test
  void anAnswerIsStoredOnlyOverOurOwnClaim() {
    IdempotencyLedger ledger =
        SERVERS.ledger(TestServers.config(FUNCTION, Duration.ofMillis(300), Duration.ofSeconds(5)));
    CloudEvent event = incoming();
    String key = IdempotencyLedger.key(FUNCTION, event);
    AtomicInteger runs = new AtomicInteger();
    Uni<Answer> slowFirst =
        SERVERS
            .redis
            .del(List.of(key))
            .flatMap(
                x -> once(ledger, event, runs, Uni.createFrom().item(answer("second-delivery"))))
            .replaceWith(answer("first-delivery"));

    Answer first = once(ledger, event, runs, slowFirst).await().atMost(TestServers.WAIT);

    assertEquals("second-delivery", id(first));
    Answer redelivered =
        once(ledger, event, runs, Uni.createFrom().item(answer("third")))
            .await()
            .atMost(TestServers.WAIT);
    assertEquals("second-delivery", id(redelivered));
    assertEquals(2, runs.get());
  }

  @Test
  void anAnswerNotToBeRememberedReleasesTheClaim() {
    IdempotencyLedger ledger =
        SERVERS.ledger(TestServers.config(FUNCTION, Duration.ofSeconds(30), Duration.ofSeconds(5)));
    CloudEvent event = incoming();
    AtomicInteger runs = new AtomicInteger();

    Answer first =
        once(ledger, event, runs, Uni.createFrom().item(Answer.notDoneYet()))
            .await()
            .atMost(TestServers.WAIT);
    assertFalse(first.remembered());
    assertNull(SERVERS.get(IdempotencyLedger.key(FUNCTION, event)), "nothing left in Redis");
    Answer second =
        once(ledger, event, runs, Uni.createFrom().item(answer("judged-anew")))
            .await()
            .atMost(TestServers.WAIT);
    assertEquals("judged-anew", id(second));
    assertEquals(2, runs.get());
  }

  @Test
  void aReusedIdWithOtherContentIsAConflictNotADuplicate() {
    IdempotencyLedger ledger =
        SERVERS.ledger(TestServers.config(FUNCTION, Duration.ofSeconds(30), Duration.ofSeconds(5)));
    String id = UUID.randomUUID().toString();
    AtomicInteger runs = new AtomicInteger();
    once(ledger, incoming(id, "{\"n\":1}"), runs, Uni.createFrom().item(answer("a")))
        .await()
        .atMost(TestServers.WAIT);

    Throwable reused =
        assertThrows(
            Throwable.class,
            () ->
                once(ledger, incoming(id, "{\"n\":2}"), runs, Uni.createFrom().item(answer("b")))
                    .await()
                    .atMost(TestServers.WAIT));

    FunctionException e = assertInstanceOf(reused);
    assertFalse(e.isRetryable(), "retrying cannot make the content match");
    assertEquals(409, e.problem().status());
    assertTrue(e.problem().type().endsWith("/event-id-reused"), e.problem().type());
    assertTrue(e.problem().detail().contains("/tests/ledger"), e.problem().detail());
    assertTrue(e.problem().detail().contains(id), e.problem().detail());
    assertEquals(1, runs.get());
  }

  @Test
  void aReusedIdWhileTheFirstIsStillRunningIsAConflictToo() {
    IdempotencyLedger ledger =
        SERVERS.ledger(TestServers.config(FUNCTION, Duration.ofSeconds(30), Duration.ofSeconds(5)));
    String id = UUID.randomUUID().toString();
    AtomicInteger runs = new AtomicInteger();
    CloudEvent first = incoming(id, "{\"n\":1}");
    var running =
        once(ledger, first, runs, Uni.createFrom().nothing()).subscribeAsCompletionStage();
    untilClaimed(IdempotencyLedger.key(FUNCTION, first)).await().atMost(TestServers.WAIT);

    Throwable reused =
        assertThrows(
            Throwable.class,
            () ->
                once(ledger, incoming(id, "{\"n\":2}"), runs, Uni.createFrom().item(answer("b")))
                    .await()
                    .atMost(TestServers.WAIT));

    assertEquals(409, assertInstanceOf(reused).problem().status());
    assertFalse(assertInstanceOf(reused).isRetryable());
    running.toCompletableFuture().cancel(true);
  }

  @Test
  void theSameContentInAnotherJsonLayoutIsADuplicate() {
    IdempotencyLedger ledger =
        SERVERS.ledger(TestServers.config(FUNCTION, Duration.ofSeconds(30), Duration.ofSeconds(5)));
    String id = UUID.randomUUID().toString();
    AtomicInteger runs = new AtomicInteger();
    once(
            ledger,
            incoming(id, "{\"a\":1,\"b\":{\"c\":[1,2],\"d\":\"x\"}}"),
            runs,
            Uni.createFrom().item(answer("a")))
        .await()
        .atMost(TestServers.WAIT);

    Answer again =
        once(
                ledger,
                incoming(id, "{ \"b\" : { \"d\" : \"x\", \"c\" : [ 1, 2 ] },\n \"a\" : 1 }"),
                runs,
                Uni.createFrom().item(answer("b")))
            .await()
            .atMost(TestServers.WAIT);

    assertEquals("a", id(again));
    assertEquals(1, runs.get());
  }

  /** Answers expire: a day by default, so the ledger's memory is bounded by a day's traffic. */
  @Test
  void answersAreKeptForABoundedTime() throws Exception {
    Duration byDefault =
        Duration.parse(
            KitConfig.Idempotency.class
                .getMethod("ttl")
                .getAnnotation(io.smallrye.config.WithDefault.class)
                .value());
    assertTrue(byDefault.compareTo(Duration.ofHours(24)) <= 0, byDefault.toString());

    IdempotencyLedger ledger =
        SERVERS.ledger(TestServers.config(FUNCTION, Duration.ofSeconds(30), Duration.ofSeconds(5)));
    CloudEvent event = incoming();
    once(ledger, event, new AtomicInteger(), Uni.createFrom().item(answer("a")))
        .await()
        .atMost(TestServers.WAIT);
    long pttl =
        SERVERS
            .redis
            .pttl(IdempotencyLedger.key(FUNCTION, event))
            .await()
            .atMost(TestServers.WAIT)
            .toLong();
    assertTrue(pttl > 0 && pttl <= Duration.ofMinutes(5).toMillis(), "PTTL " + pttl);
  }

  private static Uni<Void> untilClaimed(String key) {
    return SERVERS
        .redis
        .exists(List.of(key))
        .flatMap(
            n ->
                n.toLong() == 1
                    ? Uni.createFrom().voidItem()
                    : Uni.createFrom()
                        .voidItem()
                        .onItem()
                        .delayIt()
                        .by(Duration.ofMillis(10))
                        .flatMap(x -> untilClaimed(key)));
  }

  private static FunctionException assertInstanceOf(Throwable t) {
    assertTrue(t instanceof FunctionException, t.toString());
    return (FunctionException) t;
  }
}
