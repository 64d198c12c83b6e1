package com.bookstore.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.oas.OpenApi30;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The CRD schemas under {@code src/test/resources/crds}, compiled for strict validation, as {@code
 * kubectl --validate=strict} does: an object that declares properties and neither allows more nor
 * preserves unknown fields rejects any other key.
 */
final class CrdSchemas {

  static final List<String> FILES =
      List.of(
          "serving.knative.dev_services.yaml",
          "eventing.knative.dev_brokers.yaml",
          "eventing.knative.dev_triggers.yaml",
          "eventing.knative.dev_eventtypes.yaml",
          "eventing.knative.dev_kafkasinks.yaml",
          "sources.knative.dev_pingsources.yaml",
          "sources.knative.dev_kafkasources.yaml",
          "040-Crd-kafka.yaml",
          "043-Crd-kafkatopic.yaml",
          "044-Crd-kafkauser.yaml",
          "045-Crd-kafkanodepool.yaml");

  private static final String PRESERVE = "x-kubernetes-preserve-unknown-fields";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, JsonSchema> byApiVersionAndKind = new HashMap<>();

  CrdSchemas() {
    JsonMetaSchema dialect =
        JsonMetaSchema.builder(OpenApi30.getInstance())
            .keywords(
                List.of(
                    new NonValidationKeyword(PRESERVE),
                    new NonValidationKeyword("x-kubernetes-int-or-string"),
                    new NonValidationKeyword("x-kubernetes-embedded-resource"),
                    new NonValidationKeyword("x-kubernetes-list-type"),
                    new NonValidationKeyword("x-kubernetes-list-map-keys"),
                    new NonValidationKeyword("x-kubernetes-map-type"),
                    new NonValidationKeyword("x-kubernetes-validations")))
            .build();
    JsonSchemaFactory factory =
        JsonSchemaFactory.getInstance(
            SpecVersion.VersionFlag.V4,
            b -> b.metaSchema(dialect).defaultMetaSchemaIri(dialect.getIri()));
    SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().build();
    for (String file : FILES) {
      for (Map<String, Object> crd : Yaml.read(read(file))) {
        Map<?, ?> spec = (Map<?, ?>) crd.get("spec");
        String group = (String) spec.get("group");
        String kind = (String) ((Map<?, ?>) spec.get("names")).get("kind");
        for (Object v : (List<?>) spec.get("versions")) {
          Map<?, ?> version = (Map<?, ?>) v;
          if (!Boolean.TRUE.equals(version.get("served"))) {
            continue;
          }
          JsonNode schema =
              JSON.valueToTree(((Map<?, ?>) version.get("schema")).get("openAPIV3Schema"));
          declareRoot((ObjectNode) schema);
          strict(schema);
          byApiVersionAndKind.put(
              group + "/" + version.get("name") + " " + kind, factory.getSchema(schema, config));
        }
      }
    }
  }

  static String read(String file) {
    try (InputStream in = CrdSchemas.class.getResourceAsStream("/crds/" + file)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource crds/" + file);
      }
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  boolean covers(Map<String, Object> resource) {
    return byApiVersionAndKind.containsKey(key(resource));
  }

  /** Every schema violation of the resource, as readable lines; empty when it is valid. */
  Set<String> violations(Map<String, Object> resource) {
    JsonSchema schema = byApiVersionAndKind.get(key(resource));
    if (schema == null) {
      return Set.of("no CRD schema for " + key(resource));
    }
    return schema.validate(JSON.valueToTree(resource)).stream()
        .map(Object::toString)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static String key(Map<String, Object> resource) {
    return resource.get("apiVersion") + " " + resource.get("kind");
  }

  /** The API server adds apiVersion, kind and metadata; the Eventing schemas leave them out. */
  private static void declareRoot(ObjectNode schema) {
    ObjectNode properties =
        schema.has("properties")
            ? (ObjectNode) schema.get("properties")
            : schema.putObject("properties");
    if (!properties.has("apiVersion")) {
      properties.putObject("apiVersion").put("type", "string");
    }
    if (!properties.has("kind")) {
      properties.putObject("kind").put("type", "string");
    }
    if (!properties.has("metadata")) {
      properties.putObject("metadata").put("type", "object");
    }
  }

  private static void strict(JsonNode node) {
    if (node instanceof ObjectNode object) {
      if (object.has("properties")
          && !object.has("additionalProperties")
          && !object.path(PRESERVE).asBoolean(false)) {
        object.put("additionalProperties", false);
      }
      if (object.has("properties")) {
        Iterator<JsonNode> it = object.get("properties").elements();
        while (it.hasNext()) {
          strict(it.next());
        }
      }
      for (String nested : List.of("items", "additionalProperties")) {
        if (object.get(nested) instanceof ObjectNode child) {
          strict(child);
        }
      }
      for (String combinator : List.of("allOf", "anyOf", "oneOf")) {
        if (object.has(combinator)) {
          object.get(combinator).forEach(CrdSchemas::strict);
        }
      }
    }
  }
}
