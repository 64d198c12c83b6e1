package com.bookstore.timeouts;

import com.bookstore.kit.Answer;
import com.bookstore.kit.CloudEventFunction;
import com.bookstore.kit.FunctionException;
import com.bookstore.kit.InboundEvent;
import com.bookstore.kit.Problem;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * saga-timeouts takes no events: the routing table gives it none, so the kit's ingress refuses
 * every CloudEvent on {@code POST /} before it gets here (a Knative ping is the exception, answered
 * by {@link SweepRoutes}). The kit's pipeline needs a function all the same; this one says why
 * there is nothing to do.
 */
@ApplicationScoped
public class SagaTimeoutsFunction implements CloudEventFunction {

  @Override
  public Uni<Answer> handle(InboundEvent event) {
    return Uni.createFrom()
        .failure(
            FunctionException.badEvent(
                Problem.Kind.UNKNOWN_EVENT_TYPE,
                "saga-timeouts takes no events; POST /sweep (or a Knative ping) runs a sweep"));
  }
}
