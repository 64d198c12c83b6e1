package com.bookstore.events;

import com.bookstore.events.book.BookAdded;
import com.bookstore.events.book.BookPriceChanged;
import com.bookstore.events.courier.CourierDelivered;
import com.bookstore.events.courier.CourierFailed;
import com.bookstore.events.courier.CourierLocationUpdated;
import com.bookstore.events.courier.CourierPickedUp;
import com.bookstore.events.delivery.AssignDelivery;
import com.bookstore.events.delivery.CancelDelivery;
import com.bookstore.events.delivery.DeliveryAssigned;
import com.bookstore.events.delivery.DeliveryCancelled;
import com.bookstore.events.delivery.DeliveryDelivered;
import com.bookstore.events.delivery.DeliveryFailed;
import com.bookstore.events.delivery.DeliveryPickedUp;
import com.bookstore.events.delivery.DeliveryPickupOverdue;
import com.bookstore.events.delivery.DeliveryReassigned;
import com.bookstore.events.delivery.DeliveryRejected;
import com.bookstore.events.delivery.DispatchDelivery;
import com.bookstore.events.notification.NotificationSent;
import com.bookstore.events.order.OrderCancelled;
import com.bookstore.events.order.OrderConfirmed;
import com.bookstore.events.order.OrderPlaced;
import com.bookstore.events.order.PlaceOrder;
import com.bookstore.events.payment.AuthorizePayment;
import com.bookstore.events.payment.CapturePayment;
import com.bookstore.events.payment.PaymentAuthorized;
import com.bookstore.events.payment.PaymentCaptured;
import com.bookstore.events.payment.PaymentDeclined;
import com.bookstore.events.payment.PaymentRefunded;
import com.bookstore.events.payment.RefundPayment;
import com.bookstore.events.saga.SagaDeadlinePassed;
import com.bookstore.events.saga.SagaFailed;
import com.bookstore.events.saga.SagaStuck;
import com.bookstore.events.stock.CommitStock;
import com.bookstore.events.stock.ExpireStock;
import com.bookstore.events.stock.ReleaseStock;
import com.bookstore.events.stock.ReserveStock;
import com.bookstore.events.stock.StockCommitted;
import com.bookstore.events.stock.StockExpired;
import com.bookstore.events.stock.StockRejected;
import com.bookstore.events.stock.StockReleased;
import com.bookstore.events.stock.StockReserved;
import com.bookstore.events.user.RegisterUser;
import com.bookstore.events.user.UserRegistered;
import com.bookstore.events.user.UserRegistrationRejected;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The one catalogue of event types. A type that is not here is not part of the product. */
public final class EventCatalogue {
  private EventCatalogue() {}

  private static final Map<String, EventType> TYPES = new LinkedHashMap<>();

  static {
    add(
        EventTypes.USER_REGISTER,
        EventKind.COMMAND,
        RegisterUser.class,
        "Register a new customer account with an e-mail address and a password.");
    add(
        EventTypes.USER_REGISTERED,
        EventKind.FACT,
        UserRegistered.class,
        "A customer account was created.");
    add(
        EventTypes.USER_REGISTRATION_REJECTED,
        EventKind.FACT,
        UserRegistrationRejected.class,
        "A registration was refused; the reason says why (invalid e-mail, weak password, e-mail"
            + " taken).");
  }

  static {
    add(
        EventTypes.STOCK_RESERVE,
        EventKind.COMMAND,
        ReserveStock.class,
        "Hold copies of books for an order, for a limited time.");
    add(
        EventTypes.STOCK_RESERVED,
        EventKind.FACT,
        StockReserved.class,
        "Copies are held for the order until the hold expires.");
    add(
        EventTypes.STOCK_REJECTED,
        EventKind.FACT,
        StockRejected.class,
        "Copies could not be held or committed for the order; the shortages say what was missing.");
    add(
        EventTypes.STOCK_COMMIT,
        EventKind.COMMAND,
        CommitStock.class,
        "Turn the order's hold into a sale.");
    add(
        EventTypes.STOCK_COMMITTED,
        EventKind.FACT,
        StockCommitted.class,
        "The order's held copies are sold.");
    add(
        EventTypes.STOCK_RELEASE,
        EventKind.COMMAND,
        ReleaseStock.class,
        "Give the order's held copies back (a compensation; succeeds with no hold).");
    add(
        EventTypes.STOCK_RELEASED,
        EventKind.FACT,
        StockReleased.class,
        "The order holds no copies any more.");
    add(
        EventTypes.STOCK_EXPIRE,
        EventKind.COMMAND,
        ExpireStock.class,
        "Give back the order's hold if it is still held past its expiry (sent by the sweep).");
    add(
        EventTypes.STOCK_EXPIRED,
        EventKind.FACT,
        StockExpired.class,
        "The order's expired hold was given back; empty items when nothing was due.");
  }

  static {
    add(
        EventTypes.PAYMENT_AUTHORIZE,
        EventKind.COMMAND,
        AuthorizePayment.class,
        "Hold the order's amount on the customer's payment method.");
    add(
        EventTypes.PAYMENT_AUTHORIZED,
        EventKind.FACT,
        PaymentAuthorized.class,
        "The order's amount is held.");
    add(
        EventTypes.PAYMENT_DECLINED,
        EventKind.FACT,
        PaymentDeclined.class,
        "The provider refused the payment, or there was nothing to capture.");
    add(
        EventTypes.PAYMENT_CAPTURE,
        EventKind.COMMAND,
        CapturePayment.class,
        "Take the authorized amount.");
    add(
        EventTypes.PAYMENT_CAPTURED,
        EventKind.FACT,
        PaymentCaptured.class,
        "The order's amount is taken.");
    add(
        EventTypes.PAYMENT_REFUND,
        EventKind.COMMAND,
        RefundPayment.class,
        "Give the order's money back (a compensation; succeeds with nothing authorized).");
    add(
        EventTypes.PAYMENT_REFUNDED,
        EventKind.FACT,
        PaymentRefunded.class,
        "The order holds none of the customer's money.");
  }

  static {
    add(
        EventTypes.BOOK_ADDED,
        EventKind.FACT,
        BookAdded.class,
        "A book entered the catalog, with its title, authors and price.");
    add(
        EventTypes.BOOK_PRICE_CHANGED,
        EventKind.FACT,
        BookPriceChanged.class,
        "A book's price changed; orders placed from now on pay the new price.");
  }

  static {
    add(
        EventTypes.ORDER_PLACE,
        EventKind.COMMAND,
        PlaceOrder.class,
        "Place an order for a customer (sent by other systems): place-order checks the books,"
            + " prices them with the catalog and announces the order with order.placed.");
    add(
        EventTypes.ORDER_PLACED,
        EventKind.FACT,
        OrderPlaced.class,
        "A customer placed a priced order; it is pending until the order saga ends.");
    add(
        EventTypes.ORDER_CONFIRMED,
        EventKind.FACT,
        OrderConfirmed.class,
        "The order saga completed: stock sold, payment captured.");
    add(
        EventTypes.ORDER_CANCELLED,
        EventKind.FACT,
        OrderCancelled.class,
        "The order saga failed and every completed step was compensated; the reason says why.");
  }

  static {
    add(
        EventTypes.SAGA_FAILED,
        EventKind.FACT,
        SagaFailed.class,
        "A saga step failed or timed out; its completed steps are owed their compensations.");
    add(
        EventTypes.SAGA_DEADLINE_PASSED,
        EventKind.FACT,
        SagaDeadlinePassed.class,
        "The sweep found a saga whose step, compensation or hand-off passed its deadline.");
    add(
        EventTypes.SAGA_STUCK,
        EventKind.FACT,
        SagaStuck.class,
        "A command that must succeed spent its attempt budget; an operator must look.");
  }

  static {
    add(
        EventTypes.DELIVERY_ASSIGN,
        EventKind.COMMAND,
        AssignDelivery.class,
        "Find a courier who covers the order's zone and has room, and reserve them for it.");
    add(
        EventTypes.DELIVERY_ASSIGNED,
        EventKind.FACT,
        DeliveryAssigned.class,
        "A courier covering the order's zone is reserved for its delivery.");
    add(
        EventTypes.DELIVERY_REJECTED,
        EventKind.FACT,
        DeliveryRejected.class,
        "No courier covers the order's zone or has room; the reason says which.");
    add(
        EventTypes.DELIVERY_DISPATCH,
        EventKind.COMMAND,
        DispatchDelivery.class,
        "The order is paid and its copies sold: its courier may pick it up; the pickup time limit"
            + " starts.");
    add(
        EventTypes.DELIVERY_REASSIGNED,
        EventKind.FACT,
        DeliveryReassigned.class,
        "The courier did not pick up in time and another courier took the delivery over.");
    add(
        EventTypes.DELIVERY_PICKED_UP,
        EventKind.FACT,
        DeliveryPickedUp.class,
        "The assigned courier has the order's parcel.");
    add(
        EventTypes.DELIVERY_DELIVERED,
        EventKind.FACT,
        DeliveryDelivered.class,
        "The order's parcel was handed to the customer.");
    add(
        EventTypes.DELIVERY_FAILED,
        EventKind.FACT,
        DeliveryFailed.class,
        "The delivery failed for good: the courier's reason, or no pickup within the attempts.");
    add(
        EventTypes.DELIVERY_CANCEL,
        EventKind.COMMAND,
        CancelDelivery.class,
        "Compensation: cancel the order's delivery and free its courier; succeeds when there is"
            + " none.");
    add(
        EventTypes.DELIVERY_CANCELLED,
        EventKind.FACT,
        DeliveryCancelled.class,
        "The order's delivery is cancelled (or there was none) and its courier is free.");
    add(
        EventTypes.DELIVERY_PICKUP_OVERDUE,
        EventKind.FACT,
        DeliveryPickupOverdue.class,
        "The sweep found a delivery ready for pickup whose pickup deadline passed.");
  }

  static {
    add(
        EventTypes.COURIER_PICKED_UP,
        EventKind.FACT,
        CourierPickedUp.class,
        "A courier's own system: the courier picked up the order's parcel.");
    add(
        EventTypes.COURIER_LOCATION_UPDATED,
        EventKind.FACT,
        CourierLocationUpdated.class,
        "A courier's own system: where the courier carrying the order is; only the latest counts.");
    add(
        EventTypes.COURIER_DELIVERED,
        EventKind.FACT,
        CourierDelivered.class,
        "A courier's own system: the courier handed the parcel over.");
    add(
        EventTypes.COURIER_FAILED,
        EventKind.FACT,
        CourierFailed.class,
        "A courier's own system: the delivery failed for good, with the courier's reason.");
  }

  static {
    add(
        EventTypes.NOTIFICATION_SENT,
        EventKind.FACT,
        NotificationSent.class,
        "A customer was told about an order milestone by e-mail or webhook.");
  }

  private static void add(String type, EventKind kind, Class<?> payload, String description) {
    if (TYPES.put(type, new EventType(type, kind, payload, description)) != null) {
      throw new IllegalStateException("event type declared twice: " + type);
    }
  }

  public static Optional<EventType> find(String type) {
    return Optional.ofNullable(TYPES.get(type));
  }

  public static EventType get(String type) {
    return find(type)
        .orElseThrow(() -> new IllegalArgumentException("not in the event catalogue: " + type));
  }

  /** The one type whose data is this record (answers name their type by their payload). */
  public static EventType forPayload(Class<?> payload) {
    List<EventType> types = TYPES.values().stream().filter(t -> t.payload() == payload).toList();
    if (types.size() != 1) {
      throw new IllegalArgumentException(
          payload.getName() + " is the data of " + types.size() + " catalogue types, not one");
    }
    return types.get(0);
  }

  public static List<EventType> all() {
    return List.copyOf(TYPES.values());
  }
}
