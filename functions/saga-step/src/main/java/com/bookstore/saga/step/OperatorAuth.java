package com.bookstore.saga.step;

import com.bookstore.kit.JsonReplies;
import com.bookstore.kit.KitConfig;
import com.bookstore.kit.Problem;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The operators' bearer token ({@code bookstore.operator.token}, {@code BOOKSTORE_OPERATOR_TOKEN})
 * in front of every operator route: {@code /sagas...} and the console's {@code /console/api/...}.
 * Without a configured token those routes are disabled (a problem that names the setting), never
 * open. The token is compared as a SHA-256 digest in constant time and never logged.
 */
@ApplicationScoped
public class OperatorAuth {
  private static final Logger LOG = Logger.getLogger(OperatorAuth.class);
  static final String SETTING = "bookstore.operator.token";
  static final String ENV = "BOOKSTORE_OPERATOR_TOKEN";
  private static final String BEARER = "Bearer ";
  private static final String PROBLEMS = "https://bookstore.example.com/problems/";

  private final byte[] digest;

  OperatorAuth(KitConfig config) {
    this.digest =
        config
            .operatorToken()
            .map(String::strip)
            .filter(t -> !t.isEmpty())
            .map(OperatorAuth::sha256)
            .orElse(null);
    if (digest == null) {
      LOG.warnf("no %s (%s) configured: the operator API and console are disabled", SETTING, ENV);
    }
  }

  /** A Vert.x handler: passes on to the next one only with the right bearer token. */
  void check(RoutingContext ctx) {
    if (digest == null) {
      JsonReplies.problem(
          ctx.response(),
          new Problem(
              PROBLEMS + "operator-api-disabled",
              "Operator API disabled",
              403,
              "the operator API is disabled: set "
                  + SETTING
                  + " (environment "
                  + ENV
                  + ") to the operators' bearer token to enable it",
              List.of()));
      return;
    }
    String header = ctx.request().getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      unauthorized(
          ctx,
          header == null ? "is missing" : "must be Bearer <operator token>",
          "send Authorization: Bearer <operator token>");
      return;
    }
    // Digests have equal lengths, so the comparison's time says nothing about the token.
    if (!MessageDigest.isEqual(digest, sha256(header.substring(BEARER.length()).strip()))) {
      unauthorized(ctx, "is not the operator token", "the bearer token is not the operator token");
      return;
    }
    ctx.next();
  }

  private static void unauthorized(RoutingContext ctx, String fieldDetail, String detail) {
    ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"saga-operator\"");
    JsonReplies.problem(
        ctx.response(),
        new Problem(
            PROBLEMS + "unauthorized",
            "Operator token required",
            401,
            detail,
            List.of(new Problem.FieldError("header", "Authorization", fieldDetail))));
  }

  private static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
