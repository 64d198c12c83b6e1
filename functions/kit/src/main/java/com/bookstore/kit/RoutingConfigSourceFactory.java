package com.bookstore.kit;

import com.bookstore.events.Route;
import com.bookstore.events.Routing;
import com.bookstore.events.Topics;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Derives the Kafka-direct channel settings from the routing table, so the topic a function
 * consumes is declared in one place: topic, consumer group {@code <function>-<environment>}, and
 * the dead-letter topic. Ordinal 200: application.properties (250) and the environment still win.
 */
public class RoutingConfigSourceFactory implements ConfigSourceFactory {

  private static final String CHANNEL = "mp.messaging.incoming." + KafkaDirect.CHANNEL + ".";

  @Override
  public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
    ConfigValue name = context.getValue("bookstore.function.name");
    if (name == null || name.getValue() == null) {
      return List.of();
    }
    Route route = Routing.of(name.getValue());
    ConfigValue env = context.getValue("bookstore.environment");
    String environment = env == null || env.getValue() == null ? "local" : env.getValue();
    String group = route.function() + "-" + environment;
    return List.of(
        new PropertiesConfigSource(
            Map.of(
                CHANNEL + "topic",
                route.topic(),
                CHANNEL + "group.id",
                group,
                CHANNEL + "client.id",
                group,
                CHANNEL + "dead-letter-queue.topic",
                Topics.DEAD_LETTER),
            "bookstore-routing",
            200));
  }

  @Override
  public OptionalInt getPriority() {
    return OptionalInt.of(200);
  }
}
