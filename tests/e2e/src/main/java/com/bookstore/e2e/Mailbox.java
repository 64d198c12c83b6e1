package com.bookstore.e2e;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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
    return messageIds(address).size();
  }

  /**
   * The Message-ID of every mail received for {@code address}, in arrival order: a copy of one mail
   * (sent again after a crash) repeats its Message-ID.
   */
  public List<String> messageIds(String address) {
    Http.Response r =
        http.get(
            api.resolve(
                "api/user/"
                    + URLEncoder.encode(address, StandardCharsets.UTF_8).replace("+", "%20")
                    + "/messages/INBOX"));
    if (r.status() == 200 && r.json().isArray()) {
      List<String> ids = new ArrayList<>();
      r.json().forEach(m -> ids.add(m.path("Message-ID").asText("")));
      return ids;
    }
    if (r.status() == 400 && r.body().contains("not found")) {
      return List.of();
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
