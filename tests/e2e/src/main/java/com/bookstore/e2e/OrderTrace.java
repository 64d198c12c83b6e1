package com.bookstore.e2e;

import com.bookstore.events.EventTypes;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the topic said about one order, as a {@link TopicWatcher} saw it: the distinct event
 * ids per type (a redelivered record has the same id, so it adds a record, not an id), the record
 * count per type, and the first final event ({@code order.confirmed} or {@code order.cancelled}).
 * Thread-safe: the watcher writes, anyone reads.
 */
public final class OrderTrace {

  /**
   * The order's first final event.
   *
   * @param type {@code order.confirmed} or {@code order.cancelled}
   * @param timestamp the record's timestamp (CreateTime: when the function wrote it), epoch ms
   * @param seenAt when the watcher read it, epoch ms
   * @param reason the cancellation reason; null when confirmed
   */
  public record Final(String type, String id, long timestamp, long seenAt, String reason) {
    public boolean confirmed() {
      return EventTypes.ORDER_CONFIRMED.equals(type);
    }
  }

  private final String orderId;
  private final Map<String, Set<String>> ids = new HashMap<>();
  private final Map<String, Integer> records = new HashMap<>();
  private final Map<String, Long> firstAt = new HashMap<>();
  private Final first;
  private long firstTimestamp = Long.MAX_VALUE;

  OrderTrace(String orderId) {
    this.orderId = orderId;
  }

  synchronized void add(String type, String id, long timestamp, long seenAt, String reason) {
    ids.computeIfAbsent(type, t -> new LinkedHashSet<>()).add(id);
    records.merge(type, 1, Integer::sum);
    firstAt.merge(type, timestamp, Math::min);
    firstTimestamp = Math.min(firstTimestamp, timestamp);
    boolean isFinal =
        EventTypes.ORDER_CONFIRMED.equals(type) || EventTypes.ORDER_CANCELLED.equals(type);
    if (isFinal && first == null) {
      first = new Final(type, id, timestamp, seenAt, reason);
    }
  }

  public String orderId() {
    return orderId;
  }

  /** The types seen so far, oldest first, for a failure's message. */
  @Override
  public synchronized String toString() {
    return firstAt.entrySet().stream()
        .sorted(Map.Entry.comparingByValue())
        .map(e -> Workload.shortType(e.getKey()))
        .collect(java.util.stream.Collectors.joining(" -> ", "[", "]"));
  }

  public synchronized Optional<Final> finalEvent() {
    return Optional.ofNullable(first);
  }

  /** Distinct event ids of that type (redeliveries not counted twice). */
  public synchronized int distinct(String type) {
    Set<String> s = ids.get(type);
    return s == null ? 0 : s.size();
  }

  /** Records of that type, redeliveries included. */
  public synchronized int records(String type) {
    return records.getOrDefault(type, 0);
  }

  /** Distinct final events: confirmed and cancelled ids together (should be 1). */
  public synchronized int distinctFinals() {
    return distinct(EventTypes.ORDER_CONFIRMED) + distinct(EventTypes.ORDER_CANCELLED);
  }

  /** The record timestamp of the first event of that type for this order, epoch ms. */
  public synchronized Optional<Long> firstAt(String type) {
    return Optional.ofNullable(firstAt.get(type));
  }

  /** The timestamp of the first record seen for this order, epoch ms. */
  public synchronized long firstTimestamp() {
    return firstTimestamp;
  }
}
