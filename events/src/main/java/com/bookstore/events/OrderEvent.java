package com.bookstore.events;

/** The data of every event about one order: its id is the answer's subject and partition key. */
public interface OrderEvent {
  String orderId();
}
