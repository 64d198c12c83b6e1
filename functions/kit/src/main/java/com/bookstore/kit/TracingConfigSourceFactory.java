package com.bookstore.kit;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Traces are exported only where a collector is configured: without {@code
 * quarkus.otel.exporter.otlp.endpoint} or {@code quarkus.otel.exporter.otlp.traces.endpoint} (or
 * their environment variables), the OpenTelemetry SDK is disabled, so nothing is recorded, no
 * exporter retries against a missing {@code localhost:4317}, and the logs stay quiet. Setting
 * {@code quarkus.otel.sdk.disabled} explicitly still wins (ordinal 150, below
 * application.properties and the environment).
 */
public class TracingConfigSourceFactory implements ConfigSourceFactory {
  static final String DISABLED = "quarkus.otel.sdk.disabled";
  static final List<String> ENDPOINTS =
      List.of("quarkus.otel.exporter.otlp.endpoint", "quarkus.otel.exporter.otlp.traces.endpoint");

  @Override
  public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
    // Always says one way or the other: Quarkus keeps the build's value of a runtime property as
    // that property's default, so the runtime must answer for itself whichever way the build did.
    return List.of(
        new PropertiesConfigSource(
            Map.of(DISABLED, Boolean.toString(!endpointSet(context))), "bookstore-tracing", 150));
  }

  static boolean endpointSet(ConfigSourceContext context) {
    for (String name : ENDPOINTS) {
      ConfigValue value = context.getValue(name);
      // The context does not always carry the environment's sources: look there too.
      String env = System.getenv(name.toUpperCase(java.util.Locale.ROOT).replace('.', '_'));
      // Quarkus' own default (localhost:4317) is visible here too, at the lowest ordinals: only a
      // configured value (a properties file, the environment, a system property) counts.
      if ((value != null
              && value.getValue() != null
              && !value.getValue().isBlank()
              && value.getConfigSourceOrdinal() >= 100)
          || (env != null && !env.isBlank())) {
        return true;
      }
    }
    return false;
  }

  @Override
  public OptionalInt getPriority() {
    return OptionalInt.of(150);
  }
}
