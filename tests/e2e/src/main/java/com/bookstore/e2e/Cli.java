package com.bookstore.e2e;

import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** What the command-line runs (workload, benchmark) share. */
final class Cli {
  private Cli() {}

  /** Kafka's clients log every connection at INFO; a run's output is its summary. */
  static void quietLibraries() {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
  }

  /**
   * The apps to talk to (started here with {@code --start-apps}, else already running), checked
   * ready and consuming before anything is sent; closed at the end (stopping what it started).
   */
  static final class Session implements AutoCloseable {
    private final Options options;
    private final Stack stack;
    private final Apps apps;
    private final ConsumerGroups groups;
    private final Bookstore store;
    private final Shop shop;
    private final String adminToken;
    private final Optional<Mailbox> mailbox;

    private Session(Options options, Stack stack, Apps apps, String adminToken) {
      this.options = options;
      this.stack = stack;
      this.apps = apps;
      this.adminToken = adminToken;
      this.groups = apps != null ? apps.groups() : new ConsumerGroups(stack.kafkaBootstrap());
      Http http = new Http(Duration.ofSeconds(30));
      Map<String, URI> urls = new LinkedHashMap<>();
      App.bookstore(options.portOffset()).forEach(a -> urls.put(a.function(), a.url()));
      this.store = new Bookstore(http, urls::get);
      this.shop = new Shop(store);
      this.mailbox = Mailbox.fromEnvironment(System.getenv(), http);
    }

    static Session open(Options options, Stack stack, PrintStream out) {
      if (!options.startApps()) {
        String token =
            options
                .adminToken()
                .orElseThrow(
                    () ->
                        new IllegalStateException(
                            "no catalog admin token: set CATALOG_ADMIN_TOKEN (as given to the"
                                + " catalog app) or pass --admin-token"));
        Session s = new Session(options, stack, null, token);
        try {
          s.awaitRunning();
        } catch (RuntimeException e) {
          s.close();
          throw e;
        }
        return s;
      }
      String token = options.adminToken().orElse("e2e-" + UUID.randomUUID());
      Apps apps = Apps.create(stack, options.environment());
      try {
        long t = System.nanoTime();
        apps.start(
            App.bookstore(options.portOffset()).stream()
                .map(
                    a ->
                        switch (a.function()) {
                          case "catalog" -> a.withEnv("CATALOG_ADMIN_TOKEN", token);
                          // a pickup limit a prompt courier keeps and the run can wait out
                          case "dispatch-courier" ->
                              a.withProperty(
                                  "dispatch.pickup-time-limit",
                                  CourierSimulator.DEMO_PICKUP_TIME_LIMIT);
                          default -> a;
                        })
                .toList());
        out.printf(
            "apps: %d functions started, ready and consuming in %d ms (logs: %s)%n",
            apps.apps().size(), (System.nanoTime() - t) / 1_000_000, apps.logDir());
      } catch (RuntimeException e) {
        apps.close();
        throw e;
      }
      return new Session(options, stack, apps, token);
    }

    /** Apps started elsewhere: each must answer its readiness check and consume its topic. */
    private void awaitRunning() {
      Http http = new Http(Duration.ofSeconds(5));
      for (App app : App.bookstore(options.portOffset())) {
        URI ready = app.url().resolve("/q/health/ready");
        Http.Response r;
        try {
          r = http.get(ready);
        } catch (RuntimeException e) {
          throw new IllegalStateException(
              app.function() + " is not running on " + app.url() + " (or pass --start-apps)");
        }
        if (r.status() != 200) {
          throw new IllegalStateException(app.function() + " is not ready: " + r.body());
        }
        if (app.consumes()) {
          groups.awaitConsuming(
              app.consumerGroup(options.environment()),
              app.topics(),
              Set.of(),
              Duration.ofSeconds(60));
        }
      }
    }

    Bookstore store() {
      return store;
    }

    Shop shop() {
      return shop;
    }

    ConsumerGroups groups() {
      return groups;
    }

    String adminToken() {
      return adminToken;
    }

    Optional<Mailbox> mailbox() {
      return mailbox;
    }

    String mailboxProblem() {
      return "no mail server to ask (BOOKSTORE_MAIL_API_URL unset: eval \"$(bash"
          + " infra/local/stack.sh env)\")";
    }

    /** Consumer-group lag of each consuming function, by function. */
    Map<String, Long> lags() {
      Map<String, Long> out = new LinkedHashMap<>();
      for (App app : consuming()) {
        out.put(app.function(), groups.lag(app.consumerGroup(options.environment()), app.topics()));
      }
      return out;
    }

    /** The apps this session talks to (their ports may be moved by {@code --port-offset}). */
    List<App> apps() {
      return App.bookstore(options.portOffset());
    }

    List<App> consuming() {
      return App.BOOKSTORE.stream().filter(App::consumes).toList();
    }

    Stack stack() {
      return stack;
    }

    @Override
    public void close() {
      if (apps != null) {
        apps.close();
      } else {
        groups.close();
      }
    }
  }
}
