package com.bookstore.deploy;

import com.bookstore.events.EventCatalogue;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules Knative's webhooks enforce and the CRD schemas cannot: where autoscaling annotations
 * may sit and that they are strings, that a Service has one port with an allowed name, that a
 * Trigger names an existing Broker and Service and is delivered in order (the Kafka Broker's
 * annotation, which no schema carries), that a PingSource's sink path is relative to its Service,
 * and what a KafkaSink's content mode may be.
 */
final class ManifestRules {
  private ManifestRules() {}

  private static final String AUTOSCALING = "autoscaling.knative.dev/";

  static List<String> check(List<Map<String, Object>> resources) {
    List<String> problems = new ArrayList<>();
    Set<String> brokers = names(resources, "Broker");
    Set<String> services = names(resources, "Service");
    Set<String> sinks = names(resources, "KafkaSink");
    for (Map<String, Object> r : resources) {
      String kind = (String) r.get("kind");
      String what = kind + "/" + get(r, "metadata", "name");
      Object annotations = get(r, "metadata", "annotations");
      if (annotations instanceof Map<?, ?> map) {
        for (Object key : map.keySet()) {
          if (key.toString().startsWith(AUTOSCALING)) {
            problems.add(what + ": " + key + " belongs on spec.template.metadata.annotations");
          }
        }
      }
      switch (kind) {
        case "Service" -> {
          checkScale(what, get(r, "spec", "template", "metadata", "annotations"), problems);
          checkPorts(what, get(r, "spec", "template", "spec", "containers"), problems);
        }
        case "KafkaSink" -> {
          Object mode = get(r, "spec", "contentMode");
          if (mode != null && !Set.of("binary", "structured").contains(mode)) {
            problems.add(what + ": contentMode must be binary or structured, not " + mode);
          }
        }
        case "PingSource" -> {
          checkSinkRef(what, get(r, "spec", "sink", "ref"), services, problems);
          Object uri = get(r, "spec", "sink", "uri");
          if (uri != null && java.net.URI.create(uri.toString()).isAbsolute()) {
            problems.add(what + ": sink.uri must be relative to the sink's ref, not " + uri);
          }
          Object schedule = get(r, "spec", "schedule");
          if (!(schedule instanceof String cron) || cron.strip().split("\\s+").length != 5) {
            problems.add(what + ": schedule must be a five-field cron expression: " + schedule);
          }
        }
        case "Trigger" -> {
          Object broker = get(r, "spec", "broker");
          if (!brokers.contains(broker)) {
            problems.add(what + ": spec.broker " + broker + " is not a Broker here");
          }
          checkSinkRef(what, get(r, "spec", "subscriber", "ref"), services, problems);
          if (get(r, "spec", "filter") != null && get(r, "spec", "filters") != null) {
            problems.add(what + ": filter and filters are exclusive");
          }
          Object type = get(r, "spec", "filter", "attributes", "type");
          if (!(type instanceof String t) || EventCatalogue.find(t).isEmpty()) {
            problems.add(what + ": filters on " + type + ", which is not in the catalogue");
          }
          Object order = get(r, "metadata", "annotations", KnativeManifests.DELIVERY_ORDER);
          if (!KnativeManifests.ORDERED.equals(order)) {
            // The Kafka Broker's default is unordered: a saga's events could overtake each other.
            problems.add(
                what + ": " + KnativeManifests.DELIVERY_ORDER + " must be ordered, is " + order);
          }
          Object dls = get(r, "spec", "delivery", "deadLetterSink", "ref", "name");
          if (!sinks.contains(dls)) {
            problems.add(what + ": dead-letter sink " + dls + " is not a KafkaSink here");
          }
        }
        default -> {}
      }
    }
    return problems;
  }

  private static void checkScale(String what, Object annotations, List<String> problems) {
    if (!(annotations instanceof Map<?, ?> map)) {
      problems.add(what + ": no autoscaling annotations on the revision template");
      return;
    }
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (e.getKey().toString().startsWith(AUTOSCALING) && !(e.getValue() instanceof String)) {
        problems.add(what + ": annotation " + e.getKey() + " must be a string, is " + e.getValue());
      }
    }
    try {
      int min = Integer.parseInt(String.valueOf(map.get(KnativeManifests.MIN_SCALE)));
      int max = Integer.parseInt(String.valueOf(map.get(KnativeManifests.MAX_SCALE)));
      int target = Integer.parseInt(String.valueOf(map.get(KnativeManifests.TARGET)));
      if (min < 0 || max < min || target < 1) {
        problems.add(what + ": scale bounds out of range: min " + min + ", max " + max);
      }
    } catch (NumberFormatException e) {
      problems.add(what + ": min-scale, max-scale and target must be integers: " + map);
    }
  }

  /**
   * A Service exposes one port across its containers, named {@code http1}, {@code h2c} or nothing;
   * a probe may name a port only by that name (a number may be any port).
   */
  private static void checkPorts(String what, Object containers, List<String> problems) {
    if (!(containers instanceof List<?> list)) {
      problems.add(what + ": no containers");
      return;
    }
    List<Object> ports = new ArrayList<>();
    for (Object c : list) {
      if (get(c, "ports") instanceof List<?> p) {
        ports.addAll(p);
      }
    }
    if (ports.size() > 1) {
      problems.add(what + ": more than one container port; a Knative Service exposes one");
    }
    String portName = ports.isEmpty() ? "" : String.valueOf(get(ports.get(0), "name"));
    if (!Set.of("", "null", "http1", "h2c").contains(portName)) {
      problems.add(what + ": port name " + portName + " is not allowed (http1, h2c or none)");
    }
    for (Object c : list) {
      for (String probe : List.of("readinessProbe", "livenessProbe")) {
        Object port = get(c, probe, "httpGet", "port");
        if (port instanceof String named && !named.equals(portName)) {
          problems.add(what + ": " + probe + " names port " + named + ", not the container's");
        }
      }
    }
  }

  private static void checkSinkRef(
      String what, Object ref, Set<String> services, List<String> problems) {
    if (!(ref instanceof Map<?, ?> map)
        || !"Service".equals(map.get("kind"))
        || !services.contains(map.get("name"))) {
      problems.add(what + ": must deliver to a Knative Service defined here, not " + ref);
    }
  }

  private static Set<String> names(List<Map<String, Object>> resources, String kind) {
    Set<String> out = new HashSet<>();
    for (Map<String, Object> r : resources) {
      if (kind.equals(r.get("kind"))) {
        out.add((String) get(r, "metadata", "name"));
      }
    }
    return out;
  }

  static Object get(Object node, String... path) {
    Object current = node;
    for (String key : path) {
      if (!(current instanceof Map<?, ?> map)) {
        return null;
      }
      current = map.get(key);
    }
    return current;
  }
}
