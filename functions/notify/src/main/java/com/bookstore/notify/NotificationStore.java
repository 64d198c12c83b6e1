package com.bookstore.notify;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * The notify.notification table: who claims a notification, and what became of it. One statement
 * claims every channel of a milestone; one more per outcome records it.
 */
@ApplicationScoped
public class NotificationStore {
  static final int MAX_ERROR = 1000;

  /** One notification to claim: a channel and its recipient. */
  public record Target(Channel channel, String recipient) {}

  /** What a delivery may do with a notification. */
  public enum ClaimState {
    /** This delivery owns it now (new, failed before, or left PENDING by a crash): send it. */
    CLAIMED,
    /** Sent already: send nothing, answer the same notification.sent. */
    SENT,
    /** Another delivery is sending it right now (its lease runs): try again later. */
    BUSY
  }

  public record Claim(
      String id,
      Channel channel,
      String recipient,
      ClaimState state,
      int attempts,
      Instant sentAt) {}

  /** The claim's first per-target parameter: 1-4 are order, topic, lease and occurrence. */
  private static final int FIRST_TARGET = 5;

  private final Mutiny.SessionFactory sessions;

  NotificationStore(Mutiny.SessionFactory sessions) {
    this.sessions = sessions;
  }

  /**
   * Inserts each target's row as PENDING, or takes over one that FAILED or whose lease ran out, all
   * in one statement; rows it could not take are read back (SENT, or BUSY).
   */
  public Uni<List<Claim>> claim(Milestone m, List<Target> targets, Duration lease) {
    StringBuilder sql =
        new StringBuilder(
            "insert into notify.notification as n (id, order_id, topic, occurrence, channel,"
                + " recipient, status, attempts, lease_until, created_at, updated_at) values ");
    for (int i = 0; i < targets.size(); i++) {
      int p = FIRST_TARGET + 3 * i;
      sql.append(i == 0 ? "" : ", ")
          .append("(?")
          .append(p)
          .append(", ?1, ?2, ?4, ?")
          .append(p + 1)
          .append(", ?")
          .append(p + 2)
          .append(", 'PENDING', 1, now() + ?3 * interval '1 millisecond', now(), now())");
    }
    sql.append(
        " on conflict (order_id, topic, channel, occurrence) do update set status = 'PENDING',"
            + " attempts = n.attempts + 1, recipient = excluded.recipient,"
            + " lease_until = excluded.lease_until, updated_at = excluded.updated_at"
            + " where n.status = 'FAILED' or (n.status = 'PENDING' and n.lease_until < now())"
            + " returning n.id, n.attempts");
    List<String> ids = targets.stream().map(t -> Notification.idFor(m, t.channel())).toList();
    return sessions.withStatelessSession(
        session -> {
          Mutiny.SelectionQuery<Object[]> insert =
              session.createNativeQuery(sql.toString(), Object[].class);
          insert.setParameter(1, m.orderId());
          insert.setParameter(2, m.topic().wire());
          insert.setParameter(3, lease.toMillis());
          insert.setParameter(4, m.occurrence());
          for (int i = 0; i < targets.size(); i++) {
            insert.setParameter(FIRST_TARGET + 3 * i, ids.get(i));
            insert.setParameter(FIRST_TARGET + 1 + 3 * i, targets.get(i).channel().wire());
            insert.setParameter(FIRST_TARGET + 2 + 3 * i, targets.get(i).recipient());
          }
          return insert
              .getResultList()
              .flatMap(
                  rows -> {
                    Map<String, Integer> claimed =
                        rows.stream()
                            .collect(
                                Collectors.toMap(
                                    r -> (String) r[0], r -> ((Number) r[1]).intValue()));
                    if (claimed.size() == targets.size()) {
                      return Uni.createFrom().item(claims(ids, targets, claimed, Map.of()));
                    }
                    Set<String> others = new HashSet<>(ids);
                    others.removeAll(claimed.keySet());
                    return session
                        .createQuery("from Notification where id in (:ids)", Notification.class)
                        .setParameter("ids", others)
                        .getResultList()
                        .map(
                            found ->
                                claims(
                                    ids,
                                    targets,
                                    claimed,
                                    found.stream()
                                        .collect(
                                            Collectors.toMap(n -> n.id, Function.identity()))));
                  });
        });
  }

  private static List<Claim> claims(
      List<String> ids,
      List<Target> targets,
      Map<String, Integer> claimed,
      Map<String, Notification> others) {
    List<Claim> out = new ArrayList<>(ids.size());
    for (int i = 0; i < ids.size(); i++) {
      String id = ids.get(i);
      Target t = targets.get(i);
      Integer attempts = claimed.get(id);
      if (attempts != null) {
        out.add(new Claim(id, t.channel(), t.recipient(), ClaimState.CLAIMED, attempts, null));
        continue;
      }
      Notification n = others.get(id);
      if (n != null && n.status == Notification.Status.SENT) {
        out.add(
            new Claim(
                id, t.channel(), n.recipient, ClaimState.SENT, n.attempts, n.sentAt.toInstant()));
      } else {
        // PENDING under another delivery's lease (or changed since: a retry will see).
        out.add(
            new Claim(
                id, t.channel(), t.recipient(), ClaimState.BUSY, n == null ? 0 : n.attempts, null));
      }
    }
    return out;
  }

  /** Records what became of each claimed notification: SENT at its time, or FAILED and why. */
  public Uni<Void> record(List<Outcome> outcomes) {
    if (outcomes.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return sessions.withStatelessSession(
        session -> {
          Uni<Void> chain = Uni.createFrom().voidItem();
          for (Outcome o : outcomes) {
            chain = chain.flatMap(x -> record(session, o));
          }
          return chain;
        });
  }

  private static Uni<Void> record(Mutiny.StatelessSession session, Outcome o) {
    if (o.error() == null) {
      return session
          .createNativeQuery(
              "update notify.notification set status = 'SENT', sent_at = ?2, updated_at = ?2,"
                  + " lease_until = null, last_error = null where id = ?1")
          .setParameter(1, o.id())
          .setParameter(2, OffsetDateTime.ofInstant(o.at(), ZoneOffset.UTC))
          .executeUpdate()
          .replaceWithVoid();
    }
    String error = o.error().length() > MAX_ERROR ? o.error().substring(0, MAX_ERROR) : o.error();
    // Never over a SENT row: a delivery that retook a lapsed lease may have finished first.
    return session
        .createNativeQuery(
            "update notify.notification set status = 'FAILED', last_error = ?2, updated_at = ?3,"
                + " lease_until = null where id = ?1 and status <> 'SENT'")
        .setParameter(1, o.id())
        .setParameter(2, error)
        .setParameter(3, OffsetDateTime.ofInstant(o.at(), ZoneOffset.UTC))
        .executeUpdate()
        .replaceWithVoid();
  }

  /** The outcome of one send: {@code error} null when it was delivered at {@code at}. */
  public record Outcome(String id, Instant at, String error) {}

  /** An order's notifications, oldest first (for operators and tests). */
  public Uni<List<Notification>> of(String orderId) {
    return sessions.withStatelessSession(
        session ->
            session
                .createQuery(
                    "from Notification where orderId = :order"
                        + " order by createdAt, occurrence, channel",
                    Notification.class)
                .setParameter("order", orderId)
                .getResultList());
  }
}
