package com.bookstore.notify;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Sends a milestone's e-mail over SMTP (the reactive mailer: no thread waits on the server). */
@ApplicationScoped
public class EmailChannel {
  private final ReactiveMailer mailer;
  private final String messageIdDomain;

  EmailChannel(ReactiveMailer mailer, NotifyConfig config) {
    this.mailer = mailer;
    this.messageIdDomain = config.mail().messageIdDomain();
  }

  /**
   * The Message-ID is derived from the notification id: if a crash between the SMTP server's
   * acceptance and our bookkeeping makes us send the same notification again, the copies carry the
   * same Message-ID, which mail systems use to drop duplicates.
   */
  public String messageId(String notificationId) {
    return "<" + notificationId + "@" + messageIdDomain + ">";
  }

  public Uni<Void> send(String notificationId, Milestone milestone) {
    Mail mail =
        Mail.withText(milestone.email(), Wording.subject(milestone), Wording.text(milestone))
            .setHtml(Wording.html(milestone))
            .addHeader("Message-ID", messageId(notificationId));
    return mailer.send(mail);
  }
}
