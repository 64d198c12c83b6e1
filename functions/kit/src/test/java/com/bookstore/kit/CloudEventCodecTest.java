package com.bookstore.kit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CloudEventCodecTest {

  private static List<Map.Entry<String, String>> headers(String... kv) {
    List<Map.Entry<String, String>> out = new ArrayList<>();
    for (int i = 0; i < kv.length; i += 2) {
      out.add(Map.entry(kv[i], kv[i + 1]));
    }
    return out;
  }

  private static final byte[] DATA = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);

  @Test
  void decodesBinaryHttpWithExtensionsAndPercentEncoding() {
    Decoded d =
        CloudEventCodec.decode(
            Transport.HTTP,
            headers(
                "ce-specversion",
                "1.0",
                "Ce-Id",
                "1",
                "ce-source",
                "/s",
                "ce-type",
                "t.v1",
                "ce-subject",
                "caf%C3%A9",
                "ce-partitionkey",
                "order-7",
                "Content-Type",
                "application/json"),
            DATA,
            null);
    assertEquals("1", d.event().id());
    assertEquals("café", d.event().subject());
    assertEquals("order-7", d.event().partitionKey());
    assertEquals("application/json", d.event().datacontenttype());
    assertArrayEquals(DATA, d.event().data());
  }

  @Test
  void kafkaRecordKeyBecomesPartitionKeyWhenTheHeaderIsAbsent() {
    Decoded d =
        CloudEventCodec.decode(
            Transport.KAFKA,
            headers("ce_specversion", "1.0", "ce_id", "1", "ce_source", "/s", "ce_type", "t.v1"),
            DATA,
            "order-9");
    assertEquals("order-9", d.event().partitionKey());
  }

  @Test
  void namesEveryMissingHeaderAtOnce() {
    FunctionException e =
        assertThrows(
            FunctionException.class,
            () ->
                CloudEventCodec.decode(
                    Transport.HTTP, headers("ce-specversion", "0.3", "ce-type", "t"), DATA, null));
    List<String> fields = e.problem().errors().stream().map(Problem.FieldError::field).toList();
    assertTrue(
        fields.containsAll(List.of("ce-specversion", "ce-id", "ce-source")), fields.toString());
    assertEquals(400, e.problem().status());
  }

  @Test
  void structuredModeNamesAttributesNotHeaders() {
    byte[] body = "{\"specversion\":\"1.0\",\"source\":\"/s\",\"type\":\"t\"}".getBytes();
    FunctionException e =
        assertThrows(
            FunctionException.class,
            () ->
                CloudEventCodec.decode(
                    Transport.HTTP,
                    headers("Content-Type", "application/cloudevents+json; charset=utf-8"),
                    body,
                    null));
    assertEquals(
        new Problem.FieldError("attribute", "id", "is missing"), e.problem().errors().get(0));
  }

  @Test
  void plainJsonWithoutCeHeadersIsNotACloudEvent() {
    FunctionException e =
        assertThrows(
            FunctionException.class,
            () ->
                CloudEventCodec.decode(
                    Transport.KAFKA, headers("content-type", "application/json"), DATA, "k"));
    assertTrue(e.getMessage().startsWith("invalid-cloudevent: not a CloudEvent"), e.getMessage());
  }

  @Test
  void structuredRoundTripKeepsEveryAttribute() {
    CloudEvent event =
        new CloudEvent(
            "id-1",
            "/s",
            "t.v1",
            "subj",
            "2026-11-22T10:00:00Z",
            "application/json",
            "https://x/y.json",
            Map.of("partitionkey", "k", "traceparent", "00-abc-def-01"),
            DATA);
    CloudEvent back = CloudEventCodec.fromStructured(CloudEventCodec.toStructured(event));
    assertEquals(event, back);
  }

  @Test
  void rejectsBatchMode() {
    FunctionException e =
        assertThrows(
            FunctionException.class,
            () ->
                CloudEventCodec.decode(
                    Transport.HTTP,
                    headers("Content-Type", "application/cloudevents-batch+json"),
                    "[]".getBytes(),
                    null));
    assertEquals(415, e.problem().status());
  }
}
