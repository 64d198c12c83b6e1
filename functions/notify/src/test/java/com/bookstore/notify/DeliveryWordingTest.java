package com.bookstore.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The delivery milestones' e-mails, and what notify announces, in plain unit tests. */
class DeliveryWordingTest {

  private static Milestone delivery(
      Milestone.Topic topic, String courierName, String reason, Integer attempt) {
    return new Milestone(
        topic,
        "o-7",
        null,
        "a@example.com",
        null,
        reason,
        Instant.EPOCH,
        "c-1",
        courierName,
        attempt);
  }

  @Test
  void anAssignmentNamesTheCourier() {
    Milestone m = delivery(Milestone.Topic.DELIVERY_ASSIGNED, "Camille", null, 1);
    assertEquals("A courier is on the way for your order o-7: Camille", Wording.subject(m));
    assertTrue(Wording.text(m).contains("Camille will collect it"), Wording.text(m));
    assertTrue(Wording.html(m).contains("<strong>Camille</strong>"), Wording.html(m));
  }

  @Test
  void aFailureSaysItsReasonAndTheHtmlEscapesIt() {
    Milestone m = delivery(Milestone.Topic.DELIVERY_FAILED, null, "gate <locked> & dog", 3);
    assertEquals("We could not deliver your order o-7", Wording.subject(m));
    assertTrue(Wording.text(m).contains("Reason: gate <locked> & dog."), Wording.text(m));
    String html = Wording.html(m);
    assertFalse(html.contains("<locked>"), html);
    assertTrue(html.contains("gate &lt;locked&gt; &amp; dog"), html);
  }

  @Test
  void theOtherMilestonesHaveTheirOwnSubjects() {
    assertEquals(
        "A new courier for your order o-7: Louis",
        Wording.subject(delivery(Milestone.Topic.DELIVERY_REASSIGNED, "Louis", "late", 2)));
    assertEquals(
        "Your order o-7 is on its way",
        Wording.subject(delivery(Milestone.Topic.DELIVERY_PICKED_UP, null, null, null)));
    assertEquals(
        "Your order o-7 was delivered",
        Wording.subject(delivery(Milestone.Topic.DELIVERY_DELIVERED, null, null, null)));
  }

  @Test
  void theDeliveredSagasReasonsAreSaidInPlainWords() {
    assertEquals(
        "no courier delivers to your address right now", Wording.reasonInWords("no-courier"));
    assertEquals("the delivery failed", Wording.reasonInWords("delivery-failed"));
  }

  @Test
  void reassignmentsAreCountedAndOtherMilestonesAreOncePerOrder() {
    assertEquals(3, delivery(Milestone.Topic.DELIVERY_REASSIGNED, "L", "late", 3).occurrence());
    assertEquals(0, delivery(Milestone.Topic.DELIVERY_FAILED, null, "x", 3).occurrence());
    // occurrence 0 keeps the ids notifications always had
    assertEquals(
        Notification.idFor("o-7", Milestone.Topic.ORDER_CONFIRMED, Channel.EMAIL),
        Notification.idFor("o-7", Milestone.Topic.ORDER_CONFIRMED, 0, Channel.EMAIL));
  }

  @Test
  void onlyTheTopicsNotificationSentsSchemaNamesAreAnnounced() {
    assertEquals(
        Set.of(
            "order-confirmed",
            "order-cancelled",
            "delivery-assigned",
            "delivery-reassigned",
            "delivery-picked-up",
            "delivery-delivered",
            "delivery-failed"),
        NotifyFunction.ANNOUNCED);
  }
}
