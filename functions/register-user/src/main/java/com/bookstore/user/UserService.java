package com.bookstore.user;

import com.bookstore.events.user.RegisterUser;
import com.bookstore.events.user.UserRegistered;
import com.bookstore.events.user.UserRegistrationRejected;
import com.bookstore.events.user.UserRegistrationRejected.Reason;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;

/**
 * Registration and login. PostgreSQL guards what Redis also guards: one row per registering command
 * (a redelivery finds its own row and gets the same answer) and one account per e-mail.
 */
@ApplicationScoped
public class UserService {

  /** The answer to a registration: one of two facts. */
  public sealed interface Outcome permits Registered, Rejected {}

  public record Registered(UserRegistered fact) implements Outcome {}

  public record Rejected(UserRegistrationRejected fact) implements Outcome {}

  private final RegistrationPolicy policy;
  private final PasswordHasher hasher;
  private final Sessions sessions;
  private final Vertx vertx;

  UserService(UserConfig config, Sessions sessions, Vertx vertx) {
    this.policy = new RegistrationPolicy(config.minPasswordLength());
    this.hasher = new PasswordHasher(config.bcryptCost());
    this.sessions = sessions;
    this.vertx = vertx;
  }

  /**
   * @param commandKey identifies the registering command (its event's source and id); the same key
   *     always gets the same account
   */
  public Uni<Outcome> register(RegisterUser command, String commandKey) {
    Optional<UserRegistrationRejected> refused = policy.check(command);
    if (refused.isPresent()) {
      return Uni.createFrom().item(new Rejected(refused.get()));
    }
    String email = RegistrationPolicy.normalize(command.email());
    return existing(command, commandKey, email)
        .flatMap(
            found ->
                found.isPresent()
                    ? Uni.createFrom().item(found.get())
                    : hashAndInsert(command, commandKey, email));
  }

  private Uni<Optional<Outcome>> existing(RegisterUser command, String commandKey, String email) {
    return Panache.withSession(
        () ->
            UserAccount.<UserAccount>find("commandKey", commandKey)
                .firstResult()
                .flatMap(
                    mine ->
                        mine != null
                            ? Uni.createFrom().item(Optional.<Outcome>of(registered(mine)))
                            : UserAccount.<UserAccount>find("emailNormalized", email)
                                .firstResult()
                                .map(
                                    other ->
                                        other == null
                                            ? Optional.<Outcome>empty()
                                            : Optional.<Outcome>of(taken(command)))));
  }

  private Uni<Outcome> hashAndInsert(RegisterUser command, String commandKey, String email) {
    return vertx
        .executeBlocking(Uni.createFrom().item(() -> hasher.hash(command.password())))
        .flatMap(
            hash -> {
              UserAccount account = new UserAccount();
              account.id = UUID.randomUUID();
              account.email = command.email().trim();
              account.emailNormalized = email;
              account.passwordHash = hash;
              account.displayName = command.displayName();
              account.registeredAt =
                  OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
              account.commandKey = commandKey;
              return Panache.withTransaction(account::persist).replaceWith(account);
            })
        .map(UserService::registered)
        .onFailure(UserService::uniqueViolation)
        // Lost a race: to a redelivery of the same command, or to another command for this e-mail.
        .recoverWithUni(
            () ->
                existing(command, commandKey, email)
                    .map(found -> found.orElseGet(() -> taken(command))));
  }

  /** Opens a session when the password matches; empty otherwise (same time either way). */
  public Uni<Optional<Sessions.Opened>> login(String email, String password) {
    if (email == null || password == null) {
      return Uni.createFrom().item(Optional.empty());
    }
    return Panache.withSession(
            () ->
                UserAccount.<UserAccount>find(
                        "emailNormalized", RegistrationPolicy.normalize(email))
                    .firstResult())
        .flatMap(
            account ->
                vertx
                    .executeBlocking(
                        Uni.createFrom()
                            .item(
                                () ->
                                    hasher.matches(
                                        password, account == null ? null : account.passwordHash)))
                    .flatMap(
                        ok ->
                            ok && account != null
                                ? sessions
                                    .open(account.id.toString(), account.email)
                                    .map(Optional::of)
                                : Uni.createFrom().item(Optional.empty())));
  }

  private static Outcome registered(UserAccount account) {
    return new Registered(
        new UserRegistered(
            account.id.toString(),
            account.email,
            account.displayName,
            account.registeredAt.toInstant()));
  }

  private static Outcome taken(RegisterUser command) {
    return new Rejected(
        new UserRegistrationRejected(
            command.email(),
            Reason.EMAIL_TAKEN,
            "an account with this e-mail address already exists"));
  }

  static boolean uniqueViolation(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof org.hibernate.exception.ConstraintViolationException) {
        return true;
      }
      if (t instanceof io.vertx.pgclient.PgException pg && "23505".equals(pg.getSqlState())) {
        return true;
      }
    }
    return false;
  }
}
