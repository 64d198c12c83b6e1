package com.bookstore.order;

import com.bookstore.catalog.grpc.CatalogGrpc;
import com.bookstore.catalog.grpc.GetPricesReply;
import com.bookstore.catalog.grpc.GetPricesRequest;
import com.bookstore.catalog.grpc.Price;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The test catalog: a real gRPC server in the test JVM implementing the catalog's generated service
 * ({@code schemas/proto/catalog.proto}) with known prices, on a free port that it hands to the
 * function's gRPC client. The real catalog need not run for this module's tests; the end-to-end
 * tests use the real one. {@link #stop()} and {@link #start()} take it down and bring it back.
 */
public class TestCatalog implements QuarkusTestResourceLifecycleManager {

  /** Known books: ISBN -> cents, currency. */
  public static final String BOOK_A = "9780000000001";

  public static final long BOOK_A_CENTS = 1250;
  public static final String BOOK_B = "9780000000002";
  public static final long BOOK_B_CENTS = 899;
  public static final String BOOK_C_ISBN10 = "000000003X";
  public static final long BOOK_C_CENTS = 500;

  /** Priced in dollars: a cart with it and a euro book cannot be priced. */
  public static final String BOOK_USD = "9790000000004";

  /** Known, but the test catalog takes longer to price it than the function's deadline. */
  public static final String BOOK_SLOW = "9780000000005";

  public static final long SLOW_MILLIS = 6000;

  private static final Map<String, Price> PRICES =
      Map.of(
          BOOK_A, price(BOOK_A, BOOK_A_CENTS, "EUR", "Test Book A"),
          BOOK_B, price(BOOK_B, BOOK_B_CENTS, "EUR", "Test Book B"),
          BOOK_C_ISBN10, price(BOOK_C_ISBN10, BOOK_C_CENTS, "EUR", "Test Book C"),
          BOOK_USD, price(BOOK_USD, 1000, "USD", "Test Book in dollars"),
          BOOK_SLOW, price(BOOK_SLOW, 700, "EUR", "Test Book priced slowly"));

  private static int port;
  private static Server server;

  @Override
  public Map<String, String> start() {
    port = freePort();
    startServer();
    return Map.of(
        "quarkus.grpc.clients.catalog.host", "127.0.0.1",
        "quarkus.grpc.clients.catalog.port", Integer.toString(port),
        "quarkus.grpc.clients.catalog.test-port", Integer.toString(port));
  }

  @Override
  public void stop() {
    stopServer();
  }

  /** Takes the test catalog down: its port refuses connections. */
  public static synchronized void stopServer() {
    if (server != null) {
      server.shutdownNow();
      try {
        server.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      server = null;
    }
  }

  /** Brings the test catalog back on the same port. */
  public static synchronized void startServer() {
    if (server == null) {
      try {
        server =
            NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                .addService(CatalogGrpc.bindService(new Service()))
                .build()
                .start();
      } catch (IOException e) {
        throw new UncheckedIOException("test catalog not started on " + port, e);
      }
    }
  }

  public static synchronized boolean running() {
    return server != null;
  }

  /**
   * The catalog's GetPrices over the known books; any other ISBN is answered found = false. It
   * implements the generated AsyncService rather than extending CatalogImplBase: Quarkus would take
   * a BindableService in the test classes for one of the application's own and start its gRPC
   * server on a fixed port.
   */
  static final class Service implements CatalogGrpc.AsyncService {
    @Override
    public void getPrices(GetPricesRequest request, StreamObserver<GetPricesReply> answer) {
      if (request.getIsbnsList().contains(BOOK_SLOW)) {
        try {
          Thread.sleep(SLOW_MILLIS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      GetPricesReply.Builder reply = GetPricesReply.newBuilder();
      for (String isbn : request.getIsbnsList()) {
        reply.addPrices(
            PRICES.getOrDefault(isbn, Price.newBuilder().setIsbn(isbn).setFound(false).build()));
      }
      answer.onNext(reply.build());
      answer.onCompleted();
    }
  }

  private static Price price(String isbn, long cents, String currency, String title) {
    return Price.newBuilder()
        .setIsbn(isbn)
        .setFound(true)
        .setCents(cents)
        .setCurrency(currency)
        .setTitle(title)
        .build();
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
