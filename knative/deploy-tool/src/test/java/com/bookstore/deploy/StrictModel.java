package com.bookstore.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validates a resource against the fabric8 model generated from its CRDs, for kinds whose CRD
 * schema the repository does not carry (the Prometheus Operator's PodMonitor). The models accept
 * unknown fields into {@code additionalProperties}; here any such field, at any depth, is a
 * violation, so a misspelt or misplaced field is caught as the API server's structural schema would
 * prune or refuse it. A value of the wrong type fails to deserialize and is a violation too.
 */
final class StrictModel {

  private final KubernetesSerialization serialization = new KubernetesSerialization();

  /** The concrete model class the serialization maps this resource's apiVersion and kind to. */
  boolean covers(Map<String, Object> resource) {
    try {
      HasMetadata parsed = serialization.unmarshal(Yaml.write(resource));
      String model = parsed.getClass().getPackageName();
      // The Prometheus Operator's kinds (their CRDs are not in the repo) and the built-in batch
      // kinds (the migration Jobs), checked field by field against fabric8's generated models.
      return model.startsWith("io.fabric8.openshift.api.model.monitoring")
          || model.startsWith("io.fabric8.kubernetes.api.model.batch");
    } catch (RuntimeException e) {
      return false;
    }
  }

  List<String> violations(Map<String, Object> resource) {
    List<String> out = new ArrayList<>();
    HasMetadata parsed;
    try {
      parsed = serialization.unmarshal(Yaml.write(resource));
    } catch (RuntimeException e) {
      out.add("does not deserialize: " + e.getMessage());
      return out;
    }
    walk(
        parsed,
        parsed.getKind(),
        out,
        java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
    return out;
  }

  private static void walk(Object node, String path, List<String> out, Set<Object> seen) {
    if (node == null || !seen.add(node)) {
      return;
    }
    if (node instanceof Collection<?> items) {
      int i = 0;
      for (Object item : items) {
        walk(item, path + "[" + i++ + "]", out, seen);
      }
      return;
    }
    if (node instanceof Map<?, ?> map) {
      map.forEach((k, v) -> walk(v, path + "." + k, out, seen));
      return;
    }
    if (!node.getClass().getName().startsWith("io.fabric8.")) {
      return;
    }
    for (Method getter : node.getClass().getMethods()) {
      if (getter.getParameterCount() != 0
          || Modifier.isStatic(getter.getModifiers())
          || !getter.getName().startsWith("get")
          || getter.getDeclaringClass() == Object.class) {
        continue;
      }
      Object value;
      try {
        value = getter.invoke(node);
      } catch (IllegalAccessException | InvocationTargetException e) {
        continue;
      }
      if (getter.getName().equals("getAdditionalProperties")) {
        if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
          out.add(path + ": fields the schema does not have: " + extra.keySet());
        }
        continue;
      }
      String field =
          Character.toLowerCase(getter.getName().charAt(3)) + getter.getName().substring(4);
      walk(value, path + "." + field, out, seen);
    }
  }
}
