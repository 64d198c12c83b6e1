package com.bookstore.e2e;

import com.bookstore.events.EventJson;
import com.bookstore.events.EventTypes;
import com.bookstore.events.Topology;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a workflow topic from "now" on (every partition positioned at its end before {@link #start}
 * returns) and records, per order, every event about it ({@link OrderTrace}): the order id is the
 * record key (the {@code partitionkey}), or the {@code orderId} in the data of {@code
 * notification.sent}. It can also keep raw copies of the records it reads, to redeliver them.
 *
 * <p>Not a consumer group: it assigns itself every partition, so it never disturbs the functions'
 * groups and sees every record, other runs' and other tests' included (they are keyed by their own
 * ids, so they only add traces nobody asks for).
 */
public final class TopicWatcher implements AutoCloseable {

  /**
   * A record as read, enough to produce an exact copy (a redelivery).
   *
   * @param type {@code ce_type} (null when the record is not a binary-mode CloudEvent)
   * @param id {@code ce_id}
   */
  public record RawRecord(
      String topic,
      int partition,
      long offset,
      long timestamp,
      String key,
      byte[] value,
      List<Header> headers,
      String type,
      String id) {}

  private final KafkaConsumer<String, byte[]> consumer;
  private final Map<String, OrderTrace> traces = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> byType = new ConcurrentHashMap<>();
  private final AtomicLong total = new AtomicLong();
  private final Predicate<RawRecord> retain;
  private final int retainAtMost;
  private final List<RawRecord> retained = new ArrayList<>();
  private final Thread thread;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean running = true;
  private volatile Throwable failure;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();

  /** Told of every record of its types as it is read, on the watcher's thread: keep it short. */
  private final Map<String, String> traceparents = new java.util.concurrent.ConcurrentHashMap<>();

  private record Listener(Set<String> types, BiConsumer<String, JsonNode> onRecord) {}

  private TopicWatcher(
      String bootstrap, List<String> topics, Predicate<RawRecord> retain, int retainAtMost) {
    this.retain = retain;
    this.retainAtMost = retainAtMost;
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "bookstore-e2e-watcher");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
    consumer = new KafkaConsumer<>(p);
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : topics) {
      consumer.partitionsFor(topic, Duration.ofSeconds(15)).stream()
          .map(i -> new TopicPartition(topic, i.partition()))
          .forEach(partitions::add);
    }
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    // seekToEnd is lazy: resolve the positions now, so nothing written after start() is missed.
    for (TopicPartition tp : partitions) {
      consumer.position(tp, Duration.ofSeconds(15));
    }
    thread = new Thread(this::loop, "topic-watcher");
    thread.setDaemon(true);
  }

  /** Every event type's topic: all that the functions write. */
  public static List<String> eventTopics() {
    return Topology.topics().stream()
        .filter(t -> t.kind() == Topology.TopicKind.TYPE)
        .map(Topology.Topic::name)
        .toList();
  }

  /** Watches every event type's topic from its current end; keeps no raw records. */
  public static TopicWatcher start(String bootstrap) {
    return start(bootstrap, r -> false, 0);
  }

  /**
   * Watches {@code topic} from its current end, keeping raw copies of the records that {@code
   * retain} accepts, at most {@code retainAtMost} (later ones are not kept).
   */
  public static TopicWatcher start(
      String bootstrap, Predicate<RawRecord> retain, int retainAtMost) {
    TopicWatcher w = new TopicWatcher(bootstrap, eventTopics(), retain, retainAtMost);
    w.thread.start();
    return w;
  }

  private void loop() {
    try {
      while (running) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          record(r, System.currentTimeMillis());
        }
      }
    } catch (WakeupException closing) {
      // close() woke the poll
    } catch (RuntimeException e) {
      failure = e;
    } finally {
      consumer.close(Duration.ofSeconds(2));
      stopped.countDown();
    }
  }

  private void record(ConsumerRecord<String, byte[]> r, long seenAt) {
    total.incrementAndGet();
    String type = header(r, "ce_type");
    String id = header(r, "ce_id");
    if (type == null) {
      return;
    }
    byType.computeIfAbsent(type, t -> new AtomicLong()).incrementAndGet();
    String orderId = r.key() != null ? r.key() : header(r, "ce_subject");
    String reason = null;
    if (EventTypes.NOTIFICATION_SENT.equals(type) || EventTypes.ORDER_CANCELLED.equals(type)) {
      JsonNode data = data(r.value());
      if (EventTypes.NOTIFICATION_SENT.equals(type) && data.hasNonNull("orderId")) {
        orderId = data.get("orderId").asText();
      }
      reason = data.path("reason").asText(null);
    }
    if (orderId != null) {
      traces.computeIfAbsent(orderId, OrderTrace::new).add(type, id, r.timestamp(), seenAt, reason);
      String traceparent = header(r, "ce_traceparent");
      if (traceparent != null) {
        traceparents.putIfAbsent(orderId, traceparent);
      }
    }
    for (Listener l : listeners) {
      if (l.types().contains(type)) {
        l.onRecord().accept(orderId, data(r.value()));
      }
    }
    if (retainAtMost > 0) {
      RawRecord raw =
          new RawRecord(
              r.topic(),
              r.partition(),
              r.offset(),
              r.timestamp(),
              r.key(),
              r.value(),
              List.of(r.headers().toArray()),
              type,
              id);
      synchronized (retained) {
        if (retained.size() < retainAtMost && retain.test(raw)) {
          retained.add(raw);
        }
      }
    }
  }

  private static JsonNode data(byte[] value) {
    try {
      return EventJson.mapper().readTree(value);
    } catch (Exception e) {
      return EventJson.mapper().createObjectNode();
    }
  }

  private static String header(ConsumerRecord<String, byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  /**
   * Calls {@code onRecord} with the key (the order id) and the data of every record of these types
   * read from now on, redelivered copies included, on the watcher's thread (hand long work off).
   */
  public void onRecord(Set<String> types, BiConsumer<String, JsonNode> onRecord) {
    listeners.add(new Listener(Set.copyOf(types), onRecord));
  }

  /**
   * The W3C trace context the order's events carry in their {@code traceparent} attribute (where
   * its trace started), if one of them was read yet.
   */
  public Optional<String> traceparent(String orderId) {
    return Optional.ofNullable(traceparents.get(orderId));
  }

  /** The order's trace; an empty one if the topic said nothing about it yet. */
  public OrderTrace trace(String orderId) {
    return traces.getOrDefault(orderId, new OrderTrace(orderId));
  }

  /** Records of that type read so far (redeliveries included, every order and run). */
  public long count(String type) {
    AtomicLong n = byType.get(type);
    return n == null ? 0 : n.get();
  }

  /** Records read so far. */
  public long total() {
    return total.get();
  }

  /** A copy of the raw records kept so far. */
  public List<RawRecord> retained() {
    synchronized (retained) {
      return List.copyOf(retained);
    }
  }

  /** How many of these orders have no final event yet. */
  public int pending(Collection<String> orderIds) {
    checkAlive();
    int n = 0;
    for (String id : orderIds) {
      if (trace(id).finalEvent().isEmpty()) {
        n++;
      }
    }
    return n;
  }

  /** Waits until every one of these orders has a final event; false if the timeout came first. */
  public boolean awaitFinal(Collection<String> orderIds, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (pending(orderIds) > 0) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      ConsumerGroups.pause(Duration.ofMillis(100));
    }
    return true;
  }

  /** Waits until {@code condition} holds; false if the timeout came first. */
  public boolean await(java.util.function.BooleanSupplier condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      checkAlive();
      if (System.nanoTime() > deadline) {
        return false;
      }
      ConsumerGroups.pause(Duration.ofMillis(100));
    }
    return true;
  }

  private void checkAlive() {
    if (failure != null) {
      throw new IllegalStateException("the topic watcher stopped: " + failure, failure);
    }
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      stopped.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
