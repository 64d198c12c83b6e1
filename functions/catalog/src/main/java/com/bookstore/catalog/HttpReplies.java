package com.bookstore.catalog;

import com.bookstore.kit.Problem;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** JSON and problem replies for the catalog's Vert.x routes. */
@ApplicationScoped
class HttpReplies {
  private static final Logger LOG = Logger.getLogger(HttpReplies.class);

  private final ObjectMapper mapper;

  HttpReplies(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  ObjectMapper mapper() {
    return mapper;
  }

  void json(RoutingContext ctx, int status, Object body) {
    write(ctx, status, "application/json", body);
  }

  void problem(RoutingContext ctx, Problem problem) {
    if (problem.status() == 401) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"catalog-admin\"");
    }
    write(ctx, problem.status(), Problem.MEDIA_TYPE, problem);
  }

  /** A failed database call or anything unforeseen: 503 (retry), logged with its cause. */
  void failure(RoutingContext ctx, Throwable failure) {
    LOG.warnf(failure, "%s %s failed", ctx.request().method(), ctx.request().path());
    problem(ctx, CatalogProblems.unavailable());
  }

  private void write(RoutingContext ctx, int status, String contentType, Object body) {
    if (ctx.response().ended()) {
      return;
    }
    try {
      ctx.response()
          .setStatusCode(status)
          .putHeader("Content-Type", contentType)
          .end(Buffer.buffer(mapper.writeValueAsBytes(body)));
    } catch (JsonProcessingException e) {
      LOG.error("reply not written", e);
      ctx.response().setStatusCode(500).end();
    }
  }
}
