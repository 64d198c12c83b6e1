package com.bookstore.kit.logging;

import io.quarkus.logging.LoggingFilter;
import java.util.logging.Filter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.LogContext;
import org.jboss.logmanager.handlers.ConsoleHandler;
import org.jboss.logmanager.handlers.FileHandler;

/**
 * The filter of the console and file log handlers (the kit's {@code quarkus.log.console.filter} and
 * {@code quarkus.log.file.filter}), every line's last stop before it leaves the process.
 *
 * <p>It masks e-mail addresses, bearer tokens, payment tokens and password or token fields in the
 * message and in the messages of its exceptions, whatever logged them (our code, a driver's error
 * naming a row's values, a mail server's refusal naming the recipient). The code does not log such
 * values on purpose; this catches what a library or an error message brings in.
 *
 * <p>With {@code bookstore.log.json} (the prod profile) it also puts {@link JsonLogFormatter} on
 * the handlers it filters, on the first line they pass it: the first line Quarkus writes after
 * setting up logging, so every line is JSON, the buffered start-up lines too. (quarkus-logging-json
 * would do this by configuration; its deployment artifact cannot be had here.)
 */
@LoggingFilter(name = LogFilter.NAME)
public final class LogFilter implements Filter {
  public static final String NAME = "bookstore-logs";

  private final boolean json;
  private final String function;
  private volatile boolean formatterSet;

  public LogFilter(
      @ConfigProperty(name = "bookstore.log.json", defaultValue = "false") boolean json,
      @ConfigProperty(name = "bookstore.function.name", defaultValue = "") String function) {
    this.json = json;
    this.function = function.isEmpty() ? null : function;
  }

  private static final Pattern EMAIL =
      Pattern.compile("[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}");
  private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)[A-Za-z0-9._~+/=-]+");
  private static final Pattern PAYMENT_TOKEN = Pattern.compile("\\b(tok|pm|card)_[A-Za-z0-9_]+");
  private static final Pattern SECRET_FIELD =
      Pattern.compile(
          "(?i)(?<![/\\w])(\"?(?:password|passwd|token|secret|authorization|paymentMethod)\"?\\s*[:=]\\s*\"?)"
              + "(?:(?:bearer|basic)\\s+)?[^\",}\\s]+");

  /** {@code text} with every secret this filter knows masked; null stays null. */
  public static String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String out = SECRET_FIELD.matcher(text).replaceAll("$1***");
    out = BEARER.matcher(out).replaceAll("$1***");
    out = EMAIL.matcher(out).replaceAll("***@***");
    return PAYMENT_TOKEN.matcher(out).replaceAll("$1_***");
  }

  @Override
  public boolean isLoggable(LogRecord record) {
    if (json && !formatterSet) {
      setJsonFormatter();
    }
    if (record instanceof ExtLogRecord ext) {
      String formatted = ext.getFormattedMessage();
      String redacted = redact(formatted);
      if (redacted != null && !redacted.equals(formatted)) {
        ext.setMessage(redacted, ExtLogRecord.FormatStyle.NO_FORMAT);
        ext.setParameters(null);
      }
    } else if (record.getMessage() != null) {
      String redacted = redact(record.getMessage());
      if (!redacted.equals(record.getMessage())) {
        record.setMessage(redacted);
        record.setParameters(null);
      }
    }
    Throwable thrown = record.getThrown();
    if (thrown != null && needsRedaction(thrown, 0)) {
      record.setThrown(Redacted.of(thrown, 0));
    }
    return true;
  }

  /**
   * Every console and file handler under the root logger gets the JSON formatter (Quarkus may wrap
   * this filter with its own clean-up filter, so the handlers are found by kind).
   */
  private synchronized void setJsonFormatter() {
    if (formatterSet) {
      return;
    }
    JsonLogFormatter formatter = new JsonLogFormatter(function);
    setOn(LogContext.getLogContext().getLogger("").getHandlers(), formatter, 0);
    formatterSet = true;
  }

  private void setOn(Handler[] handlers, JsonLogFormatter formatter, int depth) {
    if (handlers == null || depth > 5) {
      return;
    }
    for (Handler h : handlers) {
      if (h instanceof ConsoleHandler || h instanceof FileHandler) {
        h.setFormatter(formatter);
      }
      if (h instanceof ExtHandler ext) {
        setOn(ext.getHandlers(), formatter, depth + 1);
      }
    }
  }

  private static boolean needsRedaction(Throwable t, int depth) {
    if (t == null || depth > 20) {
      return false;
    }
    String m = t.getMessage();
    return (m != null && !m.equals(redact(m))) || needsRedaction(t.getCause(), depth + 1);
  }

  /** A stand-in for an exception whose message held a secret: its class, masked message, stack. */
  static final class Redacted extends RuntimeException {
    private Redacted(String message, Throwable cause) {
      super(message, cause, false, true);
    }

    static Throwable of(Throwable t, int depth) {
      if (t == null || depth > 20) {
        return null;
      }
      Redacted r =
          new Redacted(
              t.getClass().getName() + ": " + redact(String.valueOf(t.getMessage())),
              of(t.getCause(), depth + 1));
      r.setStackTrace(t.getStackTrace());
      return r;
    }
  }
}
