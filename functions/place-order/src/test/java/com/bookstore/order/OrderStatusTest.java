package com.bookstore.order;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class OrderStatusTest {

  @Test
  void aPendingOrderMayMoveToAnyLaterStatus() {
    assertTrue(OrderStatus.PENDING.canMoveTo(OrderStatus.CANCELLING));
    assertTrue(OrderStatus.PENDING.canMoveTo(OrderStatus.CONFIRMED));
    assertTrue(OrderStatus.PENDING.canMoveTo(OrderStatus.CANCELLED));
    assertFalse(OrderStatus.PENDING.canMoveTo(OrderStatus.PENDING));
  }

  @Test
  void aCancellingOrderCanOnlyBeCancelled() {
    assertTrue(OrderStatus.CANCELLING.canMoveTo(OrderStatus.CANCELLED));
    assertFalse(OrderStatus.CANCELLING.canMoveTo(OrderStatus.CONFIRMED));
    assertFalse(OrderStatus.CANCELLING.canMoveTo(OrderStatus.PENDING));
  }

  @Test
  void finalStatusesNeverMove() {
    for (OrderStatus next : OrderStatus.values()) {
      assertFalse(OrderStatus.CONFIRMED.canMoveTo(next), "CONFIRMED -> " + next);
      assertFalse(OrderStatus.CANCELLED.canMoveTo(next), "CANCELLED -> " + next);
    }
    assertTrue(OrderStatus.CONFIRMED.isFinal());
    assertTrue(OrderStatus.CANCELLED.isFinal());
    assertFalse(OrderStatus.CANCELLING.isFinal());
  }

  @Test
  void theSqlGuardListsTheStatusesEachMoveMayStartFrom() {
    assertEquals(
        EnumSet.of(OrderStatus.PENDING), OrderStatus.allowedBefore(OrderStatus.CANCELLING));
    assertEquals(EnumSet.of(OrderStatus.PENDING), OrderStatus.allowedBefore(OrderStatus.CONFIRMED));
    assertEquals(
        EnumSet.of(OrderStatus.PENDING, OrderStatus.CANCELLING),
        OrderStatus.allowedBefore(OrderStatus.CANCELLED));
  }
}
