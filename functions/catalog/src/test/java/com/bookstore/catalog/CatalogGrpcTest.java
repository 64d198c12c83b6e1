package com.bookstore.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bookstore.catalog.grpc.CatalogGrpc;
import com.bookstore.catalog.grpc.GetBookRequest;
import com.bookstore.catalog.grpc.GetPricesReply;
import com.bookstore.catalog.grpc.GetPricesRequest;
import com.bookstore.catalog.grpc.Price;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** bookstore.catalog.v1.Catalog over real gRPC (HTTP/2 on the test server's own port). */
@QuarkusTest
@WithTestResource(value = FreeGrpcPort.class, scope = TestResourceScope.MATCHING_RESOURCES)
class CatalogGrpcTest {

  @ConfigProperty(name = "quarkus.grpc.server.test-port")
  int port;

  private ManagedChannel channel;
  private CatalogGrpc.CatalogBlockingStub catalog;

  @BeforeEach
  void connect() {
    channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    catalog = CatalogGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void disconnect() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void getPricesAnswersKnownBooksAndFoundFalseForTheRest() {
    Map<String, Object> first = TestBooks.added("Priced One", 1999);
    Map<String, Object> second = TestBooks.added("Priced Two", 4550);
    String unknown = TestBooks.newIsbn();
    GetPricesReply reply =
        catalog.getPrices(
            GetPricesRequest.newBuilder()
                .addIsbns((String) first.get("isbn"))
                .addIsbns(unknown)
                .addIsbns((String) second.get("isbn"))
                .addIsbns("not-an-isbn")
                .addIsbns((String) first.get("isbn"))
                .build());
    List<Price> prices = reply.getPricesList();
    assertEquals(
        List.of(first.get("isbn"), unknown, second.get("isbn"), "not-an-isbn"),
        prices.stream().map(Price::getIsbn).toList(),
        "one answer per distinct ISBN, in the order asked");
    assertTrue(prices.get(0).getFound());
    assertEquals(1999, prices.get(0).getCents());
    assertEquals("EUR", prices.get(0).getCurrency());
    assertEquals("Priced One", prices.get(0).getTitle());
    assertFalse(prices.get(1).getFound());
    assertEquals(0, prices.get(1).getCents());
    assertTrue(prices.get(2).getFound());
    assertEquals(4550, prices.get(2).getCents());
    assertFalse(prices.get(3).getFound());
  }

  @Test
  void getPricesSeesANewPriceAtOnce() {
    Map<String, Object> book = TestBooks.added("Repriced", 1000);
    String isbn = (String) book.get("isbn");
    GetPricesRequest ask = GetPricesRequest.newBuilder().addIsbns(isbn).build();
    assertEquals(1000, catalog.getPrices(ask).getPrices(0).getCents());
    book.put("price", Map.of("cents", 1200, "currency", "EUR"));
    TestBooks.put(book).then().statusCode(200);
    assertEquals(1200, catalog.getPrices(ask).getPrices(0).getCents());
  }

  @Test
  void anEmptyCartGetsAnEmptyAnswer() {
    assertEquals(0, catalog.getPrices(GetPricesRequest.getDefaultInstance()).getPricesCount());
  }

  @Test
  void getBookAnswersTheBuyerVisibleDetails() {
    Map<String, Object> book = TestBooks.added("The Quiet Observatory", 2899);
    com.bookstore.catalog.grpc.Book found =
        catalog.getBook(GetBookRequest.newBuilder().setIsbn((String) book.get("isbn")).build());
    assertEquals("The Quiet Observatory", found.getTitle());
    assertEquals(List.of("Mara Lindqvist"), found.getAuthorsList());
    assertEquals(2899, found.getPriceCents());
    assertEquals("EUR", found.getCurrency());
    assertEquals(7, found.getStock());
    assertEquals("A test book.", found.getDescription());
    assertEquals(2021, found.getPublishedYear());
  }

  @Test
  void getBookOfAnUnknownIsbnIsNotFound() {
    StatusRuntimeException e =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                catalog.getBook(GetBookRequest.newBuilder().setIsbn(TestBooks.newIsbn()).build()));
    assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
  }

  @Test
  void getBookOfAMalformedIsbnIsInvalidArgument() {
    StatusRuntimeException e =
        assertThrows(
            StatusRuntimeException.class,
            () -> catalog.getBook(GetBookRequest.newBuilder().setIsbn("12345").build()));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().startsWith("isbn "));
  }
}
