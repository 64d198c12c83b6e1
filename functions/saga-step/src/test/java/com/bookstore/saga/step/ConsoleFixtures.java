package com.bookstore.saga.step;

import static com.bookstore.kit.testing.KafkaTestClient.header;
import static com.bookstore.saga.step.OrderSagaEvents.kafkaHeaders;

import com.bookstore.events.EventTypes;
import com.bookstore.events.Topics;
import com.bookstore.events.Topology;
import com.bookstore.kit.saga.SagaState;
import com.bookstore.kit.saga.SagaStatus;
import com.bookstore.kit.saga.StepState;
import com.bookstore.kit.saga.StepStatus;
import com.bookstore.kit.testing.KafkaTestClient;
import com.bookstore.saga.store.SagaStore;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Real state for the console's tests: a stuck saga, a dead letter written by saga-step itself. */
final class ConsoleFixtures {
  private ConsoleFixtures() {}

  static final Duration WAIT = Duration.ofSeconds(30);

  /** saga-step keeps this type's topic (the only function that takes it), so it dead-letters it. */
  static final String DEAD_LETTER_TYPE = EventTypes.SAGA_DEADLINE_PASSED;

  static final String DEAD_LETTER_TOPIC = Topology.topicOf(DEAD_LETTER_TYPE);

  /** A saga whose commit went unanswered five times, as saga-step would have left it. */
  static String stuckAtCommit(SagaStore store) {
    String id = OrderSagaEvents.newOrderId();
    SagaState state =
        new SagaState(
            id,
            "order",
            SagaStatus.STUCK,
            2,
            null,
            8,
            List.of(
                new StepState("reserve-stock", StepStatus.SUCCEEDED, 1, 0),
                new StepState("authorize-payment", StepStatus.SUCCEEDED, 1, 0),
                new StepState("commit-stock", StepStatus.STARTED, 5, 0),
                new StepState("capture-payment", StepStatus.PENDING, 0, 0)),
            null,
            Set.of());
    store
        .insert(
            state, OrderSagaEvents.order(id), null, Instant.now().truncatedTo(ChronoUnit.MICROS))
        .await()
        .atMost(WAIT);
    return id;
  }

  /**
   * A {@code saga.deadline-passed} whose data breaks its schema, sent onto its topic: saga-step
   * dead-letters it. Returns the dead letter as it is on {@code bookstore-dead-letter}.
   */
  static ConsumerRecord<String, byte[]> deadLetter(KafkaTestClient kafka, String key) {
    String ceId = "bad-" + UUID.randomUUID();
    try (KafkaTestClient.Tail letters = kafka.tail(Topics.DEAD_LETTER)) {
      kafka.sendEvent(key, kafkaHeaders(DEAD_LETTER_TYPE, ceId), "{\"sagaId\":\"" + key + "\"}");
      List<ConsumerRecord<String, byte[]>> found =
          letters.await(r -> ceId.equals(header(r, "ce_id")), 1, WAIT);
      if (found.isEmpty()) {
        throw new AssertionError("saga-step did not dead-letter " + ceId + " within " + WAIT);
      }
      return found.get(0);
    }
  }
}
