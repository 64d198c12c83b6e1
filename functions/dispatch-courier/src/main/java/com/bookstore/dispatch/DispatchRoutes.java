package com.bookstore.dispatch;

import com.bookstore.events.EventJson;
import com.bookstore.kit.Digests;
import com.bookstore.kit.FunctionException;
import com.bookstore.kit.JsonReplies;
import com.bookstore.kit.Problem;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * HTTP/JSON beside the CloudEvents:
 *
 * <ul>
 *   <li>{@code GET /deliveries/{orderId}}: a delivery's state, courier, attempts, last known
 *       location and every step with its time;
 *   <li>{@code GET /couriers}: the couriers, their zones, capacity, availability and load;
 *   <li>{@code PUT /admin/couriers/{id}} {@code {name, zones, capacity, available?}}: adds or
 *       changes a courier (201 added, 200 changed);
 *   <li>{@code PUT /admin/couriers/{id}/availability} {@code {available}}: whether the courier
 *       takes new deliveries (their current ones stay theirs).
 * </ul>
 *
 * The admin routes want {@code Authorization: Bearer <dispatch.admin-token>}. Errors are RFC 9457
 * problems naming the field at fault.
 */
@ApplicationScoped
public class DispatchRoutes {
  private static final Logger LOG = Logger.getLogger(DispatchRoutes.class);
  private static final String PROBLEMS = "https://bookstore.example.com/problems/";
  private static final String BEARER = "Bearer ";

  private final Dispatcher dispatcher;
  private final Couriers couriers;
  private final byte[] tokenDigest;

  DispatchRoutes(Dispatcher dispatcher, Couriers couriers, DispatchConfig config) {
    this.dispatcher = dispatcher;
    this.couriers = couriers;
    this.tokenDigest =
        config.adminToken().filter(t -> !t.isBlank()).map(DispatchRoutes::digest).orElse(null);
    if (tokenDigest == null) {
      LOG.warn("no dispatch.admin-token (DISPATCH_ADMIN_TOKEN): the couriers' admin API is closed");
    }
  }

  /** What {@code GET /deliveries/{orderId}} answers. */
  @RegisterForReflection
  public record DeliveryView(
      String orderId,
      String status,
      String zone,
      Address address,
      String courierId,
      int attempts,
      List<String> couriersTried,
      Instant pickupDeadline,
      Delivery.Location lastLocation,
      String reason,
      List<Dispatcher.Step> steps) {}

  @RegisterForReflection
  public record Address(String street, String city, String postcode) {}

  void routes(@Observes Router router) {
    router.get("/deliveries/:id").handler(this::delivery);
    router.get("/couriers").handler(ctx -> respond(ctx, 200, couriers.all().map(l -> (Object) l)));
    router
        .put("/admin/couriers/:id/availability")
        // bodies are small and bounded, so reading one before the token check costs little
        .handler(BodyHandler.create().setBodyLimit(4096))
        .handler(this::authorize)
        .handler(this::availability);
    router
        .put("/admin/couriers/:id")
        .handler(BodyHandler.create().setBodyLimit(16384))
        .handler(this::authorize)
        .handler(this::putCourier);
  }

  private void delivery(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    respond(
        ctx,
        200,
        dispatcher
            .find(id)
            .flatMap(
                found -> {
                  Delivery d =
                      found.orElseThrow(
                          () ->
                              FunctionException.badEvent(
                                  new Problem(
                                      PROBLEMS + "delivery-not-found",
                                      "Delivery not found",
                                      404,
                                      "no delivery for order " + id,
                                      null)));
                  return dispatcher
                      .steps(id)
                      .map(
                          steps ->
                              (Object)
                                  new DeliveryView(
                                      d.orderId(),
                                      d.status().name(),
                                      d.zone(),
                                      new Address(d.street(), d.city(), d.postcode()),
                                      d.courierId(),
                                      d.attempts(),
                                      d.tried(),
                                      d.pickupDeadline(),
                                      d.location(),
                                      d.reason(),
                                      steps));
                }));
  }

  private void putCourier(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    JsonNode body = json(ctx);
    if (body == null) {
      return;
    }
    List<Problem.FieldError> errors = new ArrayList<>();
    if (!id.matches("[A-Za-z0-9._-]{1,100}")) {
      errors.add(new Problem.FieldError("path", "id", "1 to 100 letters, digits, '.', '_' or '-'"));
    }
    String name = body.path("name").asText("");
    if (name.isBlank() || name.length() > 100) {
      errors.add(new Problem.FieldError("body", "/name", "1 to 100 characters"));
    }
    List<String> zones = new ArrayList<>();
    JsonNode z = body.path("zones");
    if (!z.isArray() || z.isEmpty() || z.size() > 100) {
      errors.add(new Problem.FieldError("body", "/zones", "an array of 1 to 100 zones"));
    } else {
      for (int i = 0; i < z.size(); i++) {
        String zone = z.get(i).asText("");
        if (!zone.matches("[A-Z0-9]{1,4}")) {
          errors.add(
              new Problem.FieldError(
                  "body", "/zones/" + i, "a zone is 1 to 4 upper-case letters or digits"));
        }
        zones.add(zone);
      }
    }
    JsonNode capacity = body.path("capacity");
    if (!capacity.canConvertToInt()
        || !capacity.isIntegralNumber()
        || capacity.asInt() < 0
        || capacity.asInt() > 1000) {
      errors.add(new Problem.FieldError("body", "/capacity", "an integer from 0 to 1000"));
    }
    JsonNode available = body.path("available");
    if (!available.isMissingNode() && !available.isBoolean()) {
      errors.add(new Problem.FieldError("body", "/available", "true or false"));
    }
    if (!errors.isEmpty()) {
      invalid(ctx, "the courier is not valid", errors);
      return;
    }
    couriers
        .put(id, name.strip(), zones, capacity.asInt(), available.asBoolean(true))
        .subscribe()
        .with(
            put -> JsonReplies.json(ctx.response(), put.added() ? 201 : 200, put.courier()),
            failure -> failed(ctx, failure));
  }

  private void availability(RoutingContext ctx) {
    JsonNode body = json(ctx);
    if (body == null) {
      return;
    }
    JsonNode available = body.path("available");
    if (!available.isBoolean()) {
      invalid(
          ctx,
          "say whether the courier takes new deliveries",
          List.of(new Problem.FieldError("body", "/available", "true or false")));
      return;
    }
    String id = ctx.pathParam("id");
    respond(
        ctx,
        200,
        couriers
            .setAvailable(id, available.asBoolean())
            .map(
                c ->
                    (Object)
                        c.orElseThrow(
                            () ->
                                FunctionException.badEvent(
                                    new Problem(
                                        PROBLEMS + "courier-not-found",
                                        "Courier not found",
                                        404,
                                        "no courier " + id,
                                        null)))));
  }

  private void authorize(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    String why = null;
    if (tokenDigest == null) {
      why = "the admin API is closed: no dispatch.admin-token (DISPATCH_ADMIN_TOKEN) is configured";
    } else if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      why = "send Authorization: Bearer <dispatch admin token>";
    } else if (!MessageDigest.isEqual(
        tokenDigest, digest(header.substring(BEARER.length()).strip()))) {
      why = "the bearer token is not the admin token";
    }
    if (why != null) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer");
      JsonReplies.problem(
          ctx.response(), new Problem(PROBLEMS + "unauthorized", "Unauthorized", 401, why, null));
      return;
    }
    ctx.next();
  }

  private static JsonNode json(RoutingContext ctx) {
    try {
      JsonNode body =
          EventJson.mapper().readTree(ctx.body().asString(StandardCharsets.UTF_8.name()));
      if (body == null || !body.isObject()) {
        invalid(
            ctx,
            "the body must be a JSON object",
            List.of(new Problem.FieldError("body", "/", "not a JSON object")));
        return null;
      }
      return body;
    } catch (Exception e) {
      JsonReplies.problem(
          ctx.response(),
          Problem.of(Problem.Kind.MALFORMED_JSON, "the body is not JSON: " + e.getMessage()));
      return null;
    }
  }

  private static void invalid(RoutingContext ctx, String detail, List<Problem.FieldError> errors) {
    JsonReplies.problem(
        ctx.response(),
        new Problem(PROBLEMS + "invalid-courier", "Invalid courier", 400, detail, errors));
  }

  private static void respond(RoutingContext ctx, int status, Uni<Object> body) {
    body.subscribe()
        .with(value -> JsonReplies.json(ctx.response(), status, value), f -> failed(ctx, f));
  }

  private static void failed(RoutingContext ctx, Throwable failure) {
    FunctionException e = FunctionException.classify(failure);
    if (e.kind() != FunctionException.Kind.BAD_EVENT) {
      LOG.errorf(failure, "%s %s failed", ctx.request().method(), ctx.request().path());
    }
    JsonReplies.problem(ctx.response(), e.problem());
  }

  private static byte[] digest(String token) {
    return Digests.sha256Hex(token).getBytes(StandardCharsets.US_ASCII);
  }
}
