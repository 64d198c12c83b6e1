package com.bookstore.catalog;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bookstore.catalog.grpc.CatalogGrpc;
import com.bookstore.catalog.grpc.GetPricesRequest;
import com.bookstore.catalog.grpc.Price;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** The seed data set loads through the bulk admin operation, as the README's curl does. */
@QuarkusTest
@WithTestResource(value = FreeGrpcPort.class, scope = TestResourceScope.MATCHING_RESOURCES)
class SeedLoadTest {

  @ConfigProperty(name = "quarkus.grpc.server.test-port")
  int port;

  @Test
  void theSeedFileLoadsThroughTheBulkAdminOperation() throws Exception {
    byte[] seed;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream("seed/books.json")) {
      seed = in.readAllBytes();
    }
    List<String> isbns =
        SeedLoader.read("seed/books.json", new ObjectMapper()).stream().map(Book::isbn).toList();
    assertTrue(isbns.size() >= 300);

    // As the README's curl --data @books.json sends it: no JSON content type, a form's.
    int received =
        given()
            .header("Authorization", "Bearer " + TestBooks.TOKEN)
            .contentType(ContentType.URLENC)
            .body(new String(seed, StandardCharsets.UTF_8))
            .post("/admin/books")
            .then()
            .statusCode(200)
            .extract()
            .path("received");
    assertEquals(isbns.size(), received);
    // A second load changes nothing and announces nothing.
    given()
        .header("Authorization", "Bearer " + TestBooks.TOKEN)
        .contentType(ContentType.JSON)
        .body(seed)
        .post("/admin/books")
        .then()
        .statusCode(200)
        .body("unchanged", org.hamcrest.Matchers.equalTo(isbns.size()))
        .body("events", org.hamcrest.Matchers.equalTo(0));

    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    try {
      List<Price> prices =
          CatalogGrpc.newBlockingStub(channel)
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .getPrices(GetPricesRequest.newBuilder().addAllIsbns(isbns).build())
              .getPricesList();
      assertEquals(isbns.size(), prices.size());
      assertTrue(prices.stream().allMatch(Price::getFound), "a seed book is missing");
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
