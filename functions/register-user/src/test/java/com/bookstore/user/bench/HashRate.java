package com.bookstore.user.bench;

import com.bookstore.user.PasswordHasher;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bcrypt hash's own rate on this machine, with the cost register-user uses: the ceiling for
 * registrations per second. Run by tests/bench/register-user.sh, not by the test suite.
 *
 * <p>Arguments: cost, threads, seconds.
 */
public final class HashRate {
  public static void main(String[] args) throws InterruptedException {
    int cost = Integer.parseInt(args[0]);
    int threads = Integer.parseInt(args[1]);
    long seconds = Long.parseLong(args[2]);
    PasswordHasher hasher = new PasswordHasher(cost);
    hasher.hash("warm-up-Password-1"); // class loading and JIT out of the measured window
    AtomicLong hashes = new AtomicLong();
    long start = System.nanoTime();
    long end = start + seconds * 1_000_000_000L;
    Thread[] workers = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      int n = t;
      workers[t] =
          new Thread(
              () -> {
                long i = 0;
                while (System.nanoTime() < end) {
                  hasher.hash("Correct-Horse-" + n + "-" + i++);
                  hashes.incrementAndGet();
                }
              });
      workers[t].start();
    }
    for (Thread w : workers) {
      w.join();
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    System.out.printf("%.1f%n", hashes.get() / elapsed);
  }
}
