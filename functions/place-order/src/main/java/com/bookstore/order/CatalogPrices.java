package com.bookstore.order;

import com.bookstore.catalog.grpc.GetPricesRequest;
import com.bookstore.catalog.grpc.MutinyCatalogGrpc;
import com.bookstore.catalog.grpc.Price;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The catalog's GetPrices over gRPC ({@code schemas/proto/catalog.proto}): one call per order, with
 * a deadline. Any failure (unreachable, deadline passed, an error status) is an {@link
 * OrderProblem} 503: the customer may try again, nothing was stored.
 */
@ApplicationScoped
public class CatalogPrices {
  private static final Logger LOG = Logger.getLogger(CatalogPrices.class);

  private final MutinyCatalogGrpc.MutinyCatalogStub catalog;
  private final Channel channel;
  private final long deadlineMillis;

  CatalogPrices(
      @GrpcClient("catalog") MutinyCatalogGrpc.MutinyCatalogStub catalog,
      @GrpcClient("catalog") Channel channel,
      OrderConfig config) {
    this.catalog = catalog;
    this.channel = channel;
    this.deadlineMillis = config.catalogDeadline().toMillis();
  }

  /**
   * Opens the connection to the catalog at start (without waiting for it): otherwise the first
   * order pays for name resolution and the HTTP/2 handshake inside its short deadline.
   */
  void connect(@Observes StartupEvent start) {
    if (channel instanceof ManagedChannel managed) {
      managed.getState(true);
    }
  }

  /** One answer per ISBN asked (found or not). */
  public Uni<List<Price>> prices(List<String> isbns) {
    GetPricesRequest request = GetPricesRequest.newBuilder().addAllIsbns(isbns).build();
    // A deadline is a point in time, so it is set per call, never once on the shared stub.
    return catalog
        .withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS)
        .getPrices(request)
        .map(reply -> reply.getPricesList())
        .onFailure()
        .transform(CatalogPrices::unavailable);
  }

  private static Throwable unavailable(Throwable failure) {
    String why;
    if (failure instanceof StatusRuntimeException e) {
      Status.Code code = e.getStatus().getCode();
      why =
          switch (code) {
            case DEADLINE_EXCEEDED -> "no answer within the deadline";
            case UNAVAILABLE -> "unreachable";
            default -> "it answered " + code;
          };
    } else {
      why = failure.getClass().getSimpleName();
    }
    LOG.warnf("GetPrices failed: %s", failure.toString());
    return OrderProblem.catalogUnavailable(why);
  }
}
