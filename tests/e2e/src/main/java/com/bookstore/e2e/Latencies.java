package com.bookstore.e2e;

import java.util.Arrays;
import java.util.Locale;

/**
 * A set of latency samples and their percentiles (nearest rank: p99 of 300 samples is the 297th
 * smallest, a value that was really observed). Not thread-safe; fill it from one thread.
 */
public final class Latencies {
  private double[] values = new double[256];
  private int size;
  private boolean sorted = true;

  public void add(double value) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = value;
    sorted = false;
  }

  public int count() {
    return size;
  }

  /** The nearest-rank percentile, {@code p} in (0, 100]; NaN when empty. */
  public double percentile(double p) {
    if (p <= 0 || p > 100) {
      throw new IllegalArgumentException("percentile must be in (0, 100]: " + p);
    }
    if (size == 0) {
      return Double.NaN;
    }
    sort();
    int rank = (int) Math.ceil(p * size / 100.0);
    return values[Math.max(0, rank - 1)];
  }

  public double max() {
    return size == 0 ? Double.NaN : percentile(100);
  }

  public double mean() {
    if (size == 0) {
      return Double.NaN;
    }
    double sum = 0;
    for (int i = 0; i < size; i++) {
      sum += values[i];
    }
    return sum / size;
  }

  /** {@code p50 12 ms p95 40 ms p99 61 ms max 70 ms (n=300)}. */
  public String summary(String unit) {
    if (size == 0) {
      return "no samples";
    }
    return String.format(
        Locale.ROOT,
        "p50 %s %s  p95 %s %s  p99 %s %s  max %s %s  (n=%d)",
        fmt(percentile(50)),
        unit,
        fmt(percentile(95)),
        unit,
        fmt(percentile(99)),
        unit,
        fmt(max()),
        unit,
        size);
  }

  static String fmt(double v) {
    if (Double.isNaN(v)) {
      return "-";
    }
    return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
  }

  private void sort() {
    if (!sorted) {
      Arrays.sort(values, 0, size);
      sorted = true;
    }
  }
}
