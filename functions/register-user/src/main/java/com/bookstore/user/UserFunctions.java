package com.bookstore.user;

import com.bookstore.events.EventTypes;
import com.bookstore.events.user.RegisterUser;
import com.bookstore.events.user.UserRegistered;
import com.bookstore.events.user.UserRegistrationRejected;
import com.bookstore.kit.OnContext;
import io.quarkus.funqy.Funq;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.UUID;

/**
 * Plain JSON over HTTP (Funqy): {@code POST /register}, {@code /login}, {@code /logout}, {@code
 * /session}. Refusals are answers with an outcome, not errors, as on the event side.
 */
public class UserFunctions {
  private final UserService users;
  private final Sessions sessions;
  private final Vertx vertx;

  UserFunctions(UserService users, Sessions sessions, Vertx vertx) {
    this.users = users;
    this.sessions = sessions;
    this.vertx = vertx;
  }

  /** {@code type} is the event type the CloudEvent ingress would answer with. */
  public record RegistrationAnswer(
      String type, UserRegistered registered, UserRegistrationRejected rejected) {}

  public record Credentials(String email, String password) {}

  public record TokenRequest(String token) {}

  public record LoginAnswer(boolean ok, String token, String userId, Instant expiresAt) {}

  public record LogoutAnswer(boolean revoked) {}

  public record SessionAnswer(boolean valid, String userId, String email, Instant expiresAt) {}

  @Funq("register")
  public Uni<RegistrationAnswer> register(RegisterUser command) {
    // A plain call has no event id: each call is its own command.
    String key = RegisterUserFunction.commandKey("plain-http\n" + UUID.randomUUID());
    return OnContext.run(vertx, () -> users.register(command, key))
        .map(
            outcome ->
                outcome instanceof UserService.Registered r
                    ? new RegistrationAnswer(EventTypes.USER_REGISTERED, r.fact(), null)
                    : new RegistrationAnswer(
                        EventTypes.USER_REGISTRATION_REJECTED,
                        null,
                        ((UserService.Rejected) outcome).fact()));
  }

  @Funq("login")
  public Uni<LoginAnswer> login(Credentials credentials) {
    return OnContext.run(vertx, () -> users.login(credentials.email(), credentials.password()))
        .map(
            opened ->
                opened
                    .map(
                        o ->
                            new LoginAnswer(
                                true, o.token(), o.session().userId(), o.session().expiresAt()))
                    .orElseGet(() -> new LoginAnswer(false, null, null, null)));
  }

  @Funq("logout")
  public Uni<LogoutAnswer> logout(TokenRequest request) {
    return OnContext.run(vertx, () -> sessions.revoke(request.token())).map(LogoutAnswer::new);
  }

  @Funq("session")
  public Uni<SessionAnswer> session(TokenRequest request) {
    return OnContext.run(vertx, () -> sessions.check(request.token()))
        .map(
            s ->
                s.map(v -> new SessionAnswer(true, v.userId(), v.email(), v.expiresAt()))
                    .orElseGet(() -> new SessionAnswer(false, null, null, null)));
  }
}
