package com.bookstore.catalog;

import com.bookstore.kit.Answer;
import com.bookstore.kit.CloudEvent;
import com.bookstore.kit.EventPublisher;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Writes books and publishes what changed. The events are written to the outbox in the change's
 * transaction and published after it commits; a publish that fails leaves them to the {@link
 * OutboxRelay}, so a change is never lost between PostgreSQL and Kafka, and never announced before
 * it is committed.
 */
@ApplicationScoped
public class CatalogService {
  private static final Logger LOG = Logger.getLogger(CatalogService.class);

  private final BookStore store;
  private final EventPublisher publisher;

  CatalogService(BookStore store, EventPublisher publisher) {
    this.store = store;
    this.publisher = publisher;
  }

  /**
   * What an upsert did.
   *
   * @param published whether its events reached Kafka now (false: the outbox relay will send them)
   */
  public record Upserted(List<Change> changes, int events, boolean published) {}

  public Uni<Upserted> upsert(List<Book> books) {
    return store
        .upsert(books)
        .flatMap(
            saved ->
                publish(saved.events())
                    .map(ok -> new Upserted(saved.changes(), saved.events().size(), ok)));
  }

  /**
   * Publishes events and forgets them in the outbox; true when Kafka has them. A failure is logged,
   * not raised: the change is committed, and the relay retries from the outbox.
   */
  public Uni<Boolean> publish(List<CloudEvent> events) {
    if (events.isEmpty()) {
      return Uni.createFrom().item(true);
    }
    // The producer is created, and a topic's metadata fetched, on the first send, which blocks its
    // caller: never an event-loop thread.
    return Uni.createFrom()
        .deferred(() -> publisher.publish(new Answer(events)))
        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
        .flatMap(x -> store.published(events))
        .replaceWith(true)
        .onFailure()
        .recoverWithItem(
            failure -> {
              LOG.warnf(
                  "%d catalog event(s) stay in the outbox for the relay: %s",
                  events.size(), failure.toString());
              return false;
            });
  }
}
