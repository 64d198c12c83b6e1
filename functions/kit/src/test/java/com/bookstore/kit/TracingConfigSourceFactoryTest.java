package com.bookstore.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TracingConfigSourceFactoryTest {

  private static String disabled(Map<String, String> configured, int ordinal) {
    SmallRyeConfig config =
        new SmallRyeConfigBuilder()
            // Quarkus' own default endpoint, at a defaults ordinal: it must not turn tracing on
            .withDefaultValue("quarkus.otel.exporter.otlp.endpoint", "http://localhost:4317/")
            .withSources(new PropertiesConfigSource(configured, "test", ordinal))
            .withSources(new TracingConfigSourceFactory())
            .build();
    return config.getRawValue(TracingConfigSourceFactory.DISABLED);
  }

  @Test
  void withoutAConfiguredEndpointTheSdkIsOff() {
    assertEquals("true", disabled(Map.of(), 250));
  }

  @Test
  void aConfiguredEndpointTurnsItOn() {
    assertEquals(
        "false",
        disabled(
            Map.of("quarkus.otel.exporter.otlp.traces.endpoint", "http://127.0.0.1:4318"), 250));
    assertEquals(
        "false",
        disabled(Map.of("quarkus.otel.exporter.otlp.endpoint", "http://collector:4317"), 400));
  }

  @Test
  void anExplicitSettingStillWins() {
    assertEquals("false", disabled(Map.of("quarkus.otel.sdk.disabled", "false"), 250));
    assertEquals(
        "true",
        disabled(
            Map.of(
                "quarkus.otel.exporter.otlp.endpoint",
                "http://collector:4317",
                "quarkus.otel.sdk.disabled",
                "true"),
            250));
  }
}
