package com.bookstore.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every catalogue type has a schema with valid and invalid examples; valid examples parse into the
 * Java record and the record serialises back to JSON the schema accepts; invalid ones are refused.
 */
class SchemaConformanceTest {

  private static final Path SCHEMAS =
      Path.of(System.getProperty("bookstore.schemas.dir", "../schemas"));

  @Test
  void everySchemaFileBelongsToACatalogueType() throws IOException {
    try (Stream<Path> files = Files.list(SCHEMAS)) {
      List<String> orphans =
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".json"))
              .map(n -> n.substring(0, n.length() - ".json".length()))
              .filter(t -> EventCatalogue.find(t).isEmpty())
              .toList();
      assertEquals(List.of(), orphans, "schemas without a catalogue entry");
    }
  }

  @TestFactory
  Stream<DynamicTest> everyTypeHasValidAndInvalidExamples() {
    return EventCatalogue.all().stream()
        .map(
            type ->
                DynamicTest.dynamicTest(
                    type.type(),
                    () -> {
                      assertTrue(Files.exists(SCHEMAS.resolve(type.type() + ".json")));
                      assertFalse(examples(type, "valid-").isEmpty(), "no valid example");
                      assertFalse(examples(type, "invalid-").isEmpty(), "no invalid example");
                    }));
  }

  @TestFactory
  Stream<DynamicTest> validExamplesParseIntoTheRecordAndSerialiseBackToValidJson() {
    return EventCatalogue.all().stream()
        .flatMap(type -> examples(type, "valid-").stream().map(p -> validCase(type, p)));
  }

  @TestFactory
  Stream<DynamicTest> invalidExamplesAreRejectedBySchema() {
    return EventCatalogue.all().stream()
        .flatMap(
            type ->
                examples(type, "invalid-").stream()
                    .map(
                        p ->
                            DynamicTest.dynamicTest(
                                type.type() + "/" + p.getFileName(),
                                () -> {
                                  JsonNode json = EventJson.mapper().readTree(p.toFile());
                                  assertFalse(
                                      EventSchemas.validate(type.type(), json).isEmpty(),
                                      "schema accepted an invalid example");
                                })));
  }

  @Test
  void violationNamesTheFieldAtFault() throws IOException {
    JsonNode json = EventJson.mapper().readTree("{\"email\":\"a@b.c\",\"password\":42}");
    List<EventSchemas.Violation> violations = EventSchemas.validate(EventTypes.USER_REGISTER, json);
    assertEquals(1, violations.size(), violations.toString());
    assertEquals("/password", violations.get(0).pointer());
  }

  @Test
  void missingRequiredFieldIsNamedByItsPointer() throws IOException {
    JsonNode json = EventJson.mapper().readTree("{\"password\":\"x\"}");
    List<EventSchemas.Violation> violations = EventSchemas.validate(EventTypes.USER_REGISTER, json);
    assertEquals("/email", violations.get(0).pointer());
  }

  @Test
  void schemasLoadFromTheClasspath() {
    EventSchemas.preload();
  }

  private static DynamicTest validCase(EventType type, Path example) {
    return DynamicTest.dynamicTest(
        type.type() + "/" + example.getFileName(),
        () -> {
          JsonNode json = EventJson.mapper().readTree(example.toFile());
          assertEquals(List.of(), EventSchemas.validate(type.type(), json), "example rejected");
          Object record = EventJson.mapper().treeToValue(json, type.payload());
          JsonNode written = EventJson.mapper().valueToTree(record);
          assertEquals(
              List.of(), EventSchemas.validate(type.type(), written), "record wrote invalid JSON");
          assertEquals(record, EventJson.mapper().treeToValue(written, type.payload()));
        });
  }

  private static List<Path> examples(EventType type, String prefix) {
    Path dir = SCHEMAS.resolve("examples").resolve(type.type());
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return new ArrayList<>(
          files.filter(p -> p.getFileName().toString().startsWith(prefix)).sorted().toList());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
