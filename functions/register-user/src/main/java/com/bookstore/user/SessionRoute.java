package com.bookstore.user;

import com.bookstore.events.EventJson;
import com.bookstore.kit.SessionCheck;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;

/**
 * {@code GET /sessions/current} with {@code Authorization: Bearer <token>}: the session check as
 * other services and gateways call it, answered on the event loop (one Redis read). 200 with the
 * session, or 401 with a problem body when the token is missing, malformed, expired or revoked.
 */
@ApplicationScoped
public class SessionRoute {
  private static final String BEARER = "Bearer ";
  private static final Buffer UNAUTHORIZED =
      Buffer.buffer(
          "{\"type\":\"https://bookstore.example.com/problems/no-session\",\"title\":\"No session\","
              + "\"status\":401,\"detail\":\"the bearer token is missing, malformed, expired or"
              + " revoked\"}");

  private final Sessions sessions;

  SessionRoute(Sessions sessions) {
    this.sessions = sessions;
  }

  void routes(@Observes Router router) {
    router.get("/sessions/current").handler(this::current);
  }

  private void current(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    String token =
        header != null && header.startsWith(BEARER) ? header.substring(BEARER.length()) : null;
    sessions
        .check(token)
        .subscribe()
        .with(
            session -> {
              if (session.isEmpty()) {
                unauthorized(ctx.response());
                return;
              }
              SessionCheck.Session s = session.get();
              try {
                ctx.response()
                    .putHeader("Content-Type", "application/json")
                    .end(
                        Buffer.buffer(
                            EventJson.mapper()
                                .writeValueAsBytes(
                                    Map.of(
                                        "userId", s.userId(),
                                        "email", s.email(),
                                        "expiresAt", s.expiresAt().toString()))));
              } catch (Exception e) {
                ctx.fail(e);
              }
            },
            ctx::fail);
  }

  private static void unauthorized(HttpServerResponse response) {
    response
        .setStatusCode(401)
        .putHeader("WWW-Authenticate", "Bearer")
        .putHeader("Content-Type", "application/problem+json")
        .end(UNAUTHORIZED);
  }
}
