package com.bookstore.kit;

import com.bookstore.events.EventJson;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import org.jboss.logging.Logger;

/** JSON answers and RFC 9457 problems for the functions' Vert.x routes, written once. */
public final class JsonReplies {
  private static final Logger LOG = Logger.getLogger(JsonReplies.class);

  private JsonReplies() {}

  public static void json(HttpServerResponse response, int status, Object body) {
    write(response, status, "application/json", body);
  }

  public static void problem(HttpServerResponse response, Problem problem) {
    write(response, problem.status(), Problem.MEDIA_TYPE, problem);
  }

  /** Writes the body as JSON unless the response was already ended (a timeout, a closed client). */
  public static void write(
      HttpServerResponse response, int status, String contentType, Object body) {
    if (response.ended()) {
      return;
    }
    try {
      byte[] bytes = EventJson.mapper().writeValueAsBytes(body);
      response
          .setStatusCode(status)
          .putHeader("Content-Type", contentType)
          .end(Buffer.buffer(bytes));
    } catch (JsonProcessingException e) {
      LOG.error("answer not written", e);
      response.setStatusCode(500).end();
    }
  }
}
