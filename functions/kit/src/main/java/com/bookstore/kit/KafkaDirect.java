package com.bookstore.kit;

import com.bookstore.events.EventCatalogue;
import com.bookstore.events.Topology;
import com.bookstore.kit.logging.EventLogContext;
import io.opentelemetry.api.trace.Span;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.providers.locals.LocalContextMetadata;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Kafka-direct mode: the function's consumer group ({@code <function>-<environment>}) reads the
 * topics of exactly the types it takes ({@link Topology#inputs}), so every record it reads is its
 * own business. Records arrive in batches (one per poll); each runs the same pipeline as the HTTP
 * ingress, and its answer is written to the answer types' topics. A batch is acknowledged once
 * every record in it is answered or dead-lettered; the throttled commit strategy then commits its
 * offsets, only ever past records that are done, so a crash redelivers whatever had not finished.
 *
 * <p>Records run in lanes: records with the same key (the {@code partitionkey}, one order or saga)
 * one after the other in the order read, records of different keys side by side. A slow or retried
 * record holds up only its own key.
 *
 * <p>What is dead-lettered, and by whom: a record that is not a CloudEvent, or whose type is not
 * its topic's, only by the topic's keeper ({@link Topology#keeper}), so one bad record gives one
 * dead letter however many functions read the topic; an event this function refuses (schema, a
 * reused id with other content) by this function. A technical failure (Redis, PostgreSQL, Kafka, a
 * claim still held) is retried with backoff for {@code bookstore.kafka.retry-budget}, and
 * dead-lettered only when that budget is spent, saying so. While the process shuts down nothing is
 * dead-lettered: the batch is left unacknowledged and the next consumer of the partition reads it
 * again.
 */
@ApplicationScoped
public class KafkaDirect {
  private static final Logger LOG = Logger.getLogger(KafkaDirect.class);

  public static final String CHANNEL = "workflow";
  public static final String DLQ_REASON = "dead-letter-reason";
  public static final String DLQ_CAUSE = "dead-letter-cause";
  public static final String DLQ_FUNCTION = "dead-letter-function";
  public static final String DLQ_PROBLEM = "dead-letter-problem";
  public static final String DLQ_TOPIC = "dead-letter-topic";
  public static final String DLQ_PARTITION = "dead-letter-partition";
  public static final String DLQ_OFFSET = "dead-letter-offset";

  /** Why a record was dead-lettered: the record itself, or a retry budget spent on it. */
  public static final String CAUSE_BAD_EVENT = "bad-event";

  public static final String CAUSE_RETRIES_SPENT = "retries-spent";
  private static final String TYPE_HEADER = Transport.KAFKA.prefix() + "type";

  private final EventPipeline pipeline;
  private final EventPublisher publisher;
  private final KitConfig.Kafka config;
  private final Vertx vertx;
  private final KitMetrics metrics;
  private final Lanes lanes;
  private final Tracing tracing;

  /** Set when the process begins to shut down; from then on failures are not the record's. */
  private volatile boolean stopping;

  KafkaDirect(
      EventPipeline pipeline,
      EventPublisher publisher,
      KitConfig config,
      Vertx vertx,
      KitMetrics metrics,
      Tracing tracing) {
    this.pipeline = pipeline;
    this.tracing = tracing;
    this.metrics = metrics;
    this.publisher = publisher;
    this.config = config.kafka();
    this.vertx = vertx;
    this.lanes = new Lanes(this.config.concurrency(), this.config.maxQueued());
  }

  /**
   * Starts every record of the batch in its key's lane and returns once they are started (the
   * lanes' back-pressure), not when they finish: the next poll's records proceed while a slow one
   * runs. The batch is acknowledged when its last record is done.
   */
  @Incoming(CHANNEL)
  public Uni<Void> consume(KafkaRecordBatch<String, byte[]> batch) {
    // A poll returns records of several topics, partition by partition. Replayed in the order they
    // were written (a stable sort: one partition's records keep their order), one saga's events of
    // different types run as they happened: a reply written before its step's deadline-passed runs
    // first, even when both waited while the function was down (as Kafka Streams merges its
    // inputs by timestamp).
    List<KafkaRecord<String, byte[]>> records = new ArrayList<>(batch.getRecords());
    records.sort(Comparator.comparing(KafkaRecord::getTimestamp));
    if (records.isEmpty()) {
      return Uni.createFrom().completionStage(batch.ack());
    }
    Context root = rootOf(batch);
    AtomicInteger left = new AtomicInteger(records.size());
    CompletableFuture<Boolean> allDone = new CompletableFuture<>();
    Runnable oneDone =
        () -> {
          if (left.decrementAndGet() == 0) {
            allDone.complete(true);
          }
        };
    allDone.thenAccept(
        x -> {
          if (!stopping) {
            batch.ack();
          }
        });
    Uni<Void> started = Uni.createFrom().voidItem();
    for (KafkaRecord<String, byte[]> record : records) {
      started =
          started.flatMap(
              x ->
                  lanes.submit(
                      laneOf(record),
                      () ->
                          OnContext.on(
                                  VertxContext.createNewDuplicatedContext(root),
                                  () -> handleSafely(record))
                              .onTermination()
                              .invoke(oneDone)));
    }
    return started;
  }

  private static String laneOf(KafkaRecord<String, byte[]> record) {
    return record.getKey() != null
        ? record.getKey()
        : "\u0000" + record.getTopic() + "-" + record.getPartition();
  }

  private Context rootOf(KafkaRecordBatch<String, byte[]> batch) {
    return batch
        .getMetadata(LocalContextMetadata.class)
        .map(LocalContextMetadata::context)
        .orElseGet(vertx::getOrCreateContext);
  }

  /** A bug in handling must not lose the record: it is dead-lettered with what went wrong. */
  private Uni<Void> handleSafely(KafkaRecord<String, byte[]> record) {
    return Uni.createFrom()
        .deferred(() -> handle(record))
        .onFailure(f -> !stopping)
        .recoverWithUni(
            f -> deadLetter(record, FunctionException.fatal("unexpected failure: " + f, f)));
  }

  /** One record, to its end: answered, dead-lettered, or (while stopping) left for redelivery. */
  Uni<Void> handle(KafkaRecord<String, byte[]> record) {
    // This record's duplicated context starts with no trace (a lane may start it from another
    // record's completion, where that record's span is current).
    io.opentelemetry.context.Context.root().makeCurrent();
    Set<String> topicTypes = Topology.typesOn(record.getTopic());
    String headerType = headerType(record);
    metrics.read(
        topicTypes.stream().anyMatch(pipeline.route()::takes)
            && (headerType == null || topicTypes.contains(headerType)));
    if (topicTypes.isEmpty()) {
      metrics.refused(headerType);
      return deadLetter(
          record,
          FunctionException.badEvent(
              Problem.Kind.UNKNOWN_EVENT_TYPE,
              "topic " + record.getTopic() + " carries no catalogued event type"));
    }
    if (headerType != null && !topicTypes.contains(headerType)) {
      return keepersDeadLetter(record, wrongTopic(record, headerType, topicTypes));
    }
    Decoded decoded;
    try {
      decoded =
          CloudEventCodec.decode(
              Transport.KAFKA, headers(record), record.getPayload(), record.getKey());
    } catch (FunctionException e) {
      return keepersDeadLetter(record, e);
    }
    // Each record runs on its own duplicated context (consume): the MDC and the current span are
    // this record's alone, so the span is made current and never closed.
    EventLogContext.enter(decoded.event());
    if (!pipeline.route().takes(decoded.event().type())) {
      // not this function's (another type on a shared topic): passed over, or dead-lettered by
      // the topic's keeper, without a span of its own
      return handleDecoded(record, decoded, topicTypes);
    }
    Span span =
        tracing.startHandling(
            decoded.event(), hop(record), "kafka", record.getTopic(), Tracing.Link.none());
    span.setAttribute(Tracing.PARTITION, Integer.toString(record.getPartition()));
    span.setAttribute(Tracing.OFFSET, offsetOf(record));
    io.opentelemetry.context.Context.current().with(span).makeCurrent();
    return Uni.createFrom()
        .deferred(() -> handleDecoded(record, decoded, topicTypes))
        .onItemOrFailure()
        .invoke((x, failure) -> Tracing.end(span, null, failure));
  }

  private Uni<Void> handleDecoded(
      KafkaRecord<String, byte[]> record, Decoded decoded, Set<String> topicTypes) {
    InboundEvent inbound;
    try {
      if (!topicTypes.contains(decoded.event().type())) {
        return keepersDeadLetter(record, wrongTopic(record, decoded.event().type(), topicTypes));
      }
      inbound = pipeline.validate(decoded);
    } catch (FunctionException e) {
      return keepersDeadLetter(record, e);
    }
    // One lazy Uni, subscribed afresh on each attempt: the ledger keeps its claim token per Uni,
    // so a retry re-takes its own claim (and re-stores an answer it could not store) instead of
    // waiting for that claim to expire.
    Uni<Void> attempt = pipeline.process(inbound).flatMap(publisher::publish);
    return retrying(attempt, record, 1, System.nanoTime());
  }

  /** The context of the hop that wrote the record: its W3C {@code traceparent} header. */
  private static io.opentelemetry.context.Context hop(KafkaRecord<String, byte[]> record) {
    return Tracing.extract(
        lastHeader(record, CloudEvent.TRACEPARENT), lastHeader(record, CloudEvent.TRACESTATE));
  }

  private static String lastHeader(KafkaRecord<String, byte[]> record, String name) {
    Header header = record.getHeaders().lastHeader(name);
    return header == null || header.value() == null
        ? null
        : new String(header.value(), StandardCharsets.UTF_8);
  }

  /**
   * Subscribes to {@code attempt} (claim, run, answer, publish) until it succeeds, fails for a
   * reason that is the record's, or the retry budget, counted from {@code started}, is spent.
   */
  private Uni<Void> retrying(
      Uni<Void> attempt, KafkaRecord<String, byte[]> record, int attemptNo, long started) {
    return attempt
        .onFailure()
        .recoverWithUni(
            failure -> {
              FunctionException e = FunctionException.classify(failure);
              if (stopping) {
                return leaveForRedelivery(record, failure);
              }
              if (!e.isRetryable()) {
                return deadLetter(record, e);
              }
              Duration backoff = backoff(attemptNo);
              Duration spent = Duration.ofNanos(System.nanoTime() - started);
              if (spent.plus(backoff).compareTo(config.retryBudget()) > 0) {
                return deadLetter(record, retriesSpent(e, attemptNo, spent), CAUSE_RETRIES_SPENT);
              }
              metrics.retried();
              Span.current()
                  .addEvent(
                      "retry",
                      io.opentelemetry.api.common.Attributes.of(
                          io.opentelemetry.api.common.AttributeKey.longKey("attempt"),
                          (long) attemptNo,
                          io.opentelemetry.api.common.AttributeKey.stringKey("reason"),
                          String.valueOf(e.getMessage())));
              LOG.debugf(
                  "retrying %s-%d in %d ms (attempt %d): %s",
                  record.getTopic(),
                  record.getPartition(),
                  backoff.toMillis(),
                  attemptNo,
                  e.getMessage());
              return delay(backoff).flatMap(x -> retrying(attempt, record, attemptNo + 1, started));
            });
  }

  /** Exponential from {@code initial-backoff}, capped at {@code max-backoff}. */
  Duration backoff(int attemptNo) {
    long initial = config.initialBackoff().toMillis();
    long max = config.maxBackoff().toMillis();
    long millis = initial << Math.min(20, Math.max(0, attemptNo - 1));
    return Duration.ofMillis(Math.min(max, millis));
  }

  private Uni<Void> delay(Duration d) {
    return Uni.createFrom()
        .emitter(em -> vertx.setTimer(Math.max(1, d.toMillis()), id -> em.complete(null)));
  }

  private FunctionException retriesSpent(FunctionException last, int attempts, Duration spent) {
    return FunctionException.fatal(
        String.format(
            "retry budget of %s spent (%d attempts over %d ms); last failure: %s",
            config.retryBudget(), attempts, spent.toMillis(), last.getMessage()),
        last);
  }

  private static FunctionException wrongTopic(
      KafkaRecord<String, byte[]> record, String type, Set<String> topicTypes) {
    return FunctionException.badEvent(
        Problem.Kind.UNKNOWN_EVENT_TYPE,
        "a "
            + type
            + " event on topic "
            + record.getTopic()
            + ", which carries "
            + String.join(", ", topicTypes)
            + " only"
            + (EventCatalogue.find(type).isPresent()
                ? "; it belongs on " + Topology.topicOf(type)
                : ""),
        new Problem.FieldError("header", TYPE_HEADER, "does not match the topic"));
  }

  /**
   * What does not belong on a topic is the keeper's to dead-letter; every other reader of the topic
   * passes over it, so one bad record gives one dead letter.
   */
  private Uni<Void> keepersDeadLetter(KafkaRecord<String, byte[]> record, FunctionException e) {
    if (Topology.keeperOfTopic(record.getTopic())
        .map(pipeline.functionName()::equals)
        .orElse(true)) {
      metrics.refused(headerType(record));
      return deadLetter(record, e);
    }
    LOG.debugf("passing over a bad record on %s: its keeper dead-letters it", record.getTopic());
    return Uni.createFrom().voidItem();
  }

  /**
   * A failure while the process shuts down is the shutdown's (pools and clients closing under the
   * work), not the record's: the record is neither answered nor dead-lettered, and since the batch
   * is then never acknowledged, the next consumer of the partition reads it again.
   */
  private Uni<Void> leaveForRedelivery(KafkaRecord<String, byte[]> record, Throwable failure) {
    LOG.infof(
        "shutting down: %s-%d@%d left for redelivery (%s)",
        record.getTopic(), record.getPartition(), offsetOf(record), failure.toString());
    return Uni.createFrom().voidItem();
  }

  void stopping(@Observes @Priority(1) ShutdownEvent shutdown) {
    stopping = true;
  }

  /**
   * Writes the record, as it came, to the dead-letter topic with headers that say why, by whom and
   * from where. Writing it is itself retried (it is a produce like any other): a record is done
   * only once its dead letter is on the topic.
   */
  private Uni<Void> deadLetter(KafkaRecord<String, byte[]> record, FunctionException e) {
    return deadLetter(record, e, CAUSE_BAD_EVENT);
  }

  private Uni<Void> deadLetter(
      KafkaRecord<String, byte[]> record, FunctionException e, String cause) {
    LOG.warnf(
        "dead-lettering %s-%d@%d (%s): %s",
        record.getTopic(), record.getPartition(), offsetOf(record), cause, e.getMessage());
    List<Map.Entry<String, byte[]>> extra = new ArrayList<>();
    extra.add(header(DLQ_REASON, e.getMessage()));
    extra.add(header(DLQ_CAUSE, cause));
    extra.add(header(DLQ_FUNCTION, pipeline.functionName()));
    extra.add(header(DLQ_PROBLEM, e.problem().summary()));
    extra.add(header(DLQ_TOPIC, record.getTopic()));
    extra.add(header(DLQ_PARTITION, Integer.toString(record.getPartition())));
    extra.add(header(DLQ_OFFSET, Long.toString(offsetOf(record))));
    Uni<Void> write =
        Uni.createFrom()
            .deferred(() -> publisher.deadLetter(record, extra))
            .onFailure(f -> !stopping)
            .retry()
            .withBackOff(config.initialBackoff(), config.maxBackoff())
            .indefinitely();
    String reason = CAUSE_BAD_EVENT.equals(cause) ? e.problem().slug() : cause;
    Span.current().setAttribute(Tracing.OUTCOME, "dead-lettered: " + reason);
    return write.invoke(() -> metrics.deadLettered(reason));
  }

  private static Map.Entry<String, byte[]> header(String key, String value) {
    return new AbstractMap.SimpleImmutableEntry<>(
        key, String.valueOf(value).getBytes(StandardCharsets.UTF_8));
  }

  private static long offsetOf(KafkaRecord<String, byte[]> record) {
    return record
        .getMetadata(IncomingKafkaRecordMetadata.class)
        .map(IncomingKafkaRecordMetadata::getOffset)
        .orElse(-1L);
  }

  private static String headerType(KafkaRecord<String, byte[]> record) {
    return lastHeader(record, TYPE_HEADER);
  }

  private static List<Map.Entry<String, String>> headers(KafkaRecord<String, byte[]> record) {
    List<Map.Entry<String, String>> out = new ArrayList<>();
    for (Header h : record.getHeaders()) {
      out.add(
          new AbstractMap.SimpleImmutableEntry<>(
              h.key(), h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8)));
    }
    return out;
  }
}
