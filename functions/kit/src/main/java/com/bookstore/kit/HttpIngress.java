package com.bookstore.kit;

import com.bookstore.kit.logging.EventLogContext;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * CloudEvents over HTTP, as the Knative Broker delivers them: {@code POST /} in binary or
 * structured mode. The answer goes back as a binary-mode reply (the Broker routes it on); a bad
 * event gets a 4xx with an RFC 9457 problem body that names the header, attribute or field at
 * fault.
 */
@ApplicationScoped
public class HttpIngress {
  private static final Logger LOG = Logger.getLogger(HttpIngress.class);

  private final EventPipeline pipeline;
  private final KitConfig config;
  private final EventPublisher publisher;
  private final Tracing tracing;

  HttpIngress(EventPipeline pipeline, KitConfig config, EventPublisher publisher, Tracing tracing) {
    this.pipeline = pipeline;
    this.tracing = tracing;
    this.config = config;
    this.publisher = publisher;
  }

  void routes(@Observes Router router) {
    router
        .post("/")
        .order(-100)
        .handler(BodyHandler.create(false).setBodyLimit(config.ingress().maxBodySize()))
        .handler(this::handle)
        .failureHandler(this::failure);
  }

  private void handle(RoutingContext ctx) {
    Decoded decoded;
    try {
      Buffer body = ctx.body().buffer();
      // Quarkus may have read the body already with its own (larger) limit.
      if (body != null && body.length() > config.ingress().maxBodySize()) {
        ctx.fail(413);
        return;
      }
      decoded =
          CloudEventCodec.decode(
              Transport.HTTP,
              entries(ctx.request().headers()),
              body == null ? null : body.getBytes(),
              null);
    } catch (FunctionException e) {
      pipeline.refused(null);
      JsonReplies.problem(ctx.response(), e.problem());
      return;
    }
    // The request runs on its own duplicated context: every line logged while it is handled
    // carries the event's id, type and trace.
    EventLogContext.enter(decoded.event());
    InboundEvent inbound;
    try {
      inbound = pipeline.validate(decoded);
    } catch (FunctionException e) {
      pipeline.refused(decoded.event().type());
      fail(ctx, decoded, e);
      return;
    }
    Span span = startHandling(ctx, decoded.event());
    pipeline
        .process(inbound)
        .subscribe()
        .with(
            answer -> {
              Tracing.end(span, null, null);
              reply(ctx, answer);
            },
            failure -> {
              Tracing.end(span, null, failure);
              fail(ctx, decoded, failure);
            });
  }

  /**
   * The handling span: a child of the request's server span when the request carried a {@code
   * traceparent} header (the hop's context), or when the event carries no trace of its own. An
   * event whose {@code traceparent} attribute names a trace, sent without the header (a producer
   * that does not trace, a Broker that drops it), is handled in the event's trace, linked to the
   * request's span. Made current on the request's own duplicated context, and not closed.
   */
  private Span startHandling(RoutingContext ctx, CloudEvent event) {
    Span server = Span.current();
    boolean hopCarried = ctx.request().getHeader(CloudEvent.TRACEPARENT) != null;
    Span span =
        hopCarried || !Tracing.carriesTrace(Tracing.ofEvent(event))
            ? tracing.startHandling(event, Context.current(), "http", null, Tracing.Link.none())
            : tracing.startHandling(event, Context.root(), "http", null, Tracing.Link.of(server));
    Context.current().with(span).makeCurrent();
    return span;
  }

  private void reply(RoutingContext ctx, Answer answer) {
    HttpServerResponse response = ctx.response();
    if (answer.events().isEmpty()) {
      response.setStatusCode(202).end();
      return;
    }
    if (answer.events().size() == 1) {
      send(response, answer.events().get(0));
      return;
    }
    // A Knative reply carries one event; the rest go to the workflow's topic. Answer only once
    // they are there: a 200 ends the Broker's delivery, so extras lost after it would be lost for
    // good. If they cannot be published, the Broker retries; the redelivery is answered from the
    // ledger with the same events, which are published again (same ids, so receivers see
    // duplicates, never two different answers).
    publisher
        .publish(new Answer(answer.events().subList(1, answer.events().size())))
        .subscribe()
        .with(
            x -> send(response, answer.events().get(0)),
            f -> {
              FunctionException e =
                  f instanceof FunctionException fe && fe.isRetryable()
                      ? fe
                      : FunctionException.retryable("extra answers not published", f);
              LOG.infof("extra answers not published, the Broker will retry: %s", f.toString());
              JsonReplies.problem(response, e.problem());
            });
  }

  private static void send(HttpServerResponse response, CloudEvent event) {
    if (response.ended()) {
      return;
    }
    CloudEventCodec.writeHeaders(Transport.HTTP, event, response::putHeader);
    byte[] data = event.data();
    response.setStatusCode(200).end(data == null ? Buffer.buffer() : Buffer.buffer(data));
  }

  /**
   * Expected outcomes (a bad event, a duplicate still in progress, a dependency hiccup the sender
   * retries) are logged without a stack trace; only what retrying cannot fix is an error.
   */
  private void fail(RoutingContext ctx, Decoded decoded, Throwable failure) {
    FunctionException e = FunctionException.classify(failure);
    if (e.problem().is(Problem.Kind.ID_REUSED)) {
      LOG.warnf("rejected %s: %s", decoded.event(), e.getMessage());
    } else if (e.kind() == FunctionException.Kind.BAD_EVENT
        || e.problem().is(Problem.Kind.IN_PROGRESS)) {
      LOG.debugf("rejected %s: %s", decoded.event(), e.getMessage());
    } else if (e.isRetryable()) {
      LOG.infof("failed %s, the sender will retry: %s", decoded.event(), e.getMessage());
    } else {
      LOG.errorf(failure, "failed %s", decoded.event());
    }
    JsonReplies.problem(ctx.response(), e.problem());
  }

  private void failure(RoutingContext ctx) {
    if (ctx.statusCode() == 413) {
      JsonReplies.problem(
          ctx.response(),
          Problem.of(
              Problem.Kind.PAYLOAD_TOO_LARGE,
              "the body is larger than " + config.ingress().maxBodySize() + " bytes",
              List.of(new Problem.FieldError("body", "/", "too large"))));
    } else {
      LOG.errorf(ctx.failure(), "ingress failure");
      JsonReplies.problem(ctx.response(), Problem.of(Problem.Kind.INTERNAL, "unexpected failure"));
    }
  }

  private static List<Map.Entry<String, String>> entries(MultiMap headers) {
    return headers.entries();
  }
}
