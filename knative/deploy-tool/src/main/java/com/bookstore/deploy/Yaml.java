package com.bookstore.deploy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * YAML in and out, and the small map builder the generators use. Resources are plain ordered maps,
 * so the files read in the order a person writes them (apiVersion, kind, metadata, spec).
 */
public final class Yaml {
  private Yaml() {}

  static final ObjectMapper MAPPER =
      new ObjectMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              // Strings that look like numbers or booleans stay quoted: Kubernetes annotations
              // and ConfigMap data must be strings.
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
              .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
              .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
              .build());

  /** Resources as one multi-document YAML file. */
  public static String documents(List<Map<String, Object>> resources) {
    StringBuilder out = new StringBuilder();
    for (Map<String, Object> resource : resources) {
      if (out.length() > 0) {
        out.append("---\n");
      }
      out.append(write(resource));
    }
    return out.toString();
  }

  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every non-empty document of a multi-document YAML text. */
  public static List<Map<String, Object>> read(String text) {
    List<Map<String, Object>> out = new ArrayList<>();
    try (MappingIterator<Map<String, Object>> it =
        MAPPER.readerFor(new TypeReference<Map<String, Object>>() {}).readValues(text)) {
      while (it.hasNextValue()) {
        Map<String, Object> doc = it.nextValue();
        if (doc != null && !doc.isEmpty()) {
          out.add(doc);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** An ordered map from alternating keys and values; null values are left out. */
  public static Map<String, Object> map(Object... keysAndValues) {
    if (keysAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("keys and values must come in pairs");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      if (keysAndValues[i + 1] != null) {
        out.put((String) keysAndValues[i], keysAndValues[i + 1]);
      }
    }
    return out;
  }

  /** Deep copy, so a transformation of one resource list never changes another. */
  public static Map<String, Object> copy(Map<String, Object> resource) {
    return MAPPER.convertValue(resource, new TypeReference<Map<String, Object>>() {});
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> child(Map<String, Object> parent, String... path) {
    Map<String, Object> node = parent;
    for (String key : path) {
      node = (Map<String, Object>) node.computeIfAbsent(key, k -> new LinkedHashMap<>());
    }
    return node;
  }
}
