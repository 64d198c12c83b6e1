package com.bookstore.e2e;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * OK/FAIL lines for what a run can verify cheaply; the caller exits non-zero when any failed. Each
 * check names what it holds to, and a failure says which orders or books broke it (the first few).
 */
public final class Checks {
  private static final int SHOWN = 5;

  private final PrintStream out;
  private int failed;
  private int passed;

  public Checks(PrintStream out) {
    this.out = out;
  }

  /** OK when {@code offenders} is empty; FAIL naming the first few otherwise. */
  public void none(String claim, List<String> offenders) {
    if (offenders.isEmpty()) {
      ok(claim);
    } else {
      List<String> shown = offenders.subList(0, Math.min(SHOWN, offenders.size()));
      fail(
          claim,
          offenders.size()
              + " offending: "
              + String.join("; ", shown)
              + (offenders.size() > SHOWN ? "; ..." : ""));
    }
  }

  public void that(String claim, boolean holds, String otherwise) {
    if (holds) {
      ok(claim);
    } else {
      fail(claim, otherwise);
    }
  }

  /** A check that could not be made (a dependency missing); printed, counted as failed. */
  public void unavailable(String claim, String why) {
    fail(claim, "could not check: " + why);
  }

  private void ok(String claim) {
    passed++;
    out.println("OK   " + claim);
  }

  private void fail(String claim, String detail) {
    failed++;
    out.println("FAIL " + claim + " -- " + detail);
  }

  public int failed() {
    return failed;
  }

  public int passed() {
    return passed;
  }

  /** Collects offenders for {@link #none}. */
  public static List<String> list() {
    return new ArrayList<>();
  }
}
