package com.bookstore.kit;

import com.bookstore.events.Routing;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Writes answers to the function's workflow topic as binary-mode CloudEvents ({@code ce_} headers,
 * {@code partitionkey} as the record key). Idempotent producer with acks=all, created on first use
 * so a function that only answers over HTTP never opens a Kafka connection.
 */
@ApplicationScoped
public class EventPublisher {
  private final String bootstrap;
  private final String topic;
  private volatile KafkaProducer<String, byte[]> producer;

  EventPublisher(
      KitConfig config, @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
    this.bootstrap = bootstrap;
    this.topic = Routing.of(config.functionName()).topic();
  }

  public String topic() {
    return topic;
  }

  /** Completes once every event is acknowledged by the broker. */
  public Uni<Void> publish(Answer answer) {
    if (answer.events().isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    KafkaProducer<String, byte[]> p = producer();
    List<CompletableFuture<Void>> sent = new ArrayList<>();
    for (CloudEvent event : answer.events()) {
      RecordHeaders headers = new RecordHeaders();
      CloudEventCodec.writeHeaders(
          Transport.KAFKA, event, (k, v) -> headers.add(k, v.getBytes(StandardCharsets.UTF_8)));
      ProducerRecord<String, byte[]> record =
          new ProducerRecord<>(topic, null, event.partitionKey(), event.data(), headers);
      CompletableFuture<Void> done = new CompletableFuture<>();
      p.send(
          record,
          (metadata, error) -> {
            if (error == null) {
              done.complete(null);
            } else {
              done.completeExceptionally(
                  FunctionException.retryable("answer not written to " + topic, error));
            }
          });
      sent.add(done);
    }
    return Uni.createFrom()
        .completionStage(CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)));
  }

  private KafkaProducer<String, byte[]> producer() {
    KafkaProducer<String, byte[]> p = producer;
    if (p == null) {
      synchronized (this) {
        if (producer == null) {
          Properties props = new Properties();
          props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
          props.put(ProducerConfig.ACKS_CONFIG, "all");
          props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
          props.put(ProducerConfig.LINGER_MS_CONFIG, "1");
          props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
          props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
          props.put(
              ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
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
