package com.bookstore.stock;

import com.bookstore.events.EventJson;
import com.bookstore.events.stock.StockLine;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Order lines: merged per ISBN and sorted, so rows are always locked in the same order. */
final class Lines {
  private Lines() {}

  static List<StockLine> normalize(List<StockLine> items) {
    Map<String, Integer> merged = new TreeMap<>();
    for (StockLine line : items) {
      merged.merge(line.isbn(), line.quantity(), Integer::sum);
    }
    return merged.entrySet().stream().map(e -> new StockLine(e.getKey(), e.getValue())).toList();
  }

  static String toJson(List<StockLine> lines) {
    try {
      return EventJson.mapper().writeValueAsString(lines);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<StockLine> fromJson(String json) {
    try {
      return EventJson.mapper().readValue(json, new TypeReference<List<StockLine>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable reservation lines", e);
    }
  }
}
