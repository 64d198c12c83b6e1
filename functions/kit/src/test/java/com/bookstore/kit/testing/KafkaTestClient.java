package com.bookstore.kit.testing;

import com.bookstore.events.EventJson;
import com.bookstore.events.Topology;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Produces raw records and waits for matching ones on the real broker. For tests only. */
public final class KafkaTestClient implements AutoCloseable {
  private final String bootstrap;
  private final KafkaProducer<String, byte[]> producer;

  public KafkaTestClient(String bootstrap) {
    this.bootstrap = bootstrap;
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    this.producer = new KafkaProducer<>(p);
  }

  /** Sends one record with the given headers and waits for the broker's acknowledgement. */
  public void send(String topic, String key, Map<String, String> headers, String value) {
    RecordHeaders h = new RecordHeaders();
    headers.forEach((k, v) -> h.add(k, v.getBytes(StandardCharsets.UTF_8)));
    byte[] bytes = value == null ? null : value.getBytes(StandardCharsets.UTF_8);
    try {
      producer.send(new ProducerRecord<>(topic, null, key, bytes, h)).get();
    } catch (Exception e) {
      throw new IllegalStateException("send to " + topic + " failed", e);
    }
  }

  /**
   * Sends a CloudEvent record to its type's topic ({@link Topology#topicOf}), as a producer that
   * follows the topology does: the type is the {@code ce_type} header (binary mode) or the {@code
   * type} attribute of the body (structured mode).
   */
  public void sendEvent(String key, Map<String, String> headers, String value) {
    send(topicOfEvent(headers, value), key, headers, value);
  }

  static String topicOfEvent(Map<String, String> headers, String value) {
    String type = headers.get("ce_type");
    if (type == null && value != null) {
      try {
        type = EventJson.mapper().readTree(value).path("type").asText(null);
      } catch (IOException e) {
        throw new IllegalArgumentException("no ce_type header and the body is not JSON", e);
      }
    }
    if (type == null) {
      throw new IllegalArgumentException("no ce_type header and no type attribute in the body");
    }
    return Topology.topicOf(type);
  }

  /** A consumer positioned at the current end of the topics: it sees only what comes next. */
  public Tail tail(String... topics) {
    return new Tail(bootstrap, List.of(topics));
  }

  /** A tail of every event type's topic: all the events the functions write. */
  public Tail tailEvents() {
    return new Tail(
        bootstrap,
        Topology.topics().stream()
            .filter(t -> t.kind() == Topology.TopicKind.TYPE)
            .map(Topology.Topic::name)
            .toList());
  }

  @Override
  public void close() {
    producer.close();
  }

  public static String header(ConsumerRecord<String, byte[]> record, String name) {
    Header h = record.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  public static String value(ConsumerRecord<String, byte[]> record) {
    return record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8);
  }

  /** Reads a topic from where it ended when the tail was made. */
  public static final class Tail implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private final List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();

    Tail(String bootstrap, List<String> topics) {
      Properties p = new Properties();
      p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-tail-" + UUID.randomUUID());
      p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
      p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
      p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
      consumer = new KafkaConsumer<>(p);
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : topics) {
        consumer.partitionsFor(topic).stream()
            .map(i -> new TopicPartition(topic, i.partition()))
            .forEach(partitions::add);
      }
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      partitions.forEach(consumer::position);
    }

    /** Waits up to {@code timeout} for {@code count} records that match, and returns them. */
    public List<ConsumerRecord<String, byte[]>> await(
        Predicate<ConsumerRecord<String, byte[]>> match, int count, Duration timeout) {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        List<ConsumerRecord<String, byte[]>> found = seen.stream().filter(match).toList();
        if (found.size() >= count || System.nanoTime() > deadline) {
          return found;
        }
        consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
      }
    }

    /** Everything that matches within {@code window}: for asserting that nothing else arrives. */
    public List<ConsumerRecord<String, byte[]>> collect(
        Predicate<ConsumerRecord<String, byte[]>> match, Duration window) {
      return await(match, Integer.MAX_VALUE, window);
    }

    @Override
    public void close() {
      consumer.close();
    }
  }
}
