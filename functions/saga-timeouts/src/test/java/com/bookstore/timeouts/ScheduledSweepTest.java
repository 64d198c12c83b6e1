package com.bookstore.timeouts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.bookstore.events.EventTypes;
import com.bookstore.kit.testing.KafkaTestClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Local runs: the schedule sweeps on its own, nobody calls /sweep. */
@QuarkusTest
@TestProfile(ScheduledSweepTest.ScheduleOn.class)
class ScheduledSweepTest {

  public static class ScheduleOn implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("saga-timeouts.every", "1s");
    }
  }

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  private final String saga = "saga-scheduled-" + UUID.randomUUID();

  @BeforeAll
  static void ownersTables() {
    OwnerTables.migrate();
  }

  @AfterEach
  void removeOurRows() throws SQLException {
    OwnerTables.delete(List.of(saga));
  }

  @Test
  void theScheduleSweepsEverySecondWithoutBeingAsked() throws Exception {
    Instant deadline = SweepTest.longAgo();
    try (KafkaTestClient kafka = new KafkaTestClient(bootstrap);
        KafkaTestClient.Tail tail = kafka.tailEvents()) {
      OwnerTables.insertSaga(saga, "RUNNING", deadline);
      // Two sweeps a second apart find it: the same event id twice.
      List<ConsumerRecord<String, byte[]>> found =
          tail.await(SweepTest.about(Set.of(saga)), 2, java.time.Duration.ofSeconds(20));
      assertEquals(2, found.size(), "sweeps that found " + saga);
      String expected = TimeoutEvents.eventId(EventTypes.SAGA_DEADLINE_PASSED, saga, deadline);
      for (ConsumerRecord<String, byte[]> r : found) {
        assertEquals(expected, KafkaTestClient.header(r, "ce_id"));
      }
    }
  }
}
