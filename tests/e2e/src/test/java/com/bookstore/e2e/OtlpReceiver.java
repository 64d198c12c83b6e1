package com.bookstore.e2e;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;

/**
 * A real OTLP/HTTP trace receiver (protobuf, {@code POST /v1/traces}) on loopback, decoding what
 * the functions' exporters send with the OpenTelemetry protos: the collector a test points the
 * functions at with {@code QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}.
 */
final class OtlpReceiver implements AutoCloseable {

  /** One span as received: ids in lower-case hex, the parent empty for a root. */
  record ReceivedSpan(
      String service,
      String traceId,
      String spanId,
      String parentSpanId,
      String name,
      String kind,
      Map<String, String> attributes) {
    boolean isRoot() {
      return parentSpanId.isEmpty();
    }

    String attribute(String key) {
      return attributes.get(key);
    }

    @Override
    public String toString() {
      return service + " " + kind + " \"" + name + "\" " + spanId + "<-" + parentSpanId;
    }
  }

  private final HttpServer server;
  private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
  private final List<String> problems = new CopyOnWriteArrayList<>();

  OtlpReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    server.createContext("/", this::export);
    server.setExecutor(Executors.newFixedThreadPool(2));
    server.start();
  }

  /** The endpoint to configure an OTLP/HTTP exporter with. */
  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  List<ReceivedSpan> spans() {
    return List.copyOf(spans);
  }

  /** Requests that could not be decoded, if any. */
  List<String> problems() {
    return List.copyOf(problems);
  }

  private void export(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"POST".equals(exchange.getRequestMethod())
          || !exchange.getRequestURI().getPath().endsWith("/v1/traces")) {
        problems.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      InputStream body = exchange.getRequestBody();
      if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
        body = new GZIPInputStream(body);
      }
      ExportTraceServiceRequest request;
      try {
        request = ExportTraceServiceRequest.parseFrom(body.readAllBytes());
      } catch (IOException e) {
        problems.add("undecodable export: " + e);
        exchange.sendResponseHeaders(400, -1);
        return;
      }
      for (ResourceSpans rs : request.getResourceSpansList()) {
        String service = attributes(rs.getResource().getAttributesList()).get("service.name");
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          for (io.opentelemetry.proto.trace.v1.Span s : ss.getSpansList()) {
            spans.add(
                new ReceivedSpan(
                    service,
                    HexFormat.of().formatHex(s.getTraceId().toByteArray()),
                    HexFormat.of().formatHex(s.getSpanId().toByteArray()),
                    HexFormat.of().formatHex(s.getParentSpanId().toByteArray()),
                    s.getName(),
                    s.getKind().name().replace("SPAN_KIND_", ""),
                    attributes(s.getAttributesList())));
          }
        }
      }
      byte[] ok = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
      exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(200, ok.length == 0 ? -1 : ok.length);
      if (ok.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(ok);
        }
      }
    }
  }

  private static Map<String, String> attributes(List<KeyValue> values) {
    Map<String, String> out = new LinkedHashMap<>();
    for (KeyValue kv : values) {
      out.put(kv.getKey(), text(kv.getValue()));
    }
    return out;
  }

  private static String text(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> v.getStringValue();
      case INT_VALUE -> Long.toString(v.getIntValue());
      case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
      case DOUBLE_VALUE -> Double.toString(v.getDoubleValue());
      case ARRAY_VALUE -> {
        List<String> items = new ArrayList<>();
        v.getArrayValue().getValuesList().forEach(i -> items.add(text(i)));
        yield items.toString();
      }
      default -> v.toString();
    };
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
