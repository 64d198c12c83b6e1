package com.bookstore.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@link Apps} for shell scripts: starts the packaged functions of one environment, prints when
 * each is ready, writes {@code --ready-file} once all are ready and consuming, then holds them
 * until it is terminated (SIGTERM or SIGINT stops every app).
 *
 * <pre>
 * java -cp "tests/e2e/target/e2e.jar:tests/e2e/target/lib/*" com.bookstore.e2e.AppsMain \
 *   --environment demo --ready-file /tmp/ready [--port-offset N] [--set function:key=value ...]
 *   [function ...]   (default: all ten)
 * </pre>
 *
 * {@code --set dispatch-courier:dispatch.pickup-time-limit=PT6S} gives that function the system
 * property {@code -Ddispatch.pickup-time-limit=PT6S}.
 */
public final class AppsMain {
  private AppsMain() {}

  public static void main(String[] args) throws InterruptedException {
    Cli.quietLibraries();
    String environment = "demo";
    Path readyFile = null;
    int offset = 0;
    List<String> names = new ArrayList<>();
    java.util.Map<String, java.util.Map<String, String>> set = new java.util.HashMap<>();
    List<String> a = new ArrayList<>(Arrays.asList(args));
    while (!a.isEmpty()) {
      String opt = a.remove(0);
      switch (opt) {
        case "--environment" -> environment = a.remove(0);
        case "--ready-file" -> readyFile = Path.of(a.remove(0));
        case "--port-offset" -> offset = Integer.parseInt(a.remove(0));
        case "--set" -> {
          String s = a.remove(0);
          int colon = s.indexOf(':');
          int eq = s.indexOf('=', colon + 1);
          if (colon < 1 || eq < colon + 2) {
            System.err.println("apps: --set wants function:key=value, got " + s);
            System.exit(2);
          }
          String function = s.substring(0, colon);
          App.named(function);
          set.computeIfAbsent(function, f -> new java.util.LinkedHashMap<>())
              .put(s.substring(colon + 1, eq), s.substring(eq + 1));
        }
        default -> names.add(opt);
      }
    }
    for (String name : names) {
      App.named(name); // fails naming the functions on a typo
    }
    List<App> apps =
        App.bookstore(offset).stream()
            .filter(x -> names.isEmpty() || names.contains(x.function()))
            .map(
                x -> {
                  App with = x;
                  for (var e : set.getOrDefault(x.function(), java.util.Map.of()).entrySet()) {
                    with = with.withProperty(e.getKey(), e.getValue());
                  }
                  return with;
                })
            .toList();
    Apps running = Apps.create(Stack.fromEnvironment(), environment);
    try {
      running.start(apps);
    } catch (RuntimeException e) {
      System.err.println("apps: " + e.getMessage());
      running.close();
      System.exit(1);
    }
    for (App app : apps) {
      System.out.printf(
          "== %s ready on :%d (pid %d) in %d ms (log: %s)%n",
          app.function(),
          app.port(),
          running.pid(app.function()),
          running.readyAfter(app.function()).toMillis(),
          running.log(app.function()));
    }
    System.out.println(
        "== consumer groups <function>-" + environment + " consuming from the end of their topics");
    if (readyFile != null) {
      try {
        Files.writeString(readyFile, "ready\n");
      } catch (IOException e) {
        System.err.println("apps: cannot write " + readyFile + ": " + e);
      }
    }
    // Hold the apps; Apps' shutdown hook stops them when this process is terminated. An app that
    // exits meanwhile is reported once (the scripts' next calls to it would fail less clearly).
    java.util.Set<String> reported = new java.util.HashSet<>();
    while (true) {
      for (App app : apps) {
        if (!running.isAlive(app.function()) && reported.add(app.function())) {
          System.err.println(
              "apps: "
                  + app.function()
                  + " exited; end of "
                  + running.log(app.function())
                  + ":\n"
                  + Apps.tail(running.log(app.function()), 20));
        }
      }
      Thread.sleep(1000);
    }
  }
}
