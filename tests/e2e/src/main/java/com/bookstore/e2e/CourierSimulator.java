package com.bookstore.e2e;

import com.bookstore.e2e.OrderPlan.Kind;
import com.bookstore.events.EventJson;
import com.bookstore.events.EventTypes;
import com.bookstore.events.Topics;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Plays the couriers' own systems for the main job, as an outside system would: it learns of a
 * delivery ready for pickup (saga-step's {@code delivery.dispatch} on the topic, then {@code GET
 * /deliveries/{id}} until dispatch-courier says READY) or given to another courier ({@code
 * delivery.reassigned}), and answers with CloudEvents on the couriers' topic, {@value
 * Topics#COURIERS}, half in binary mode ({@code ce_} headers) and half in structured mode.
 *
 * <p>What a courier does is the order's {@link Kind}: picks up after a short delay, reports a few
 * positions on the way, then delivers ({@link Kind#DELIVERED}, and {@link Kind#REASSIGNED} from its
 * second courier on); or picks up and then reports a failure ({@link Kind#DELIVERY_FAILED}); or
 * never picks up, leaving dispatch-courier's pickup limit to pass ({@link Kind#NEVER_PICKED_UP},
 * and the first courier of {@link Kind#REASSIGNED}). Each courier's events are keyed by the order,
 * so they stay in order on one partition. Each attempt is played once, however often its record is
 * read (redelivered copies included).
 */
final class CourierSimulator implements AutoCloseable {
  /** Why a courier gives up after the pickup, picked in turn. */
  static final List<String> FAILURES =
      List.of("recipient not at home", "address not found", "parcel damaged");

  /** The pickup limit the main job gives dispatch-courier: long enough for a prompt courier. */
  static final String DEMO_PICKUP_TIME_LIMIT = "PT6S";

  /** A position a courier reported last, as sent. */
  record Position(double latitude, double longitude) {}

  private final Bookstore store;
  private final TopicWatcher watcher;
  private final KafkaProducer<String, byte[]> producer;
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
  private final Random random;
  private final Map<String, Kind> kinds = new ConcurrentHashMap<>();
  private final Map<String, JsonNode> early = new ConcurrentHashMap<>();
  private final Set<String> played = ConcurrentHashMap.newKeySet();
  private final Map<String, Position> lastPosition = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> sent = new ConcurrentHashMap<>();
  private final AtomicLong binary = new AtomicLong();
  private final AtomicLong structured = new AtomicLong();
  private final AtomicLong ignored = new AtomicLong();
  private final List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());

  CourierSimulator(String bootstrap, Bookstore store, TopicWatcher watcher, long seed) {
    this.store = store;
    this.watcher = watcher;
    this.random = new Random(seed);
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "courier-simulator");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "2");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    producer = new KafkaProducer<>(p);
    watcher.onRecord(
        Set.of(EventTypes.DELIVERY_DISPATCH, EventTypes.DELIVERY_REASSIGNED),
        (orderId, data) -> {
          if (orderId != null) {
            scheduler.execute(() -> seen(orderId, data));
          }
        });
  }

  /** An order of this run, placed for delivery: what its couriers are to do. */
  void expect(String orderId, Kind kind) {
    kinds.put(orderId, kind);
    JsonNode waiting = early.remove(orderId);
    if (waiting != null) {
      scheduler.execute(() -> seen(orderId, waiting));
    }
  }

  private void seen(String orderId, JsonNode data) {
    Kind kind = kinds.get(orderId);
    if (kind == null) {
      // another run's order, or ours before place-order's answer was read: kept for expect()
      early.put(orderId, data);
      return;
    }
    if (data.hasNonNull("attempt")) { // delivery.reassigned: the new courier, already READY
      play(orderId, kind, data.path("courierId").asText(), data.path("attempt").asInt());
    } else { // delivery.dispatch: ready once dispatch-courier has handled it
      awaitReady(orderId, kind, System.nanoTime() + Duration.ofSeconds(20).toNanos());
    }
  }

  /** Asks dispatch-courier's status API until the delivery is READY, as a courier's app would. */
  private void awaitReady(String orderId, Kind kind, long deadline) {
    Http.Response r;
    try {
      r = store.delivery(orderId);
    } catch (RuntimeException e) {
      r = null;
    }
    if (r != null && r.ok() && "READY".equals(r.text("status"))) {
      play(orderId, kind, r.text("courierId"), r.json().path("attempts").asInt());
      return;
    }
    if (r != null && r.ok() && !"ASSIGNED".equals(r.text("status"))) {
      return; // picked up, reassigned or over already: the reassignment's own event says more
    }
    if (System.nanoTime() > deadline) {
      problems.add(orderId + ": never READY (" + (r == null ? "unreachable" : r.body()) + ")");
      return;
    }
    scheduler.schedule(() -> awaitReady(orderId, kind, deadline), 100, TimeUnit.MILLISECONDS);
  }

  private void play(String orderId, Kind kind, String courierId, int attempt) {
    if (!played.add(orderId + "#" + attempt)) {
      return;
    }
    boolean picksUp =
        switch (kind) {
          case DELIVERED, DELIVERY_FAILED -> true;
          case REASSIGNED -> attempt >= 2;
          default -> false;
        };
    if (!picksUp) {
      ignored.incrementAndGet();
      return;
    }
    long pickupDelay = 300 + random.nextInt(700);
    int positions = 3 + random.nextInt(3);
    boolean fails = kind == Kind.DELIVERY_FAILED;
    String reason = FAILURES.get(Math.floorMod(orderId.hashCode(), FAILURES.size()));
    double lat = 48.85 + random.nextDouble() / 10;
    double lon = 2.30 + random.nextDouble() / 10;
    scheduler.schedule(
        () -> {
          send(EventTypes.COURIER_PICKED_UP, orderId, courierId, Map.of());
          ride(orderId, courierId, lat, lon, positions, fails, reason);
        },
        pickupDelay,
        TimeUnit.MILLISECONDS);
  }

  /** One position every 200-400 ms, then delivered (or failed). */
  private void ride(
      String orderId,
      String courierId,
      double lat,
      double lon,
      int left,
      boolean fails,
      String reason) {
    long next = 200 + random.nextInt(200);
    if (left == 0) {
      scheduler.schedule(
          () -> {
            if (fails) {
              send(EventTypes.COURIER_FAILED, orderId, courierId, Map.of("reason", reason));
            } else {
              send(EventTypes.COURIER_DELIVERED, orderId, courierId, Map.of());
            }
          },
          next,
          TimeUnit.MILLISECONDS);
      return;
    }
    scheduler.schedule(
        () -> {
          double la = Math.round((lat + 0.001) * 1e6) / 1e6;
          double lo = Math.round((lon + 0.001) * 1e6) / 1e6;
          send(
              EventTypes.COURIER_LOCATION_UPDATED,
              orderId,
              courierId,
              Map.of("latitude", la, "longitude", lo));
          lastPosition.put(orderId, new Position(la, lo));
          ride(orderId, courierId, la, lo, left - 1, fails, reason);
        },
        next,
        TimeUnit.MILLISECONDS);
  }

  private void send(String type, String orderId, String courierId, Map<String, Object> extra) {
    ObjectNode data = EventJson.mapper().createObjectNode();
    data.put("orderId", orderId);
    data.put("courierId", courierId);
    data.put("at", Instant.now().toString());
    extra.forEach((k, v) -> data.set(k, EventJson.mapper().valueToTree(v)));
    String id = "courier-sim-" + UUID.randomUUID();
    String source = "/couriers/" + courierId;
    // A couriers' system that was handed the delivery with its trace context continues the trace:
    // the order's traceparent attribute goes on its events, so the order stays one trace.
    String traceparent = watcher.traceparent(orderId).orElse(null);
    ProducerRecord<String, byte[]> record;
    try {
      if (random.nextBoolean()) {
        record =
            new ProducerRecord<>(
                Topics.COURIERS, orderId, EventJson.mapper().writeValueAsBytes(data));
        header(record, "ce_specversion", "1.0");
        header(record, "ce_id", id);
        header(record, "ce_source", source);
        header(record, "ce_type", type);
        header(record, "content-type", "application/json");
        if (traceparent != null) {
          header(record, "ce_traceparent", traceparent);
        }
        binary.incrementAndGet();
      } else {
        ObjectNode envelope = EventJson.mapper().createObjectNode();
        envelope.put("specversion", "1.0");
        envelope.put("id", id);
        envelope.put("source", source);
        envelope.put("type", type);
        envelope.put("datacontenttype", "application/json");
        if (traceparent != null) {
          envelope.put("traceparent", traceparent);
        }
        envelope.set("data", data);
        record =
            new ProducerRecord<>(
                Topics.COURIERS, orderId, EventJson.mapper().writeValueAsBytes(envelope));
        header(record, "content-type", "application/cloudevents+json");
        structured.incrementAndGet();
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    producer.send(
        record,
        (meta, e) -> {
          if (e != null) {
            problems.add(orderId + ": " + Workload.shortType(type) + " not sent: " + e);
          }
        });
    sent.computeIfAbsent(Workload.shortType(type), t -> new AtomicLong()).incrementAndGet();
  }

  private static void header(ProducerRecord<String, byte[]> r, String name, String value) {
    r.headers().add(new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8)));
  }

  /** The last position this run's courier reported for the order, if any. */
  Optional<Position> lastPosition(String orderId) {
    return Optional.ofNullable(lastPosition.get(orderId));
  }

  /** The couriers' events sent, by short type. */
  Map<String, Long> sent() {
    Map<String, Long> out = new TreeMap<>();
    sent.forEach((t, n) -> out.put(t, n.get()));
    return out;
  }

  long binary() {
    return binary.get();
  }

  long structured() {
    return structured.get();
  }

  /** Assignments whose courier never picked up, on purpose. */
  long ignored() {
    return ignored.get();
  }

  /** What went wrong on the simulator's side (a record not sent, a delivery never READY). */
  List<String> problems() {
    synchronized (problems) {
      return List.copyOf(problems);
    }
  }

  /** Makes sure the seed couriers of these zones' can take deliveries (the admin API). */
  static List<String> makeAvailable(Bookstore store, Set<String> zones, String adminToken) {
    List<String> made = new ArrayList<>();
    Http.Response all = store.couriers().expect(200, "GET /couriers");
    for (JsonNode c : all.json()) {
      boolean covers = false;
      for (JsonNode z : c.path("zones")) {
        covers |= zones.contains(z.asText());
      }
      if (covers && !c.path("available").asBoolean()) {
        String id = c.path("id").asText();
        store.courierAvailability(id, true, adminToken).expect(200, "availability of " + id);
        made.add(id);
      }
    }
    return made;
  }

  /**
   * Adds {@code perZone} couriers of this run's own to each zone (capacity 50), so that the run
   * does not depend on what other runs left the seed couriers carrying; their ids.
   */
  static List<String> addCouriers(
      Bookstore store, Set<String> zones, int perZone, String runId, String adminToken) {
    List<String> added = new ArrayList<>();
    for (String zone : zones) {
      for (int i = 1; i <= perZone; i++) {
        String id = "run-" + runId + "-" + zone.toLowerCase(java.util.Locale.ROOT) + "-" + i;
        store
            .putCourier(id, "Courier " + zone + " " + i, List.of(zone), 50, adminToken)
            .expect(201, "courier " + id);
        added.add(id);
      }
    }
    return added;
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    producer.close(Duration.ofSeconds(5));
  }
}
