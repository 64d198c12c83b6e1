package com.bookstore.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bookstore.events.EventCatalogue;
import com.bookstore.events.EventType;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NativeReflectionTest {

  private static Set<Class<?>> registered() {
    return Set.of(NativeReflection.class.getAnnotation(RegisterForReflection.class).targets());
  }

  @Test
  void everyCataloguePayloadAndWhatItContainsIsRegistered() {
    Set<Class<?>> needed = new LinkedHashSet<>();
    for (EventType type : EventCatalogue.all()) {
      collect(type.payload(), needed);
    }
    Set<Class<?>> missing = new LinkedHashSet<>(needed);
    missing.removeAll(registered());
    assertEquals(
        Set.of(), missing, "add these to NativeReflection's @RegisterForReflection targets");
  }

  @Test
  void theKitsProblemDetailsAreRegistered() {
    assertTrue(registered().containsAll(List.of(Problem.class, Problem.FieldError.class)));
  }

  /** The class and, for our own records, every record or enum reachable from its components. */
  private static void collect(Type type, Set<Class<?>> out) {
    if (type instanceof ParameterizedType parameterized) {
      for (Type argument : parameterized.getActualTypeArguments()) {
        collect(argument, out);
      }
      return;
    }
    if (!(type instanceof Class<?> cls)) {
      return;
    }
    if (cls.isArray()) {
      collect(cls.getComponentType(), out);
      return;
    }
    if (!cls.getName().startsWith("com.bookstore.") || !out.add(cls)) {
      return;
    }
    if (cls.isRecord()) {
      for (RecordComponent component : cls.getRecordComponents()) {
        collect(component.getGenericType(), out);
      }
    }
  }
}
