package com.bookstore.kit.logging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.jboss.logmanager.ExtFormatter;
import org.jboss.logmanager.ExtLogRecord;

/**
 * One JSON object a line, with the field names of Quarkus' JSON log format ({@code timestamp},
 * {@code level}, {@code loggerName}, {@code message}, {@code threadName}, {@code mdc}, and {@code
 * exception} with the stack trace), so log pipelines read it as they would quarkus-logging-json's.
 */
public final class JsonLogFormatter extends ExtFormatter {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final String function;

  public JsonLogFormatter(String function) {
    this.function = function;
  }

  @Override
  public String format(ExtLogRecord record) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("timestamp", record.getInstant().toString());
    n.put("sequence", record.getSequenceNumber());
    n.put("level", record.getLevel().getName());
    n.put("loggerName", record.getLoggerName());
    n.put("message", formatMessage(record));
    n.put("threadName", record.getThreadName());
    n.put("threadId", record.getLongThreadID());
    if (function != null) {
      n.put("function", function);
    }
    Map<String, String> mdc = record.getMdcCopy();
    if (mdc != null && !mdc.isEmpty()) {
      ObjectNode m = n.putObject("mdc");
      mdc.forEach(m::put);
    }
    Throwable thrown = record.getThrown();
    if (thrown != null) {
      StringWriter trace = new StringWriter();
      thrown.printStackTrace(new PrintWriter(trace));
      ObjectNode e = n.putObject("exception");
      e.put("exceptionType", thrown.getClass().getName());
      e.put("message", thrown.getMessage());
      e.put("stackTrace", trace.toString());
    }
    try {
      return MAPPER.writeValueAsString(n) + System.lineSeparator();
    } catch (JsonProcessingException e) {
      return "{\"level\":\"ERROR\",\"message\":\"log line not written as JSON\"}"
          + System.lineSeparator();
    }
  }
}
