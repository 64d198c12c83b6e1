package com.bookstore.kit;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.stream.Collectors;

/**
 * RFC 9457 problem details, the body of every error the HTTP ingress answers, and the reason
 * written on a dead letter. {@code errors} names each field or header at fault.
 *
 * @param type a URI naming the kind of problem (stable, machine-readable)
 * @param title a short summary of that kind
 * @param status the HTTP status
 * @param detail what is wrong with this event, in a sentence
 * @param errors each field, attribute or header at fault
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
    String type, String title, int status, String detail, List<FieldError> errors) {

  public static final String MEDIA_TYPE = "application/problem+json";
  private static final String BASE = "https://bookstore.example.com/problems/";

  /**
   * One thing at fault.
   *
   * @param in where it is: {@code header}, {@code attribute} (structured mode), {@code data} (a
   *     JSON Pointer into the event data) or {@code body}
   * @param field the header, attribute or JSON Pointer
   * @param detail what is wrong with it
   */
  public record FieldError(String in, String field, String detail) {}

  public Problem {
    errors = errors == null ? List.of() : List.copyOf(errors);
  }

  public static Problem of(Kind kind, String detail, List<FieldError> errors) {
    return new Problem(BASE + kind.slug, kind.title, kind.status, detail, errors);
  }

  public static Problem of(Kind kind, String detail) {
    return of(kind, detail, List.of());
  }

  /** Whether this problem is of the given kind. */
  public boolean is(Kind kind) {
    return type.equals(BASE + kind.slug);
  }

  /** One line for logs and dead-letter headers: the kind, the detail and each field at fault. */
  /** The problem's kind: the last part of its type URI ({@code schema-violation}, ...). */
  public String slug() {
    return type.startsWith(BASE) ? type.substring(BASE.length()) : type;
  }

  public String summary() {
    String slug = type.startsWith(BASE) ? type.substring(BASE.length()) : type;
    String fields =
        errors.stream()
            .map(e -> e.in() + " " + e.field() + ": " + e.detail())
            .collect(Collectors.joining("; "));
    return slug + ": " + detail + (fields.isEmpty() ? "" : " [" + fields + "]");
  }

  /** The kinds of problem the kit answers with. */
  public enum Kind {
    INVALID_CLOUDEVENT("invalid-cloudevent", "Invalid CloudEvent", 400),
    UNKNOWN_EVENT_TYPE("unknown-event-type", "Event type not taken here", 400),
    MALFORMED_JSON("malformed-json", "Malformed JSON", 400),
    SCHEMA_VIOLATION("schema-violation", "Event data violates its schema", 400),
    UNSUPPORTED_CONTENT_TYPE("unsupported-content-type", "Unsupported content type", 415),
    PAYLOAD_TOO_LARGE("payload-too-large", "Payload too large", 413),
    IN_PROGRESS("event-in-progress", "Same event is being processed", 409),
    ID_REUSED("event-id-reused", "Event id reused for other content", 409),
    UNAVAILABLE("temporarily-unavailable", "Temporarily unavailable", 503),
    INTERNAL("internal-error", "Internal error", 500);

    final String slug;
    final String title;
    final int status;

    Kind(String slug, String title, int status) {
      this.slug = slug;
      this.title = title;
      this.status = status;
    }
  }
}
