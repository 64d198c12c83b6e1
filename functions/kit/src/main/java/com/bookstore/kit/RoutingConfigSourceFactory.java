package com.bookstore.kit;

import com.bookstore.events.Topology;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Derives the Kafka-direct channel settings from the routing table, so what a function consumes is
 * declared in one place: the topics of the types it takes ({@link Topology#inputs}) and the
 * consumer group {@code <function>-<environment>}. A function that takes nothing has no channel.
 * Ordinal 200: application.properties (250) and the environment still win.
 */
public class RoutingConfigSourceFactory implements ConfigSourceFactory {

  private static final String CHANNEL = "mp.messaging.incoming." + KafkaDirect.CHANNEL + ".";

  @Override
  public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
    ConfigValue name = context.getValue("bookstore.function.name");
    if (name == null || name.getValue() == null) {
      return List.of();
    }
    List<String> inputs = Topology.inputs(name.getValue());
    ConfigValue env = context.getValue("bookstore.environment");
    String environment = env == null || env.getValue() == null ? "local" : env.getValue();
    String group = name.getValue() + "-" + environment;
    Map<String, String> values = new HashMap<>();
    if (inputs.isEmpty()) {
      values.put(CHANNEL + "enabled", "false");
    } else {
      values.put(CHANNEL + "topics", String.join(",", inputs));
    }
    values.put(CHANNEL + "group.id", group);
    values.put(CHANNEL + "client.id", group);
    return List.of(new PropertiesConfigSource(values, "bookstore-routing", 200));
  }

  @Override
  public OptionalInt getPriority() {
    return OptionalInt.of(200);
  }
}
