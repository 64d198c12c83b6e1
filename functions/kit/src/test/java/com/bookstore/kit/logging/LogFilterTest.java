package com.bookstore.kit.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.logging.Level;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

class LogFilterTest {
  private final LogFilter filter = new LogFilter(false, "test-function");

  @Test
  void masksEmailsTokensAndPasswords() {
    String out =
        LogFilter.redact(
            "user ada.l@example.co.uk, Authorization: Bearer abc.def-123, {\"password\":\"hunter2x\","
                + " \"token\":\"s3cr3t\"} paid with tok_visa");
    assertFalse(out.contains("ada.l@example.co.uk"), out);
    assertFalse(out.contains("abc.def-123"), out);
    assertFalse(out.contains("hunter2x"), out);
    assertFalse(out.contains("s3cr3t"), out);
    assertFalse(out.contains("tok_visa"), out);
    assertTrue(out.contains("***@***"), out);
  }

  @Test
  void leavesOrdinaryLinesAlone() {
    for (String line :
        new String[] {
          "order 0b6c1e2a: RESERVED -> PAID (isbn 9782740859414, 2 copies)",
          "data does not match [data /password: required property 'password' not found]"
        }) {
      assertEquals(line, LogFilter.redact(line));
    }
  }

  @Test
  void masksAFormattedMessageAndTheMessagesOfItsExceptions() {
    ExtLogRecord r =
        new ExtLogRecord(Level.WARNING, "rejected %s", ExtLogRecord.FormatStyle.PRINTF, "x");
    r.setParameters(new Object[] {"CloudEvent[subject=grace@example.com]"});
    r.setThrown(
        new IllegalStateException(
            "duplicate key", new RuntimeException("Key (email)=(grace@example.com) exists")));
    assertTrue(filter.isLoggable(r));
    assertFalse(r.getFormattedMessage().contains("grace@example.com"), r.getFormattedMessage());
    StringWriter trace = new StringWriter();
    r.getThrown().printStackTrace(new PrintWriter(trace));
    assertFalse(trace.toString().contains("grace@example.com"), trace.toString());
    assertTrue(trace.toString().contains("IllegalStateException"), trace.toString());
  }

  @Test
  void jsonLinesCarryTheMdcAndTheFunction() throws Exception {
    ExtLogRecord r = new ExtLogRecord(Level.INFO, "hello \"world\"", "x");
    r.setLoggerName("com.bookstore.test");
    org.jboss.logmanager.MDC.put(EventLogContext.EVENT_ID, "e-1");
    try {
      r.copyMdc();
    } finally {
      org.jboss.logmanager.MDC.remove(EventLogContext.EVENT_ID);
    }
    String line = new JsonLogFormatter("test-function").format(r);
    assertTrue(line.endsWith(System.lineSeparator()));
    JsonNode n = new ObjectMapper().readTree(line);
    assertEquals("hello \"world\"", n.path("message").asText());
    assertEquals("INFO", n.path("level").asText());
    assertEquals("test-function", n.path("function").asText());
    assertEquals("e-1", n.path("mdc").path("eventId").asText());
  }
}
