package com.bookstore.order;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bookstore.kit.Problem;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class OrderFormTest {

  private static Cart parse(String json) {
    return OrderForm.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  private static List<String> fieldsAtFault(String json) {
    OrderProblem p = assertThrows(OrderProblem.class, () -> parse(json));
    assertEquals(400, p.problem().status());
    return p.problem().errors().stream().map(Problem.FieldError::field).toList();
  }

  @Test
  void readsAValidCart() {
    Cart cart =
        parse(
            "{\"items\":[{\"isbn\":\"9780000000001\",\"quantity\":2},"
                + "{\"isbn\":\"000000003X\",\"quantity\":1}],\"paymentMethod\":\"tok_visa\"}");
    assertEquals(2, cart.lines().size());
    assertEquals(new Cart.Line("9780000000001", 2, "/items/0"), cart.lines().get(0));
    assertEquals("000000003X", cart.lines().get(1).isbn());
    assertEquals("tok_visa", cart.paymentMethod());
  }

  @Test
  void namesEveryFieldAtFaultInOneAnswer() {
    List<String> fields =
        fieldsAtFault(
            "{\"items\":[{\"isbn\":\"9780000000001\",\"quantity\":0},"
                + "{\"isbn\":\"978-0-00\",\"quantity\":1},"
                + "{\"isbn\":9780000000001,\"quantity\":1.5},"
                + "{\"isbn\":\"9780000000002\",\"quantity\":1001},"
                + "\"not an object\"]}");
    assertEquals(
        List.of(
            "/items/0/quantity",
            "/items/1/isbn",
            "/items/2/isbn",
            "/items/2/quantity",
            "/items/3/quantity",
            "/items/4",
            "/paymentMethod"),
        fields);
  }

  @Test
  void refusesMissingEmptyAndOversizedItemLists() {
    assertEquals(List.of("/items"), fieldsAtFault("{\"paymentMethod\":\"tok_visa\"}"));
    assertEquals(List.of("/items"), fieldsAtFault("{\"items\":[],\"paymentMethod\":\"tok_visa\"}"));
    assertEquals(List.of("/items"), fieldsAtFault("{\"items\":{},\"paymentMethod\":\"tok_visa\"}"));
    StringBuilder many = new StringBuilder("{\"paymentMethod\":\"tok_visa\",\"items\":[");
    for (int i = 0; i <= OrderForm.MAX_LINES; i++) {
      many.append(i == 0 ? "" : ",").append("{\"isbn\":\"9780000000001\",\"quantity\":1}");
    }
    assertEquals(List.of("/items"), fieldsAtFault(many.append("]}").toString()));
  }

  @Test
  void refusesABlankOrOverlongPaymentMethod() {
    String items = "\"items\":[{\"isbn\":\"9780000000001\",\"quantity\":1}]";
    assertEquals(
        List.of("/paymentMethod"), fieldsAtFault("{" + items + ",\"paymentMethod\":\" \"}"));
    assertEquals(List.of("/paymentMethod"), fieldsAtFault("{" + items + ",\"paymentMethod\":7}"));
    assertEquals(
        List.of("/paymentMethod"),
        fieldsAtFault("{" + items + ",\"paymentMethod\":\"" + "t".repeat(101) + "\"}"));
  }

  @Test
  void refusesBodiesThatAreNotAJsonObject() {
    assertEquals(List.of("/"), fieldsAtFault("[1,2]"));
    assertEquals(List.of("/"), fieldsAtFault(""));
    OrderProblem malformed = assertThrows(OrderProblem.class, () -> parse("{\"items\":"));
    assertTrue(malformed.problem().type().endsWith("/malformed-json"));
    assertTrue(malformed.problem().detail().contains("line 1"), malformed.problem().detail());
  }

  @Test
  void mergesRepeatedIsbnsIntoTheFirstLineAndKeepsTheLimit() {
    Cart cart =
        parse(
            "{\"items\":[{\"isbn\":\"9780000000001\",\"quantity\":2},"
                + "{\"isbn\":\"9780000000002\",\"quantity\":1},"
                + "{\"isbn\":\"9780000000001\",\"quantity\":3}],\"paymentMethod\":\"tok_visa\"}");
    assertEquals(2, cart.lines().size());
    assertEquals(new Cart.Line("9780000000001", 5, "/items/0"), cart.lines().get(0));
    assertEquals(
        List.of("/items/1/quantity"),
        fieldsAtFault(
            "{\"items\":[{\"isbn\":\"9780000000001\",\"quantity\":600},"
                + "{\"isbn\":\"9780000000001\",\"quantity\":600}],\"paymentMethod\":\"tok_visa\"}"));
  }

  @Test
  void theFingerprintChangesWithWhatIsAskedFor() {
    String a =
        parse(
                "{\"items\":[{\"isbn\":\"9780000000001\",\"quantity\":1}],\"paymentMethod\":\"tok_visa\"}")
            .fingerprint();
    String same =
        parse(
                "{\"paymentMethod\":\"tok_visa\",\"items\":[{\"quantity\":1,\"isbn\":\"9780000000001\"}]}")
            .fingerprint();
    String more =
        parse(
                "{\"items\":[{\"isbn\":\"9780000000001\",\"quantity\":2}],\"paymentMethod\":\"tok_visa\"}")
            .fingerprint();
    String otherCard =
        parse(
                "{\"items\":[{\"isbn\":\"9780000000001\",\"quantity\":1}],\"paymentMethod\":\"tok_amex\"}")
            .fingerprint();
    assertEquals(a, same);
    assertNotEquals(a, more);
    assertNotEquals(a, otherCard);
  }
}
