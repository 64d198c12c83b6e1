package com.bookstore.user;

import com.bookstore.events.EventTypes;
import com.bookstore.events.user.RegisterUser;
import com.bookstore.kit.Answer;
import com.bookstore.kit.CloudEventFunction;
import com.bookstore.kit.Digests;
import com.bookstore.kit.FunctionException;
import com.bookstore.kit.InboundEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** {@code user.register} -> {@code user.registered} | {@code user.registration-rejected}. */
@ApplicationScoped
public class RegisterUserFunction implements CloudEventFunction {
  private final UserService users;

  RegisterUserFunction(UserService users) {
    this.users = users;
  }

  @Override
  public Uni<Answer> handle(InboundEvent event) {
    if (!EventTypes.USER_REGISTER.equals(event.type())) {
      return Uni.createFrom().failure(FunctionException.fatal("routed " + event.type(), null));
    }
    RegisterUser command = event.data(RegisterUser.class);
    return users
        .register(command, commandKey(event.idempotencyKey()))
        .map(outcome -> Answer.of(answer(event, outcome)));
  }

  static com.bookstore.kit.CloudEvent answer(InboundEvent event, UserService.Outcome outcome) {
    if (outcome instanceof UserService.Registered r) {
      return event.answer(EventTypes.USER_REGISTERED, r.fact().userId(), r.fact());
    }
    UserService.Rejected r = (UserService.Rejected) outcome;
    return event.answer(EventTypes.USER_REGISTRATION_REJECTED, r.fact().email(), r.fact());
  }

  static String commandKey(String idempotencyKey) {
    return Digests.sha256Hex(idempotencyKey);
  }
}
