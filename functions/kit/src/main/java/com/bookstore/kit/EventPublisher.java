package com.bookstore.kit;

import com.bookstore.events.Topics;
import com.bookstore.events.Topology;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * Writes answers as binary-mode CloudEvents ({@code ce_} headers, {@code partitionkey} as the
 * record key): in Kafka-direct mode each to its type's topic ({@link Topology#topicOf}), where the
 * functions that take it read it; on Knative to the Broker's topic, which routes by type.
 * Idempotent producer with acks=all, created at start. Dead letters go out on the same producer.
 */
@ApplicationScoped
public class EventPublisher {
  private static final Logger LOG = Logger.getLogger(EventPublisher.class);

  private final Map<String, Object> kafkaConfig;
  private final boolean direct;
  private final List<String> outputs;
  private final List<String> written;
  private final Tracing tracing;
  private volatile KafkaProducer<String, byte[]> producer;

  /**
   * {@code kafkaConfig} is every {@code kafka.*} property (bootstrap servers, and on a cluster the
   * security protocol, SASL mechanism and JAAS login), as Quarkus collects them for all clients.
   */
  EventPublisher(
      KitConfig config,
      @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
      Tracing tracing) {
    this.kafkaConfig = kafkaConfig;
    this.tracing = tracing;
    this.direct = config.kafka().direct();
    this.outputs =
        direct ? Topology.outputs(config.functionName()) : List.of(Topology.BROKER_TOPIC);
    List<String> all = new ArrayList<>(outputs);
    if (direct && !Topology.inputs(config.functionName()).isEmpty()) {
      all.add(Topics.DEAD_LETTER);
    }
    this.written = List.copyOf(all);
  }

  /** Every topic this process writes: its answers' and, if it consumes, the dead-letter topic. */
  public List<String> topicsWritten() {
    return written;
  }

  /**
   * Creates the producer and fetches the topic's metadata off the event loop at start: a producer's
   * first send otherwise blocks its caller (an event-loop thread) while it fetches metadata. Every
   * mode publishes to Kafka (Kafka-direct answers, events a function emits on its own, the extra
   * events of an answer on Knative), so every mode warms up.
   */
  void prepare(@Observes StartupEvent start) {
    CompletableFuture.runAsync(
            () -> {
              for (String topic : outputs) {
                producer().partitionsFor(topic);
              }
            })
        .exceptionally(
            f -> {
              LOG.warnf("Kafka metadata for %s not fetched at start: %s", outputs, f.toString());
              return null;
            });
  }

  /** Where {@code event} goes: its type's topic (Kafka-direct) or the Broker's (Knative). */
  public String topicFor(CloudEvent event) {
    return direct ? Topology.topicOf(event.type()) : Topology.BROKER_TOPIC;
  }

  /** Writes a record that could not be handled to the dead-letter topic, headers added. */
  public Uni<Void> deadLetter(
      KafkaRecord<String, byte[]> record, List<Map.Entry<String, byte[]>> extra) {
    RecordHeaders headers = new RecordHeaders();
    for (Header h : record.getHeaders()) {
      headers.add(h);
    }
    extra.forEach(e -> headers.add(e.getKey(), e.getValue()));
    ProducerRecord<String, byte[]> out =
        new ProducerRecord<>(
            Topics.DEAD_LETTER, null, record.getKey(), record.getPayload(), headers);
    return Uni.createFrom().completionStage(send(out, "dead letter not written"));
  }

  /**
   * Completes once every event is acknowledged by the broker. Each record carries, beside the
   * event's own attributes ({@code ce_} headers, {@code ce_traceparent} among them), the W3C {@code
   * traceparent} header of its send span: a child of the current span (the handling that answered),
   * or, where nothing is being traced (the outbox relay), of the event's own trace context.
   */
  public Uni<Void> publish(Answer answer) {
    if (answer.events().isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    List<CompletableFuture<Void>> sent = new ArrayList<>();
    io.opentelemetry.context.Context current = io.opentelemetry.context.Context.current();
    for (CloudEvent event : answer.events()) {
      RecordHeaders headers = new RecordHeaders();
      CloudEventCodec.writeHeaders(
          Transport.KAFKA, event, (k, v) -> headers.add(k, v.getBytes(StandardCharsets.UTF_8)));
      String topic = topicFor(event);
      io.opentelemetry.context.Context parent =
          Tracing.carriesTrace(current) ? current : Tracing.ofEvent(event);
      io.opentelemetry.api.trace.Span span;
      try (var scope = parent.makeCurrent()) {
        span = tracing.startSending(event, topic);
      }
      Tracing.inject(
          parent.with(span), (k, v) -> headers.add(k, v.getBytes(StandardCharsets.UTF_8)));
      ProducerRecord<String, byte[]> record =
          new ProducerRecord<>(topic, null, event.partitionKey(), event.data(), headers);
      CompletableFuture<Void> done = send(record, "answer not written to " + topic);
      done.whenComplete((x, failure) -> Tracing.end(span, null, failure));
      sent.add(done);
    }
    return Uni.createFrom()
        .completionStage(CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)));
  }

  private CompletableFuture<Void> send(ProducerRecord<String, byte[]> record, String failure) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    try {
      producer()
          .send(
              record,
              (metadata, error) -> {
                if (error == null) {
                  done.complete(null);
                } else {
                  done.completeExceptionally(FunctionException.retryable(failure, error));
                }
              });
    } catch (RuntimeException e) {
      // send() throws when metadata cannot be had in max.block.ms, or the producer is closed.
      done.completeExceptionally(FunctionException.retryable(failure, e));
    }
    return done;
  }

  /**
   * A producer's settings from the {@code kafka.*} properties (bootstrap servers, and on a cluster
   * the security settings) that are producer settings: every write acknowledged by all in-sync
   * replicas, idempotent, String keys and byte values, and a send that fails (retryable) after 5 s
   * of blocking rather than holding an event-loop thread for the default minute.
   */
  public static Properties durableProducerConfig(Map<String, Object> kafkaConfig) {
    Properties props = new Properties();
    kafkaConfig.forEach(
        (k, v) -> {
          if (ProducerConfig.configNames().contains(k)) {
            props.put(k, v);
          }
        });
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return props;
  }

  private KafkaProducer<String, byte[]> producer() {
    KafkaProducer<String, byte[]> p = producer;
    if (p == null) {
      synchronized (this) {
        if (producer == null) {
          Properties props = durableProducerConfig(kafkaConfig);
          props.put(ProducerConfig.LINGER_MS_CONFIG, "1");
          props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
          producer = new KafkaProducer<>(props);
        }
        p = producer;
      }
    }
    return p;
  }

  @PreDestroy
  void close() {
    if (producer != null) {
      producer.close();
    }
  }
}
