package com.bookstore.catalog;

import com.bookstore.catalog.grpc.Catalog;
import com.bookstore.catalog.grpc.GetBookRequest;
import com.bookstore.catalog.grpc.GetPricesReply;
import com.bookstore.catalog.grpc.GetPricesRequest;
import com.bookstore.catalog.grpc.Price;
import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code bookstore.catalog.v1.Catalog} on its own gRPC port. GetPrices is on every order's path:
 * one query for the whole cart, answered on the event loop, no cache (a cached price that outlived
 * a price change would charge the old price; the primary-key look-up is already one round trip).
 */
@GrpcService
public class CatalogGrpcService implements Catalog {
  private final BookStore store;
  private final CatalogConfig.Grpc config;

  CatalogGrpcService(BookStore store, CatalogConfig config) {
    this.store = store;
    this.config = config.grpc();
  }

  /**
   * One price per distinct ISBN asked, in the order first asked, the ISBN echoed as the caller
   * wrote it. Unknown or malformed ISBNs come back with {@code found = false}.
   */
  @Override
  public Uni<GetPricesReply> getPrices(GetPricesRequest request) {
    if (request.getIsbnsCount() > config.maxIsbns()) {
      return Uni.createFrom()
          .failure(
              Status.INVALID_ARGUMENT
                  .withDescription(
                      "isbns: "
                          + request.getIsbnsCount()
                          + " asked, at most "
                          + config.maxIsbns()
                          + " per call")
                  .asRuntimeException());
    }
    // asked ISBN -> the 13 digits looked up (null when it cannot be an ISBN-13)
    Map<String, String> asked = new LinkedHashMap<>();
    for (String isbn : request.getIsbnsList()) {
      if (!asked.containsKey(isbn)) {
        asked.put(isbn, Isbn.isValid(isbn) ? Isbn.normalize(isbn) : null);
      }
    }
    String[] lookups =
        asked.values().stream().filter(v -> v != null).distinct().toArray(String[]::new);
    if (lookups.length == 0) {
      return Uni.createFrom().item(reply(asked, List.of()));
    }
    return store.prices(lookups).map(rows -> reply(asked, rows));
  }

  private static GetPricesReply reply(Map<String, String> asked, List<BookStore.PriceRow> rows) {
    Map<String, BookStore.PriceRow> byIsbn = new HashMap<>();
    for (BookStore.PriceRow row : rows) {
      byIsbn.put(row.isbn(), row);
    }
    GetPricesReply.Builder reply = GetPricesReply.newBuilder();
    asked.forEach(
        (isbn, digits) -> {
          BookStore.PriceRow row = digits == null ? null : byIsbn.get(digits);
          Price.Builder price = Price.newBuilder().setIsbn(isbn).setFound(row != null);
          if (row != null) {
            price.setCents(row.cents()).setCurrency(row.currency()).setTitle(row.title());
          }
          reply.addPrices(price);
        });
    return reply.build();
  }

  @Override
  public Uni<com.bookstore.catalog.grpc.Book> getBook(GetBookRequest request) {
    Optional<String> problem = Isbn.problem(request.getIsbn());
    if (problem.isPresent()) {
      return Uni.createFrom()
          .failure(
              Status.INVALID_ARGUMENT
                  .withDescription("isbn " + problem.get())
                  .asRuntimeException());
    }
    String isbn = Isbn.normalize(request.getIsbn());
    return store
        .find(isbn)
        .map(
            found ->
                found
                    .map(CatalogGrpcService::message)
                    .orElseThrow(
                        () ->
                            Status.NOT_FOUND
                                .withDescription("no book with ISBN " + isbn + " in the catalog")
                                .asRuntimeException()));
  }

  private static com.bookstore.catalog.grpc.Book message(Book b) {
    com.bookstore.catalog.grpc.Book.Builder book =
        com.bookstore.catalog.grpc.Book.newBuilder()
            .setIsbn(b.isbn())
            .setTitle(b.title())
            .addAllAuthors(b.authors())
            .setPriceCents(b.priceCents())
            .setCurrency(b.currency())
            .setStock(b.stock())
            .setDescription(b.description());
    if (b.publishedYear() != null) {
      book.setPublishedYear(b.publishedYear());
    }
    return book.build();
  }
}
