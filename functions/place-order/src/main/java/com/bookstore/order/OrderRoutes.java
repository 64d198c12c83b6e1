package com.bookstore.order;

import com.bookstore.kit.CloudEventCodec;
import com.bookstore.kit.JsonReplies;
import com.bookstore.kit.Problem;
import com.bookstore.kit.SessionCheck;
import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The customers' order API, on the event loop (Redis, gRPC and PostgreSQL are all non-blocking):
 *
 * <ul>
 *   <li>{@code POST /orders} with {@code Authorization: Bearer <token>}, optional {@code
 *       Idempotency-Key}, body {@code {items: [{isbn, quantity}], paymentMethod, deliveryAddress?:
 *       {street, city, postcode}}}: 202 with the order and a {@code Location} header.
 *   <li>{@code GET /orders/{orderId}}: the customer's own order with its history; 404 for anyone
 *       else's.
 * </ul>
 *
 * Every refusal is an RFC 9457 problem naming what is wrong.
 */
@ApplicationScoped
public class OrderRoutes {
  private static final Logger LOG = Logger.getLogger(OrderRoutes.class);
  private static final String BEARER = "Bearer ";
  static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  /**
   * Printable ASCII, as the IETF Idempotency-Key draft expects; long enough for any UUID scheme.
   */
  private static final Pattern KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");

  private final SessionCheck sessions;
  private final OrderService orders;
  private final OrderConfig config;

  OrderRoutes(SessionCheck sessions, OrderService orders, OrderConfig config) {
    this.sessions = sessions;
    this.orders = orders;
    this.config = config;
  }

  void routes(@Observes Router router) {
    router
        .post("/orders")
        .handler(BodyHandler.create(false).setBodyLimit(config.maxBodySize()))
        .handler(this::place)
        .failureHandler(this::failure);
    router.get("/orders/:orderId").handler(this::find).failureHandler(this::failure);
  }

  private void place(RoutingContext ctx) {
    String contentType = ctx.request().getHeader("Content-Type");
    byte[] body = ctx.body().buffer() == null ? null : ctx.body().buffer().getBytes();
    String key = ctx.request().getHeader(IDEMPOTENCY_KEY);
    customer(ctx)
        .flatMap(
            customer -> {
              if (contentType != null && !CloudEventCodec.isJson(contentType)) {
                throw OrderProblem.of(
                    Problem.Kind.UNSUPPORTED_CONTENT_TYPE,
                    "the order must be JSON, got " + contentType,
                    List.of(
                        new Problem.FieldError(
                            "header", "Content-Type", "must be application/json")));
              }
              Cart cart = OrderForm.parse(body);
              if (key != null && !KEY.matcher(key).matches()) {
                throw OrderProblem.invalidHeader(
                    IDEMPOTENCY_KEY, "must be 1 to 255 printable ASCII characters without spaces");
              }
              return orders.place(customer, cart, key);
            })
        .subscribe()
        .with(
            placed -> {
              HttpServerResponse response = ctx.response();
              if (placed.replayed()) {
                response.putHeader("Idempotent-Replayed", "true");
              }
              respond(
                  response.putHeader("Location", "/orders/" + placed.order().orderId()),
                  202,
                  placed.order().summary());
            },
            failure -> fail(ctx, failure));
  }

  private void find(RoutingContext ctx) {
    String orderId = ctx.pathParam("orderId");
    customer(ctx)
        .flatMap(customer -> orders.find(orderId, customer))
        .subscribe()
        .with(
            order -> {
              if (order.isEmpty()) {
                fail(ctx, OrderProblem.notFound(orderId));
              } else {
                respond(ctx.response(), 200, order.get().withHistory());
              }
            },
            failure -> fail(ctx, failure));
  }

  /** The session of the bearer token; an {@link OrderProblem} 401 when there is none. */
  private Uni<SessionCheck.Session> customer(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    String token =
        header != null && header.startsWith(BEARER) ? header.substring(BEARER.length()) : null;
    return sessions
        .check(token)
        .map(
            session ->
                session
                    .filter(s -> s.expiresAt() == null || s.expiresAt().isAfter(Instant.now()))
                    .orElseThrow(OrderProblem::noSession));
  }

  private void fail(RoutingContext ctx, Throwable failure) {
    Problem problem;
    if (failure instanceof OrderProblem p) {
      problem = p.problem();
    } else {
      // Redis or PostgreSQL did not answer: the request may be repeated (with its Idempotency-Key).
      LOG.errorf(failure, "%s %s failed", ctx.request().method(), ctx.request().path());
      problem =
          Problem.of(
              Problem.Kind.UNAVAILABLE, "the order service cannot answer right now; try again");
    }
    HttpServerResponse response = ctx.response();
    if (problem.status() == 401) {
      response.putHeader("WWW-Authenticate", "Bearer");
    }
    if (problem.status() == 503) {
      response.putHeader("Retry-After", "1");
    }
    JsonReplies.problem(response, problem);
  }

  /** Vert.x failures before the handler ran (the body over its limit). */
  private void failure(RoutingContext ctx) {
    if (ctx.statusCode() == 413) {
      JsonReplies.problem(
          ctx.response(),
          Problem.of(
              Problem.Kind.PAYLOAD_TOO_LARGE,
              "the body is larger than " + config.maxBodySize() + " bytes",
              List.of(new Problem.FieldError("body", "/", "too large"))));
    } else {
      LOG.errorf(ctx.failure(), "%s %s failed", ctx.request().method(), ctx.request().path());
      JsonReplies.problem(ctx.response(), Problem.of(Problem.Kind.INTERNAL, "unexpected failure"));
    }
  }

  private static void respond(HttpServerResponse response, int status, JsonNode body) {
    JsonReplies.json(response, status, body);
  }
}
