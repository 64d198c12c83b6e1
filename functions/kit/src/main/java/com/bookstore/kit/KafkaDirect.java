package com.bookstore.kit;

import com.bookstore.events.EventCatalogue;
import com.bookstore.events.Routing;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.providers.locals.LocalContextMetadata;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

/**
 * Kafka-direct mode: consumes the workflow topic with the consumer group {@code
 * <function>-<environment>}, takes the types the routing table gives this function, runs the same
 * pipeline as the HTTP ingress and writes the answer to the topic. A record it cannot handle goes
 * to the dead-letter topic with the reason; its offset is committed only after the answer or the
 * dead letter is written (throttled commit strategy: only acknowledged offsets are committed).
 *
 * <p>Records run concurrently, in lanes: records with the same key (the {@code partitionkey}, i.e.
 * one order or saga) run one after the other in offset order, records of different keys side by
 * side, at most {@code bookstore.kafka.concurrency} at once. A slow or retried record holds up only
 * its own key. The throttled strategy commits an offset only once every record before it in the
 * partition is acknowledged, so a crash redelivers whatever had not finished, never skips it.
 */
@ApplicationScoped
public class KafkaDirect {
  private static final Logger LOG = Logger.getLogger(KafkaDirect.class);

  public static final String CHANNEL = "workflow";
  public static final String DLQ_FUNCTION = "dead-letter-function";
  public static final String DLQ_PROBLEM = "dead-letter-problem";
  private static final String TYPE_HEADER = Transport.KAFKA.prefix() + "type";

  private final EventPipeline pipeline;
  private final EventPublisher publisher;
  private final KitConfig.Kafka config;
  private final Vertx vertx;
  private final KitStats stats;

  private final Lanes lanes;

  /** The types some function takes from this function's topic. */
  private final Set<String> takenOnThisTopic;

  /** Set when the process begins to shut down; from then on failures are not the record's. */
  private volatile boolean stopping;

  KafkaDirect(
      EventPipeline pipeline,
      EventPublisher publisher,
      KitConfig config,
      Vertx vertx,
      KitStats stats) {
    this.pipeline = pipeline;
    this.stats = stats;
    this.publisher = publisher;
    this.config = config.kafka();
    this.vertx = vertx;
    this.lanes = new Lanes(this.config.concurrency());
    this.takenOnThisTopic =
        Routing.all().stream()
            .filter(r -> r.topic().equals(pipeline.route().topic()))
            .flatMap(r -> r.triggers().stream())
            .collect(Collectors.toUnmodifiableSet());
  }

  /**
   * Decodes the record and, when this function takes it, starts it in its key's lane; returns at
   * once unless {@code concurrency} records are already in flight, then when one finishes (the
   * connector's back-pressure). Records for other functions are acknowledged straight away.
   */
  @Incoming(CHANNEL)
  public Uni<Void> consume(KafkaRecord<String, byte[]> record) {
    if (isAnotherFunctionsEvent(record)) {
      return ack(record);
    }
    Decoded decoded;
    try {
      decoded =
          CloudEventCodec.decode(
              Transport.KAFKA, headers(record), record.getPayload(), record.getKey());
    } catch (FunctionException e) {
      // Not a CloudEvent: the gatekeeper's, or ours when its type header names one we take.
      boolean ours = pipeline.route().takes(String.valueOf(headerType(record)));
      return pipeline.route().gatekeeper() || ours ? deadLetter(record, e) : ack(record);
    }
    String type = decoded.event().type();
    if (!pipeline.route().takes(type)) {
      // Another function's event. Only a type no function takes is this gatekeeper's business.
      if (EventCatalogue.find(type).isEmpty() && pipeline.route().gatekeeper()) {
        try {
          pipeline.validate(decoded);
        } catch (FunctionException e) {
          return deadLetter(record, e);
        }
      }
      return ack(record);
    }
    String lane =
        record.getKey() != null ? record.getKey() : "\u0000partition-" + record.getPartition();
    return lanes.submit(lane, () -> OnContext.on(contextOf(record), () -> handle(record, decoded)));
  }

  /**
   * Most records on a workflow topic are other functions' events. A binary-mode record whose {@code
   * ce_type} names a type this function does not take is acknowledged without decoding when someone
   * else answers for it: the function that takes it (which dead-letters it if it is malformed), or,
   * for a type no function takes, the topic's gatekeeper. Everything else takes the full path.
   */
  private boolean isAnotherFunctionsEvent(KafkaRecord<String, byte[]> record) {
    String type = headerType(record);
    if (type == null || pipeline.route().takes(type)) {
      return false;
    }
    return takenOnThisTopic.contains(type)
        || (!pipeline.route().gatekeeper() && EventCatalogue.find(type).isPresent());
  }

  private static String headerType(KafkaRecord<String, byte[]> record) {
    Header header = record.getHeaders().lastHeader(TYPE_HEADER);
    return header == null || header.value() == null
        ? null
        : new String(header.value(), StandardCharsets.UTF_8);
  }

  /**
   * Each record on its own duplicated Vert.x context (the connector's, or a fresh one): Hibernate
   * Reactive and the Redis client keep per-call state there, and records of other lanes run at the
   * same time.
   */
  private Context contextOf(KafkaRecord<String, byte[]> record) {
    return record
        .getMetadata(LocalContextMetadata.class)
        .map(LocalContextMetadata::context)
        .filter(VertxContext::isDuplicatedContext)
        .orElseGet(() -> VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext()));
  }

  private Uni<Void> handle(KafkaRecord<String, byte[]> record, Decoded decoded) {
    return pipeline
        .process(decoded)
        .onFailure(f -> !stopping && FunctionException.classify(f).isRetryable())
        .retry()
        .withBackOff(config.initialBackoff(), config.maxBackoff())
        .atMost(Math.max(0, config.maxAttempts() - 1))
        .flatMap(publisher::publish)
        .flatMap(x -> ack(record))
        .onFailure()
        .recoverWithUni(
            f -> stopping ? leaveForRedelivery(record, f) : deadLetter(record, exhausted(f)));
  }

  /**
   * A failure while the process shuts down is the shutdown's (pools and clients closing under the
   * work), not the record's: the record is neither acknowledged nor dead-lettered, so its offset is
   * not committed and the next consumer of the partition gets it again.
   */
  private Uni<Void> leaveForRedelivery(KafkaRecord<String, byte[]> record, Throwable failure) {
    LOG.infof(
        "shutting down: %s-%d left for redelivery (%s)",
        record.getTopic(), record.getPartition(), failure.toString());
    return Uni.createFrom().voidItem();
  }

  void stopping(@Observes @Priority(1) ShutdownEvent shutdown) {
    stopping = true;
  }

  private FunctionException exhausted(Throwable failure) {
    FunctionException e = FunctionException.classify(failure);
    if (!e.isRetryable()) {
      return e;
    }
    return FunctionException.fatal(
        "gave up after " + config.maxAttempts() + " attempts: " + e.getMessage(), e);
  }

  private Uni<Void> ack(KafkaRecord<String, byte[]> record) {
    return Uni.createFrom().completionStage(record.ack());
  }

  /**
   * Nacks the record; the dead-letter-queue failure strategy writes it to the dead-letter topic
   * with {@code dead-letter-reason}, {@code dead-letter-topic/partition/offset}, and the headers
   * added here, then acknowledges it.
   */
  private Uni<Void> deadLetter(KafkaRecord<String, byte[]> record, FunctionException e) {
    stats.deadLettered();
    LOG.warnf(
        "dead-lettering %s-%d@%s: %s",
        record.getTopic(),
        record.getPartition(),
        record
            .getMetadata(IncomingKafkaRecordMetadata.class)
            .map(m -> Long.toString(m.getOffset()))
            .orElse("?"),
        e.getMessage());
    RecordHeaders extra = new RecordHeaders();
    for (Header h : record.getHeaders()) {
      extra.add(h);
    }
    extra.add(DLQ_FUNCTION, pipeline.functionName().getBytes(StandardCharsets.UTF_8));
    extra.add(DLQ_PROBLEM, e.problem().summary().getBytes(StandardCharsets.UTF_8));
    OutgoingKafkaRecordMetadata<String> metadata =
        OutgoingKafkaRecordMetadata.<String>builder().withHeaders(extra).build();
    return Uni.createFrom().completionStage(record.nack(e, Metadata.of(metadata)));
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
