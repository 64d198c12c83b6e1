package com.bookstore.saga.step;

import com.bookstore.kit.FunctionException;
import com.bookstore.kit.JsonReplies;
import com.bookstore.kit.Problem;
import com.bookstore.kit.saga.SagaStatus;
import com.bookstore.saga.store.SagaStore;
import com.bookstore.saga.store.TimelineEntry;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The operators' console: a static page ({@code GET /console}, plain HTML and JavaScript, no build)
 * and the JSON it reads, every route of which wants the operator token ({@link OperatorAuth}); the
 * page asks for the token and sends it on every request. Resume is the operator API's own {@code
 * POST /sagas/{id}/resume}.
 *
 * <ul>
 *   <li>{@code GET /console/api/sagas?status=S[&limit=N]}: how many sagas are in each status, and
 *       the sagas in status {@code S}, latest change first;
 *   <li>{@code GET /console/api/orders/{id}}: an order's saga with its steps and its timeline, and
 *       its payment, hold and notifications as their owners tell them ({@link OrderParts});
 *   <li>{@code GET /console/api/dead-letters[?limit=N]}: the latest dead letters, newest first;
 *   <li>{@code POST /console/api/dead-letters/{partition}/{offset}/redrive}: one back to its topic.
 * </ul>
 */
@ApplicationScoped
public class ConsoleApi {
  private static final Logger LOG = Logger.getLogger(ConsoleApi.class);
  private static final String PROBLEMS = "https://bookstore.example.com/problems/";
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 500;

  /** The page may load only itself: no inline script, nothing from elsewhere. */
  private static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self';"
          + " frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

  private final SagaStore store;
  private final DeadLetters deadLetters;
  private final OperatorAuth auth;
  private final OrderParts parts;
  private final Map<String, byte[]> assets;

  ConsoleApi(SagaStore store, DeadLetters deadLetters, OperatorAuth auth, OrderParts parts) {
    this.store = store;
    this.deadLetters = deadLetters;
    this.auth = auth;
    this.parts = parts;
    this.assets =
        Map.of(
            "index.html", asset("index.html"),
            "console.js", asset("console.js"),
            "console.css", asset("console.css"));
  }

  @RegisterForReflection
  public record Overview(Map<String, Long> counts, String status, List<SagaView> sagas) {}

  @RegisterForReflection
  public record OrderView(
      SagaView saga,
      List<TimelineEntry> timeline,
      OrderParts.Part payment,
      OrderParts.Part reservation,
      OrderParts.Part notifications) {}

  void routes(@Observes Router router) {
    router.get("/console").handler(ctx -> serve(ctx, "index.html", "text/html; charset=utf-8"));
    router.get("/console/").handler(ctx -> ctx.redirect("/console"));
    router
        .get("/console/console.js")
        .handler(ctx -> serve(ctx, "console.js", "text/javascript; charset=utf-8"));
    router
        .get("/console/console.css")
        .handler(ctx -> serve(ctx, "console.css", "text/css; charset=utf-8"));
    router.get("/console/api/sagas").handler(auth::check).handler(this::sagas);
    router.get("/console/api/orders/:id").handler(auth::check).handler(this::order);
    router
        .get("/console/api/dead-letters")
        .handler(auth::check)
        .blockingHandler(this::deadLetters, false);
    router
        .post("/console/api/dead-letters/:partition/:offset/redrive")
        .handler(auth::check)
        .blockingHandler(this::redrive, false);
  }

  private void serve(RoutingContext ctx, String name, String type) {
    ctx.response()
        .putHeader("Content-Type", type)
        .putHeader("Content-Security-Policy", CSP)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Cache-Control", "no-cache")
        .end(Buffer.buffer(assets.get(name)));
  }

  private void sagas(RoutingContext ctx) {
    String given = ctx.queryParams().get("status");
    SagaStatus status;
    try {
      status = SagaStatus.valueOf(given == null ? "STUCK" : given);
    } catch (IllegalArgumentException e) {
      invalid(
          ctx,
          "status",
          "must be one of " + Arrays.toString(SagaStatus.values()) + ", got " + given);
      return;
    }
    Integer limit = limit(ctx);
    if (limit == null) {
      return;
    }
    respond(
        ctx,
        store
            .countsByStatus()
            .flatMap(
                counts ->
                    store
                        .byStatus(status, limit)
                        .map(
                            found ->
                                (Object)
                                    new Overview(
                                        counts,
                                        status.name(),
                                        found.stream().map(SagaView::of).toList()))));
  }

  private void order(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    respond(
        ctx,
        store
            .load(id)
            .flatMap(
                found -> {
                  if (found.isEmpty()) {
                    throw FunctionException.badEvent(
                        new Problem(
                            PROBLEMS + "saga-not-found",
                            "Saga not found",
                            404,
                            "no saga " + id,
                            null));
                  }
                  return Uni.combine()
                      .all()
                      .unis(store.timeline(id), parts.of(id))
                      .with(
                          (t, p) ->
                              (Object)
                                  new OrderView(
                                      SagaView.of(found.get()),
                                      t,
                                      p.payment(),
                                      p.reservation(),
                                      p.notifications()));
                }));
  }

  private void deadLetters(RoutingContext ctx) {
    Integer limit = limit(ctx);
    if (limit != null) {
      blocking(ctx, () -> deadLetters.latest(limit));
    }
  }

  private void redrive(RoutingContext ctx) {
    int partition;
    long offset;
    try {
      partition = Integer.parseInt(ctx.pathParam("partition"));
    } catch (NumberFormatException e) {
      invalid(ctx, "path", "partition", "must be a number, got " + ctx.pathParam("partition"));
      return;
    }
    try {
      offset = Long.parseLong(ctx.pathParam("offset"));
    } catch (NumberFormatException e) {
      invalid(ctx, "path", "offset", "must be a number, got " + ctx.pathParam("offset"));
      return;
    }
    blocking(ctx, () -> deadLetters.redrive(partition, offset));
  }

  /** The {@code limit} query parameter, or null once a problem is answered. */
  private static Integer limit(RoutingContext ctx) {
    String given = ctx.queryParams().get("limit");
    int limit;
    try {
      limit = given == null ? DEFAULT_LIMIT : Integer.parseInt(given);
    } catch (NumberFormatException e) {
      limit = -1;
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      invalid(ctx, "limit", "must be a number from 1 to " + MAX_LIMIT + ", got " + given);
      return null;
    }
    return limit;
  }

  private static void invalid(RoutingContext ctx, String field, String detail) {
    invalid(ctx, "query", field, detail);
  }

  private static void invalid(RoutingContext ctx, String in, String field, String detail) {
    JsonReplies.problem(
        ctx.response(),
        new Problem(
            PROBLEMS + "invalid-query",
            "Invalid query",
            400,
            field + " " + detail,
            List.of(new Problem.FieldError(in, field, detail))));
  }

  private static void blocking(RoutingContext ctx, Supplier<Object> work) {
    try {
      JsonReplies.json(ctx.response(), 200, work.get());
    } catch (RuntimeException failure) {
      fail(ctx, failure);
    }
  }

  private static void respond(RoutingContext ctx, Uni<Object> body) {
    body.subscribe()
        .with(value -> JsonReplies.json(ctx.response(), 200, value), failure -> fail(ctx, failure));
  }

  private static void fail(RoutingContext ctx, Throwable failure) {
    FunctionException e = FunctionException.classify(failure);
    if (e.kind() != FunctionException.Kind.BAD_EVENT) {
      LOG.errorf(failure, "%s %s failed", ctx.request().method(), ctx.request().path());
    }
    JsonReplies.problem(ctx.response(), e.problem());
  }

  private static byte[] asset(String name) {
    try (InputStream in =
        ConsoleApi.class.getClassLoader().getResourceAsStream("console/" + name)) {
      if (in == null) {
        throw new IllegalStateException("console/" + name + " is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
