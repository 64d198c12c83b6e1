package com.bookstore.events;

/** A command asks a function to act; a fact reports what happened. */
public enum EventKind {
  COMMAND,
  FACT
}
