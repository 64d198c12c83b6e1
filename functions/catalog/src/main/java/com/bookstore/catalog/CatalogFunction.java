package com.bookstore.catalog;

import com.bookstore.kit.Answer;
import com.bookstore.kit.CloudEventFunction;
import com.bookstore.kit.FunctionException;
import com.bookstore.kit.InboundEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The kit's event entry, which catalog does not use: it is triggered by HTTP and gRPC, and its
 * route takes no event types, so the kit refuses every CloudEvent (400 unknown-event-type) before
 * it gets here.
 */
@ApplicationScoped
public class CatalogFunction implements CloudEventFunction {

  @Override
  public Uni<Answer> handle(InboundEvent event) {
    return Uni.createFrom()
        .failure(FunctionException.fatal("catalog takes no events, got " + event.type(), null));
  }
}
