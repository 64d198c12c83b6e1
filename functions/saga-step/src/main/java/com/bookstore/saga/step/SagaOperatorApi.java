package com.bookstore.saga.step;

import com.bookstore.kit.CloudEvent;
import com.bookstore.kit.EventPublisher;
import com.bookstore.kit.FunctionException;
import com.bookstore.kit.JsonReplies;
import com.bookstore.kit.Problem;
import com.bookstore.kit.saga.Ignored;
import com.bookstore.saga.store.SagaRunner;
import com.bookstore.saga.store.SagaStore;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * What an operator needs for the order saga, over plain HTTP/JSON:
 *
 * <ul>
 *   <li>{@code GET /sagas/{id}}: the saga with its steps;
 *   <li>{@code GET /sagas?status=STUCK[&limit=N]}: the stuck sagas, longest stuck first (the one
 *       query the {@code saga_stuck} index serves);
 *   <li>{@code POST /sagas/{id}/resume}: one more attempt of a stuck saga's command, once its cause
 *       is fixed; the command is published at once.
 * </ul>
 *
 * Every route wants the operators' bearer token ({@link OperatorAuth}). Errors are RFC 9457
 * problems. Everything runs on the event loop: the store is non-blocking.
 */
@ApplicationScoped
public class SagaOperatorApi {
  private static final Logger LOG = Logger.getLogger(SagaOperatorApi.class);
  private static final String PROBLEMS = "https://bookstore.example.com/problems/";
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;

  private final SagaStore store;
  private final SagaRunner sagas;
  private final EventPublisher publisher;

  private final OperatorAuth auth;

  SagaOperatorApi(SagaStore store, SagaRunner sagas, EventPublisher publisher, OperatorAuth auth) {
    this.store = store;
    this.sagas = sagas;
    this.publisher = publisher;
    this.auth = auth;
  }

  /** The outcome of a resume: the saga after it and the events that were published. */
  @RegisterForReflection
  public record Resumed(SagaView saga, List<Sent> sent) {}

  @RegisterForReflection
  public record Sent(String type, String id) {}

  void routes(@Observes Router router) {
    router.get("/sagas/:id").handler(auth::check).handler(this::one);
    router.get("/sagas").handler(auth::check).handler(this::stuck);
    router.post("/sagas/:id/resume").handler(auth::check).handler(this::resume);
  }

  private void one(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    respond(
        ctx,
        store
            .load(id)
            .map(found -> found.map(s -> (Object) SagaView.of(s)).orElseThrow(() -> notFound(id))));
  }

  private void stuck(RoutingContext ctx) {
    String status = ctx.queryParams().get("status");
    if (!"STUCK".equals(status)) {
      problem(
          ctx,
          new Problem(
              PROBLEMS + "invalid-query",
              "Invalid query",
              400,
              "sagas are listed by status STUCK only; other sagas are found by id",
              List.of(
                  new Problem.FieldError(
                      "query",
                      "status",
                      status == null ? "is missing" : "must be STUCK, got " + status))));
      return;
    }
    int limit;
    String given = ctx.queryParams().get("limit");
    try {
      limit = given == null ? DEFAULT_LIMIT : Integer.parseInt(given);
    } catch (NumberFormatException e) {
      limit = -1;
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      problem(
          ctx,
          new Problem(
              PROBLEMS + "invalid-query",
              "Invalid query",
              400,
              "limit must be a number from 1 to " + MAX_LIMIT,
              List.of(new Problem.FieldError("query", "limit", "got " + given))));
      return;
    }
    respond(
        ctx, store.stuck(limit).map(found -> (Object) found.stream().map(SagaView::of).toList()));
  }

  private void resume(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    respond(
        ctx,
        sagas
            .resume(id)
            .flatMap(
                resumed -> {
                  if (resumed.saga().isEmpty()) {
                    throw notFound(id);
                  }
                  if (resumed.ignored().isPresent()) {
                    throw notStuck(id, resumed.ignored().get());
                  }
                  List<Sent> sent =
                      resumed.answer().events().stream()
                          .map((CloudEvent e) -> new Sent(e.type(), e.id()))
                          .toList();
                  // The state is stored: if this publish fails, the saga's new deadline makes
                  // the sweep send the command again.
                  return publisher
                      .publish(resumed.answer())
                      .replaceWith((Object) new Resumed(SagaView.of(resumed.saga().get()), sent));
                }));
  }

  private static FunctionException notFound(String id) {
    return FunctionException.badEvent(
        new Problem(PROBLEMS + "saga-not-found", "Saga not found", 404, "no saga " + id, null));
  }

  private static FunctionException notStuck(String id, Ignored ignored) {
    return FunctionException.badEvent(
        new Problem(
            PROBLEMS + "saga-not-stuck",
            "Saga not stuck",
            409,
            "saga " + id + " cannot be resumed: " + ignored.detail(),
            null));
  }

  private static void respond(RoutingContext ctx, Uni<Object> body) {
    body.subscribe()
        .with(
            value -> json(ctx, 200, "application/json", value),
            failure -> {
              FunctionException e = FunctionException.classify(failure);
              if (e.kind() != FunctionException.Kind.BAD_EVENT) {
                LOG.errorf(failure, "%s %s failed", ctx.request().method(), ctx.request().path());
              }
              problem(ctx, e.problem());
            });
  }

  private static void problem(RoutingContext ctx, Problem problem) {
    json(ctx, problem.status(), Problem.MEDIA_TYPE, problem);
  }

  private static void json(RoutingContext ctx, int status, String contentType, Object value) {
    JsonReplies.write(ctx.response(), status, contentType, value);
  }
}
