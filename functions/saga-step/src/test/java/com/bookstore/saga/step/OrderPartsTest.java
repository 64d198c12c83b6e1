package com.bookstore.saga.step;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.bookstore.events.EventJson;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** What the console shows of notify's answer: a webhook's URL without what could be a secret. */
class OrderPartsTest {

  @Test
  void aWebhookShowsOnlyItsOriginAndAnEmailAddressStays() throws Exception {
    JsonNode data =
        EventJson.mapper()
            .readTree(
                """
                [{"channel":"webhook","recipient":"https://shop:pw@hooks.example.com:8443/t/s3cret?token=abc"},
                 {"channel":"webhook","recipient":"http://hooks.example.com/x"},
                 {"channel":"webhook","recipient":"not a url"},
                 {"channel":"email","recipient":"ada@example.com"}]
                """);
    OrderParts.Part part =
        OrderParts.withoutSecrets(new OrderParts.Part("http://notify/notifications", data, null));
    assertEquals("https://hooks.example.com:8443", part.data().get(0).get("recipient").asText());
    assertEquals("http://hooks.example.com", part.data().get(1).get("recipient").asText());
    assertEquals("(a webhook URL)", part.data().get(2).get("recipient").asText());
    assertEquals("ada@example.com", part.data().get(3).get("recipient").asText());
  }
}
