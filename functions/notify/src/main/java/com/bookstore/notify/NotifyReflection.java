package com.bookstore.notify;

import com.bookstore.events.delivery.DeliveryAssigned;
import com.bookstore.events.delivery.DeliveryDelivered;
import com.bookstore.events.delivery.DeliveryFailed;
import com.bookstore.events.delivery.DeliveryPickedUp;
import com.bookstore.events.delivery.DeliveryReassigned;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Native images keep only the reflection they are told about. The kit's NativeReflection lists the
 * order facts' records; the delivery facts notify reads with Jackson are listed here until it lists
 * them too (its owner adds them there).
 */
@RegisterForReflection(
    targets = {
      DeliveryAssigned.class,
      DeliveryReassigned.class,
      DeliveryPickedUp.class,
      DeliveryDelivered.class,
      DeliveryFailed.class
    })
public final class NotifyReflection {
  private NotifyReflection() {}
}
