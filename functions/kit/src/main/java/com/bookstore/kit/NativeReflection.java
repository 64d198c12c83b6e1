package com.bookstore.kit;

import com.bookstore.events.book.BookAdded;
import com.bookstore.events.book.BookPriceChanged;
import com.bookstore.events.courier.CourierDelivered;
import com.bookstore.events.courier.CourierFailed;
import com.bookstore.events.courier.CourierLocationUpdated;
import com.bookstore.events.courier.CourierPickedUp;
import com.bookstore.events.delivery.AssignDelivery;
import com.bookstore.events.delivery.CancelDelivery;
import com.bookstore.events.delivery.DeliveryAddress;
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
import com.bookstore.events.order.OrderLine;
import com.bookstore.events.order.OrderPlaced;
import com.bookstore.events.order.PlaceOrder;
import com.bookstore.events.payment.AuthorizePayment;
import com.bookstore.events.payment.CapturePayment;
import com.bookstore.events.payment.Money;
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
import com.bookstore.events.stock.StockLine;
import com.bookstore.events.stock.StockRejected;
import com.bookstore.events.stock.StockReleased;
import com.bookstore.events.stock.StockReserved;
import com.bookstore.events.user.RegisterUser;
import com.bookstore.events.user.UserRegistered;
import com.bookstore.events.user.UserRegistrationRejected;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Native images keep only the reflection they are told about. Jackson reads and writes every event
 * payload (records in the events module, which has no Quarkus index of its own) and the kit's
 * problem details by reflection, so they are all listed here. NativeReflectionTest fails when a
 * catalogue payload, or a record or enum it contains, is missing.
 */
@RegisterForReflection(
    targets = {
      // user
      RegisterUser.class,
      UserRegistered.class,
      UserRegistrationRejected.class,
      UserRegistrationRejected.Reason.class,
      // stock
      ReserveStock.class,
      StockLine.class,
      StockReserved.class,
      StockRejected.class,
      StockRejected.Shortage.class,
      CommitStock.class,
      StockCommitted.class,
      ReleaseStock.class,
      StockReleased.class,
      ExpireStock.class,
      StockExpired.class,
      // catalog
      BookAdded.class,
      BookPriceChanged.class,
      // orders and sagas
      OrderPlaced.class,
      PlaceOrder.class,
      PlaceOrder.Item.class,
      PlaceOrder.Address.class,
      OrderLine.class,
      OrderConfirmed.class,
      OrderCancelled.class,
      SagaFailed.class,
      SagaDeadlinePassed.class,
      SagaStuck.class,
      NotificationSent.class,
      // payment
      AuthorizePayment.class,
      Money.class,
      PaymentAuthorized.class,
      PaymentDeclined.class,
      CapturePayment.class,
      PaymentCaptured.class,
      RefundPayment.class,
      PaymentRefunded.class,
      // delivery and the couriers' events
      DeliveryAddress.class,
      AssignDelivery.class,
      DeliveryAssigned.class,
      DeliveryRejected.class,
      DispatchDelivery.class,
      DeliveryReassigned.class,
      DeliveryPickedUp.class,
      DeliveryDelivered.class,
      DeliveryFailed.class,
      CancelDelivery.class,
      DeliveryCancelled.class,
      DeliveryPickupOverdue.class,
      CourierPickedUp.class,
      CourierLocationUpdated.class,
      CourierDelivered.class,
      CourierFailed.class,
      // the kit's own JSON
      Problem.class,
      Problem.FieldError.class
    })
public final class NativeReflection {
  private NativeReflection() {}
}
