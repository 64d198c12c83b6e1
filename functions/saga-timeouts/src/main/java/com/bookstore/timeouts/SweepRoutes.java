package com.bookstore.timeouts;

import com.bookstore.kit.JsonReplies;
import com.bookstore.kit.KitConfig;
import com.bookstore.kit.Problem;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The HTTP triggers of a sweep. {@code POST /sweep} takes any body, or none (a Knative PingSource's
 * CloudEvent, a curl, a CronJob), and answers {@code 200 {sagasOverdue, holdsExpired, skipped}}. A
 * ping CloudEvent ({@code ce-type: dev.knative.sources.ping}) on {@code POST /} does the same, for
 * a PingSource whose sink is the Service itself; every other CloudEvent on {@code POST /} goes on
 * to the kit's ingress, which refuses it (saga-timeouts takes no events).
 */
@ApplicationScoped
public class SweepRoutes {
  private static final Logger LOG = Logger.getLogger(SweepRoutes.class);

  /** The type of the CloudEvents a Knative PingSource sends. */
  public static final String PING = "dev.knative.sources.ping";

  private static final String IS_PING = "saga-timeouts.ping";

  private final Sweeper sweeper;
  private final KitConfig config;

  SweepRoutes(Sweeper sweeper, KitConfig config) {
    this.sweeper = sweeper;
    this.config = config;
  }

  void routes(@Observes Router router) {
    BodyHandler body = BodyHandler.create(false).setBodyLimit(config.ingress().maxBodySize());
    router.post("/sweep").handler(body).handler(this::sweep).failureHandler(this::failure);
    // Before the kit's ingress (order -100). Only a ping is read here; anything else passes on
    // with its body unread.
    router
        .post("/")
        .order(-200)
        .handler(
            ctx -> {
              if (PING.equals(ctx.request().getHeader("ce-type"))) {
                ctx.put(IS_PING, true);
                body.handle(ctx);
              } else {
                ctx.next();
              }
            })
        .handler(ctx -> ifPing(ctx, this::sweep))
        .failureHandler(ctx -> ifPing(ctx, this::failure));
  }

  private static void ifPing(RoutingContext ctx, java.util.function.Consumer<RoutingContext> then) {
    if (Boolean.TRUE.equals(ctx.get(IS_PING))) {
      then.accept(ctx);
    } else {
      ctx.next();
    }
  }

  private void sweep(RoutingContext ctx) {
    sweeper
        .sweep()
        .subscribe()
        .with(
            result -> JsonReplies.json(ctx.response(), 200, result),
            failure -> {
              LOG.warnf("sweep failed: %s", failure.toString());
              JsonReplies.problem(
                  ctx.response(),
                  Problem.of(
                      Problem.Kind.UNAVAILABLE,
                      "the sweep failed and changed nothing; try again: " + failure.getMessage()));
            });
  }

  private void failure(RoutingContext ctx) {
    if (ctx.statusCode() == 413) {
      JsonReplies.problem(
          ctx.response(),
          Problem.of(
              Problem.Kind.PAYLOAD_TOO_LARGE,
              "the body is larger than " + config.ingress().maxBodySize() + " bytes",
              List.of(new Problem.FieldError("body", "/", "too large"))));
    } else {
      LOG.errorf(ctx.failure(), "sweep request failed");
      JsonReplies.problem(ctx.response(), Problem.of(Problem.Kind.INTERNAL, "unexpected failure"));
    }
  }
}
