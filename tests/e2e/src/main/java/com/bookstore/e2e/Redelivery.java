package com.bookstore.e2e;

import com.bookstore.events.Route;
import com.bookstore.events.Routing;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Produces exact copies of records already on the topic (same key, value and headers, as {@code
 * kcat} would from a dump): at-least-once delivery made visible. Every function that takes such a
 * record has seen its event id before, so its idempotency ledger must answer it without a second
 * effect.
 */
public final class Redelivery {
  private Redelivery() {}

  /**
   * About {@code fraction} of the records of each type (at least one per type present), evenly
   * spaced in the order read, so the copies spread over every step of the sagas and over orders.
   */
  public static List<TopicWatcher.RawRecord> sample(
      List<TopicWatcher.RawRecord> records, double fraction) {
    if (records.isEmpty() || fraction <= 0) {
      return List.of();
    }
    Map<String, List<TopicWatcher.RawRecord>> byType = new TreeMap<>();
    for (TopicWatcher.RawRecord r : records) {
      byType.computeIfAbsent(String.valueOf(r.type()), t -> new ArrayList<>()).add(r);
    }
    List<TopicWatcher.RawRecord> out = new ArrayList<>();
    for (List<TopicWatcher.RawRecord> ofType : byType.values()) {
      int n = Math.max(1, (int) Math.round(ofType.size() * fraction));
      double step = (double) ofType.size() / n;
      for (int i = 0; i < n; i++) {
        out.add(ofType.get((int) (i * step + step / 2)));
      }
    }
    return out;
  }

  /** Functions that take this type: each one must suppress a copy of the record. */
  public static int takers(String type) {
    int n = 0;
    for (Route r : Routing.all()) {
      if (r.takes(type)) {
        n++;
      }
    }
    return n;
  }

  /** Whether any function takes the type (a copy of anything else tests nothing). */
  public static boolean taken(TopicWatcher.RawRecord r) {
    return r.type() != null && takers(r.type()) > 0;
  }

  /** Writes the copies and waits until the broker has them all. */
  public static void produce(String bootstrap, Collection<TopicWatcher.RawRecord> records) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "bookstore-e2e-redelivery");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
      List<Future<?>> sent = new ArrayList<>();
      for (TopicWatcher.RawRecord r : records) {
        // Same partition as the original, so the copy comes after it in the key's order.
        sent.add(
            producer.send(
                new ProducerRecord<>(r.topic(), r.partition(), r.key(), r.value(), r.headers())));
      }
      for (Future<?> f : sent) {
        f.get(30, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      throw new IllegalStateException("redelivery: cannot produce the copies: " + e, e);
    }
  }
}
