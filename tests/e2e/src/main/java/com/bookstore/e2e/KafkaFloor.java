package com.bookstore.e2e;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Kafka's own produce-to-consume time on this machine, the floor under every hop of a saga: a
 * producer configured as the functions' (acks=all, idempotent, linger 1 ms, lz4) sends timestamped
 * records to a scratch topic at a steady rate, a consumer in the same JVM reads them and measures
 * each one's trip with the same clock. The scratch topic is created for the measurement and deleted
 * after it, so no function ever sees these records.
 */
public final class KafkaFloor {
  private KafkaFloor() {}

  /** One-hop latencies in milliseconds. */
  public static Latencies measure(
      String bootstrap, ConsumerGroups admin, int count, double rate, int partitions) {
    String topic = "bookstore-bench-floor-" + System.currentTimeMillis();
    admin.createTopic(topic, partitions);
    ConcurrentLinkedQueue<Double> trips = new ConcurrentLinkedQueue<>();
    AtomicInteger received = new AtomicInteger();
    try (KafkaConsumer<String, byte[]> consumer = consumer(bootstrap);
        KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
      List<TopicPartition> tps = admin.partitions(topic);
      consumer.assign(tps);
      consumer.seekToBeginning(tps);
      tps.forEach(tp -> consumer.position(tp, Duration.ofSeconds(15)));
      Thread reader =
          new Thread(
              () -> {
                try {
                  while (received.get() < count) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                      long sent = ByteBuffer.wrap(r.value()).getLong();
                      trips.add((System.nanoTime() - sent) / 1e6);
                      received.incrementAndGet();
                    }
                  }
                } catch (org.apache.kafka.common.errors.InterruptException stopped) {
                  // measurement over; the records that never came are reported as missing
                }
              },
              "kafka-floor-reader");
      reader.start();
      // Warm the producer's connection and metadata first: the functions' producers are warm too.
      producer.partitionsFor(topic);
      new Pacer(rate)
          .run(
              count,
              null,
              i -> {
                byte[] value = ByteBuffer.allocate(64).putLong(System.nanoTime()).array();
                producer.send(new ProducerRecord<>(topic, "key-" + i, value));
                return true;
              });
      producer.flush();
      try {
        reader.join(Duration.ofSeconds(30).toMillis());
        if (reader.isAlive()) { // records lost? stop reading before the consumer is closed
          reader.interrupt();
          reader.join(Duration.ofSeconds(5).toMillis());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    } finally {
      admin.deleteTopic(topic);
    }
    Latencies l = new Latencies();
    trips.forEach(l::add);
    return l;
  }

  private static KafkaProducer<String, byte[]> producer(String bootstrap) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "bookstore-bench-floor");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "1");
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return new KafkaProducer<>(p);
  }

  private static KafkaConsumer<String, byte[]> consumer(String bootstrap) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "bookstore-bench-floor");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return new KafkaConsumer<>(p);
  }
}
