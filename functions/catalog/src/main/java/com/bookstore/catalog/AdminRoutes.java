package com.bookstore.catalog;

import com.bookstore.kit.Digests;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.jboss.logging.Logger;

/**
 * The admin API, behind a bearer token ({@code catalog.admin-token}):
 *
 * <ul>
 *   <li>{@code PUT /admin/books/{isbn}}: adds or replaces one book; 201 when added, 200 otherwise.
 *   <li>{@code POST /admin/books}: a JSON array of books, upserted in one transaction (the seed
 *       data set is such an array); all or nothing.
 * </ul>
 *
 * A new book emits {@code book.added}, a new price {@code book.price-changed}; re-adding an
 * unchanged book emits nothing. Bad input gets a 400 problem naming every wrong field.
 */
@ApplicationScoped
public class AdminRoutes {
  private static final Logger LOG = Logger.getLogger(AdminRoutes.class);
  private static final String BEARER = "Bearer ";

  private final CatalogService service;
  private final CatalogConfig config;
  private final HttpReplies replies;
  private final byte[] tokenDigest;

  AdminRoutes(CatalogService service, CatalogConfig config, HttpReplies replies) {
    this.service = service;
    this.config = config;
    this.replies = replies;
    this.tokenDigest =
        config.adminToken().filter(t -> !t.isBlank()).map(AdminRoutes::digest).orElse(null);
    if (tokenDigest == null) {
      LOG.warn("no catalog.admin-token (CATALOG_ADMIN_TOKEN) configured: the admin API is closed");
    }
  }

  void routes(@Observes Router router) {
    // The token is checked before the body is read, so an anonymous caller cannot make the
    // function buffer megabytes. The body is read here rather than by Vert.x's BodyHandler, which
    // would parse a body sent as a form (curl --data's default content type) as form fields.
    router
        .put("/admin/books/:isbn")
        .handler(this::authorize)
        .handler(ctx -> withBody(ctx, this::putOne));
    router
        .post("/admin/books")
        .handler(this::authorize)
        .handler(ctx -> withBody(ctx, this::putMany));
  }

  private void authorize(RoutingContext ctx) {
    if (tokenDigest == null) {
      replies.problem(
          ctx,
          CatalogProblems.unauthorized(
              "the admin API is closed: no catalog.admin-token is configured"));
      return;
    }
    String header = ctx.request().getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      replies.problem(
          ctx, CatalogProblems.unauthorized("send Authorization: Bearer <catalog admin token>"));
      return;
    }
    // Digests have equal lengths, so the comparison's time says nothing about the token.
    if (!MessageDigest.isEqual(tokenDigest, digest(header.substring(BEARER.length()).strip()))) {
      replies.problem(ctx, CatalogProblems.unauthorized("the bearer token is not the admin token"));
      return;
    }
    ctx.next();
  }

  private void putOne(RoutingContext ctx, Buffer bytes) {
    Optional<JsonNode> body = parse(ctx, bytes);
    if (body.isEmpty()) {
      return;
    }
    BookValidator.Result result = BookValidator.one(ctx.pathParam("isbn"), body.get());
    if (!result.valid()) {
      replies.problem(ctx, CatalogProblems.invalidBook(result.errors()));
      return;
    }
    service
        .upsert(result.books())
        .subscribe()
        .with(
            upserted -> {
              Change change = upserted.changes().get(0);
              boolean added = change.outcome() == Change.Outcome.ADDED;
              if (added) {
                ctx.response().putHeader("Location", "/books/" + change.book().isbn());
              }
              replies.json(
                  ctx,
                  added ? 201 : 200,
                  new Views.Upserted(
                      change.book().isbn(),
                      change.outcome(),
                      Views.BookView.of(change.book()),
                      !upserted.published()));
            },
            failure -> replies.failure(ctx, failure));
  }

  private void putMany(RoutingContext ctx, Buffer bytes) {
    Optional<JsonNode> body = parse(ctx, bytes);
    if (body.isEmpty()) {
      return;
    }
    BookValidator.Result result = BookValidator.many(body.get(), config.admin().maxBooks());
    if (!result.valid()) {
      replies.problem(ctx, CatalogProblems.invalidBook(result.errors()));
      return;
    }
    service
        .upsert(result.books())
        .subscribe()
        .with(
            upserted -> replies.json(ctx, 200, Views.BulkUpserted.of(upserted)),
            failure -> replies.failure(ctx, failure));
  }

  /**
   * Reads the whole body, whatever its content type, then hands it on; 413 when it is larger than
   * {@code catalog.admin.max-body-size} (a chunked body is bounded by quarkus.http.limits).
   */
  private void withBody(RoutingContext ctx, BiConsumer<RoutingContext, Buffer> then) {
    long max = config.admin().maxBodySize();
    String length = ctx.request().getHeader("Content-Length");
    if (length != null && length.matches("[0-9]{1,18}") && Long.parseLong(length) > max) {
      ctx.response().putHeader("Connection", "close");
      replies.problem(ctx, CatalogProblems.payloadTooLarge(max));
      return;
    }
    if (ctx.body().available()) {
      then.accept(ctx, ctx.body().buffer());
      return;
    }
    // The router paused the request until a handler wants its body.
    io.vertx.core.Future<Buffer> read = ctx.request().body();
    ctx.request().resume();
    read.onSuccess(
            body -> {
              if (body.length() > max) {
                replies.problem(ctx, CatalogProblems.payloadTooLarge(max));
              } else {
                then.accept(ctx, body);
              }
            })
        .onFailure(failure -> replies.failure(ctx, failure));
  }

  /** The body as JSON, or empty after answering 400 with where the JSON breaks. */
  private Optional<JsonNode> parse(RoutingContext ctx, Buffer body) {
    if (body == null || body.length() == 0) {
      replies.problem(ctx, CatalogProblems.malformedJson("the body is empty; send JSON"));
      return Optional.empty();
    }
    try {
      return Optional.of(replies.mapper().readTree(body.getBytes()));
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where =
          at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      replies.problem(ctx, CatalogProblems.malformedJson(e.getOriginalMessage() + where));
      return Optional.empty();
    } catch (java.io.IOException e) {
      replies.problem(ctx, CatalogProblems.malformedJson(e.getMessage()));
      return Optional.empty();
    }
  }

  private static byte[] digest(String token) {
    return Digests.sha256Hex(token).getBytes(StandardCharsets.US_ASCII);
  }
}
