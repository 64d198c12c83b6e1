package com.bookstore.saga.step;

import com.bookstore.events.Topics;
import com.bookstore.kit.EventPublisher;
import com.bookstore.kit.FunctionException;
import com.bookstore.kit.KafkaDirect;
import com.bookstore.kit.Problem;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.common.annotation.Identifier;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * The operators' view of {@code bookstore-dead-letter}: its latest records with why they were
 * dead-lettered, and a redrive that writes one back to its original topic as it first came (key,
 * value and headers, without the {@code dead-letter-*} ones). The CloudEvent keeps its {@code
 * ce_id}, so the idempotency ledger and the owners' unique keys still recognise it. Each letter is
 * redriven at most once ({@code saga.redriven_letter}): a second redrive is a 409.
 *
 * <p>Blocking (Kafka's clients): called from worker threads only.
 */
@ApplicationScoped
public class DeadLetters {
  private static final Logger LOG = Logger.getLogger(DeadLetters.class);
  private static final String PROBLEMS = "https://bookstore.example.com/problems/";
  private static final Duration READ_FOR = Duration.ofSeconds(5);

  private final Map<String, Object> kafkaConfig;
  private final Pool pool;
  private volatile KafkaProducer<String, byte[]> producer;

  DeadLetters(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, Pool pool) {
    this.kafkaConfig = kafkaConfig;
    this.pool = pool;
  }

  /** One dead letter as the console shows it. */
  @RegisterForReflection
  public record Letter(
      int partition,
      long offset,
      Instant deadLetteredAt,
      String key,
      String reason,
      String cause,
      String problem,
      String function,
      String topic,
      String originalPartition,
      String originalOffset,
      String ceType,
      String ceId,
      String ceSource,
      Redriven redriven) {}

  @RegisterForReflection
  public record Redriven(String topic, String ceId, Instant at) {}

  /** The latest {@code limit} dead letters, newest first. */
  public List<Letter> latest(int limit) {
    List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = consumer()) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(Topics.DEAD_LETTER, READ_FOR).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, READ_FOR);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, READ_FOR);
      Set<TopicPartition> left = new HashSet<>();
      for (TopicPartition tp : partitions) {
        long from = Math.max(begin.get(tp), end.get(tp) - limit);
        if (from < end.get(tp)) {
          consumer.seek(tp, from);
          left.add(tp);
        }
      }
      consumer.pause(partitions.stream().filter(tp -> !left.contains(tp)).toList());
      long until = System.nanoTime() + READ_FOR.toNanos();
      while (!left.isEmpty() && System.nanoTime() < until) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          TopicPartition tp = new TopicPartition(r.topic(), r.partition());
          if (r.offset() < end.get(tp)) {
            found.add(r);
          }
        }
        left.removeIf(tp -> consumer.position(tp) >= end.get(tp));
        consumer.pause(partitions.stream().filter(tp -> !left.contains(tp)).toList());
      }
    } catch (org.apache.kafka.common.KafkaException e) {
      throw FunctionException.retryable("the dead letters cannot be read from Kafka", e);
    }
    found.sort(
        Comparator.comparingLong((ConsumerRecord<String, byte[]> r) -> r.timestamp())
            .thenComparingLong(ConsumerRecord::offset)
            .reversed());
    List<ConsumerRecord<String, byte[]>> newest = found.subList(0, Math.min(limit, found.size()));
    Map<String, Redriven> redriven = redriven(newest);
    return newest.stream()
        .map(r -> letter(r, redriven.get(r.partition() + "@" + r.offset())))
        .toList();
  }

  /**
   * Writes dead letter {@code partition@offset} back to its original topic.
   *
   * @return the letter, with where it went
   */
  public Letter redrive(int partition, long offset) {
    ConsumerRecord<String, byte[]> record = read(partition, offset);
    String topic = header(record, KafkaDirect.DLQ_TOPIC);
    if (topic == null || topic.isBlank()) {
      throw FunctionException.badEvent(
          new Problem(
              PROBLEMS + "dead-letter-not-redrivable",
              "Dead letter cannot be redriven",
              422,
              "dead letter " + partition + "@" + offset + " names no original topic",
              List.of(
                  new Problem.FieldError("header", KafkaDirect.DLQ_TOPIC, "is missing or empty"))));
    }
    String ceId = header(record, "ce_id");
    int claimed =
        pool.preparedQuery(
                "insert into saga.redriven_letter (dead_letter_partition, dead_letter_offset,"
                    + " topic, ce_id) values ($1, $2, $3, $4) on conflict do nothing")
            .execute(Tuple.of(partition, offset, topic, ceId))
            .await()
            .atMost(READ_FOR)
            .rowCount();
    if (claimed == 0) {
      throw FunctionException.badEvent(
          new Problem(
              PROBLEMS + "dead-letter-already-redriven",
              "Dead letter already redriven",
              409,
              "dead letter " + partition + "@" + offset + " was redriven to " + topic + " already",
              null));
    }
    RecordHeaders headers = new RecordHeaders();
    for (Header h : record.headers()) {
      if (!h.key().startsWith("dead-letter-")) {
        headers.add(h);
      }
    }
    try {
      producer()
          .send(new ProducerRecord<>(topic, null, record.key(), record.value(), headers))
          .get(READ_FOR.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      // Not sent: the letter may be redriven again.
      pool.preparedQuery(
              "delete from saga.redriven_letter where dead_letter_partition = $1 and"
                  + " dead_letter_offset = $2")
          .execute(Tuple.of(partition, offset))
          .await()
          .atMost(READ_FOR);
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw FunctionException.retryable("dead letter not written back to " + topic, e);
    }
    LOG.infof(
        "dead letter %d@%d redriven by an operator to %s (ce_id %s)",
        partition, offset, topic, ceId);
    return letter(record, new Redriven(topic, ceId, Instant.now()));
  }

  private ConsumerRecord<String, byte[]> read(int partition, long offset) {
    try (KafkaConsumer<String, byte[]> consumer = consumer()) {
      TopicPartition tp = new TopicPartition(Topics.DEAD_LETTER, partition);
      int partitions = consumer.partitionsFor(Topics.DEAD_LETTER, READ_FOR).size();
      if (partition < 0 || partition >= partitions) {
        throw notFound(partition, offset, "the topic has partitions 0 to " + (partitions - 1));
      }
      consumer.assign(List.of(tp));
      long begin = consumer.beginningOffsets(List.of(tp), READ_FOR).get(tp);
      long end = consumer.endOffsets(List.of(tp), READ_FOR).get(tp);
      if (offset < begin || offset >= end) {
        throw notFound(
            partition,
            offset,
            "partition " + partition + " holds offsets " + begin + " to " + (end - 1));
      }
      consumer.seek(tp, offset);
      long until = System.nanoTime() + READ_FOR.toNanos();
      while (System.nanoTime() < until) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.offset() == offset) {
            return r;
          }
          if (r.offset() > offset) {
            throw notFound(partition, offset, "no record at that offset (compacted or a marker)");
          }
        }
      }
      throw FunctionException.retryable(
          "dead letter " + partition + "@" + offset + " not read in " + READ_FOR, null);
    } catch (org.apache.kafka.common.KafkaException e) {
      throw FunctionException.retryable("the dead letters cannot be read from Kafka", e);
    }
  }

  private static FunctionException notFound(int partition, long offset, String why) {
    return FunctionException.badEvent(
        new Problem(
            PROBLEMS + "dead-letter-not-found",
            "Dead letter not found",
            404,
            "no dead letter " + partition + "@" + offset + ": " + why,
            null));
  }

  private Map<String, Redriven> redriven(List<ConsumerRecord<String, byte[]>> records) {
    Map<String, Redriven> out = new LinkedHashMap<>();
    if (records.isEmpty()) {
      return out;
    }
    Integer[] partitions = records.stream().map(ConsumerRecord::partition).toArray(Integer[]::new);
    Long[] offsets = records.stream().map(ConsumerRecord::offset).toArray(Long[]::new);
    for (Row row :
        pool.preparedQuery(
                "select r.* from saga.redriven_letter r join unnest($1::int[], $2::bigint[])"
                    + " as u(p, o) on r.dead_letter_partition = u.p and r.dead_letter_offset = u.o")
            .execute(Tuple.of(partitions, offsets))
            .await()
            .atMost(READ_FOR)) {
      out.put(
          row.getInteger("dead_letter_partition") + "@" + row.getLong("dead_letter_offset"),
          new Redriven(
              row.getString("topic"),
              row.getString("ce_id"),
              row.getOffsetDateTime("redriven_at").toInstant()));
    }
    return out;
  }

  private static Letter letter(ConsumerRecord<String, byte[]> r, Redriven redriven) {
    return new Letter(
        r.partition(),
        r.offset(),
        Instant.ofEpochMilli(r.timestamp()),
        r.key(),
        header(r, KafkaDirect.DLQ_REASON),
        header(r, KafkaDirect.DLQ_CAUSE),
        header(r, KafkaDirect.DLQ_PROBLEM),
        header(r, KafkaDirect.DLQ_FUNCTION),
        header(r, KafkaDirect.DLQ_TOPIC),
        header(r, KafkaDirect.DLQ_PARTITION),
        header(r, KafkaDirect.DLQ_OFFSET),
        header(r, "ce_type"),
        header(r, "ce_id"),
        header(r, "ce_source"),
        redriven);
  }

  private static String header(ConsumerRecord<String, byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private KafkaConsumer<String, byte[]> consumer() {
    Properties props = new Properties();
    kafkaConfig.forEach(
        (k, v) -> {
          if (ConsumerConfig.configNames().contains(k)) {
            props.put(k, v);
          }
        });
    // No group: partitions are assigned, nothing is committed.
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "saga-step-console-" + UUID.randomUUID());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return new KafkaConsumer<>(props);
  }

  private KafkaProducer<String, byte[]> producer() {
    KafkaProducer<String, byte[]> p = producer;
    if (p == null) {
      synchronized (this) {
        if (producer == null) {
          producer = new KafkaProducer<>(EventPublisher.durableProducerConfig(kafkaConfig));
        }
        p = producer;
      }
    }
    return p;
  }

  @PreDestroy
  void close() {
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
    }
  }
}
