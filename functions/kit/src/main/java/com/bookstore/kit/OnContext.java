package com.bookstore.kit;

import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/**
 * Runs reactive work on a Vert.x duplicated context. Hibernate Reactive and the Redis client must
 * run there; Funqy HTTP calls functions on a worker thread.
 */
public final class OnContext {
  private OnContext() {}

  public static <T> Uni<T> run(Vertx vertx, Supplier<Uni<T>> work) {
    Context current = Vertx.currentContext();
    if (current != null
        && VertxContext.isDuplicatedContext(current)
        && Context.isOnEventLoopThread()) {
      return Uni.createFrom().deferred(work::get);
    }
    return on(VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext()), work);
  }

  /** Runs the work on the given duplicated context, which belongs to this call alone. */
  public static <T> Uni<T> on(Context context, Supplier<Uni<T>> work) {
    return Uni.createFrom()
        .emitter(
            emitter -> {
              // The caller's trace goes along (a Funqy call's request span, say). Not closed: the
              // duplicated context is this call's alone.
              io.opentelemetry.context.Context trace = io.opentelemetry.context.Context.current();
              context.runOnContext(
                  x -> {
                    try {
                      if (Tracing.carriesTrace(trace)) {
                        trace.makeCurrent();
                      }
                      VertxContextSafetyToggle.setCurrentContextSafe(true);
                      work.get().subscribe().with(emitter::complete, emitter::fail);
                    } catch (RuntimeException e) {
                      emitter.fail(e);
                    }
                  });
            });
  }
}
