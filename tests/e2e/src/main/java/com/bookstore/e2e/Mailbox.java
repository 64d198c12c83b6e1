package com.bookstore.e2e;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * The local SMTP server's mailboxes (GreenMail, started by {@code infra/local/stack.sh}), read over
 * its REST API ({@code BOOKSTORE_MAIL_API_URL}): how many mails an address has received. The same
 * thing {@code stack.sh mail-count ADDRESS} prints.
 */
public final class Mailbox {
  private final URI api;
  private final Http http;

  public Mailbox(URI api, Http http) {
    this.api = api;
    this.http = http;
  }

  /** From {@code BOOKSTORE_MAIL_API_URL}; empty when the stack gives no mail server. */
  public static Optional<Mailbox> fromEnvironment(Map<String, String> env, Http http) {
    String url = env.get("BOOKSTORE_MAIL_API_URL");
    if (url == null || url.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(new Mailbox(URI.create(url.endsWith("/") ? url : url + "/"), http));
  }

  /** Mails received for {@code address} (0 when none: GreenMail answers 400 "not found"). */
  public int count(String address) {
    Http.Response r =
        http.get(
            api.resolve(
                "api/user/"
                    + URLEncoder.encode(address, StandardCharsets.UTF_8).replace("+", "%20")
                    + "/messages/INBOX"));
    if (r.status() == 200 && r.json().isArray()) {
      return r.json().size();
    }
    if (r.status() == 400 && r.body().contains("not found")) {
      return 0;
    }
    throw new IllegalStateException(
        "mail server API: HTTP "
            + r.status()
            + " for "
            + address
            + ": "
            + Http.abbreviate(r.body()));
  }
}
