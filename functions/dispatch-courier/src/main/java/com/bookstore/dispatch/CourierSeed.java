package com.bookstore.dispatch;

import com.bookstore.events.EventJson;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The demo's couriers ({@code seed/couriers.json}: Paris, Lyon, Marseille, London, Edinburgh,
 * Berlin), added at start when {@code dispatch.seed} is true; couriers that exist are left as they
 * are, so an operator's changes survive a restart.
 */
@ApplicationScoped
public class CourierSeed {
  private static final Logger LOG = Logger.getLogger(CourierSeed.class);

  void load(@Observes StartupEvent start, DispatchConfig config, Couriers couriers) {
    if (!config.seed()) {
      return;
    }
    List<Uni<Void>> writes = new ArrayList<>();
    for (JsonNode c : read()) {
      List<String> zones = new ArrayList<>();
      c.path("zones").forEach(z -> zones.add(z.asText()));
      writes.add(
          couriers.seed(
              c.path("id").asText(), c.path("name").asText(), zones, c.path("capacity").asInt()));
    }
    Uni.join().all(writes).andFailFast().await().atMost(Duration.ofSeconds(30));
    LOG.infof("seed: %d couriers present or added", writes.size());
  }

  static JsonNode read() {
    try (InputStream in =
        CourierSeed.class.getClassLoader().getResourceAsStream("seed/couriers.json")) {
      return EventJson.mapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("seed/couriers.json unreadable", e);
    }
  }
}
