package com.bookstore.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time used by the processes of a local run, read from {@code /proc} (Linux): each function's
 * JVM (found by its {@code -Dquarkus.http.port} on the command line), PostgreSQL, Redis, Kafka and
 * this JVM. Two readings give where the machine's CPU went in between. Empty on other systems.
 */
public final class CpuUsage {
  /** Clock ticks per second of {@code /proc/<pid>/stat}: 100 on every Linux this runs on. */
  private static final long TICKS = 100;

  private CpuUsage() {}

  /** CPU milliseconds used so far, by process group name, for the apps given. */
  public static Map<String, Long> snapshot(List<App> apps) {
    Map<String, Long> out = new LinkedHashMap<>();
    Path proc = Path.of("/proc");
    if (!Files.isDirectory(proc)) {
      return out;
    }
    for (App app : apps) {
      out.put(app.function(), 0L);
    }
    out.put("postgres", 0L);
    out.put("redis", 0L);
    out.put("kafka", 0L);
    out.put("workload", 0L);
    long self = ProcessHandle.current().pid();
    try (DirectoryStream<Path> pids = Files.newDirectoryStream(proc, "[0-9]*")) {
      for (Path p : pids) {
        String name = classify(p, apps, self);
        if (name != null) {
          out.merge(name, cpuMillis(p), Long::sum);
        }
      }
    } catch (IOException e) {
      return Map.of();
    }
    return out;
  }

  /** {@code after - before}, by name. */
  public static Map<String, Long> used(Map<String, Long> before, Map<String, Long> after) {
    Map<String, Long> out = new LinkedHashMap<>();
    after.forEach((k, v) -> out.put(k, v - before.getOrDefault(k, 0L)));
    return out;
  }

  private static String classify(Path p, List<App> apps, long self) {
    try {
      if (Long.parseLong(p.getFileName().toString()) == self) {
        return "workload";
      }
      String comm = Files.readString(p.resolve("comm"), StandardCharsets.UTF_8).trim();
      if (comm.equals("postgres")) {
        return "postgres";
      }
      if (comm.startsWith("redis-server")) {
        return "redis";
      }
      if (!comm.equals("java")) {
        return null;
      }
      String cmdline =
          new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8)
              .replace('\0', ' ');
      if (cmdline.contains("kafka.Kafka ") || cmdline.contains("org.apache.kafka.server")) {
        return "kafka";
      }
      for (App app : apps) {
        if (cmdline.contains("-Dquarkus.http.port=" + app.port() + " ")
            && cmdline.contains("quarkus-run.jar")) {
          return app.function();
        }
      }
      return null;
    } catch (IOException | RuntimeException gone) {
      return null; // the process ended meanwhile
    }
  }

  private static long cpuMillis(Path p) {
    try {
      String stat = Files.readString(p.resolve("stat"), StandardCharsets.UTF_8);
      // Fields after the command name (in parentheses, which may hold spaces): utime is the 14th
      // field of the line, stime the 15th.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 1000 / TICKS;
    } catch (IOException | RuntimeException gone) {
      return 0;
    }
  }
}
