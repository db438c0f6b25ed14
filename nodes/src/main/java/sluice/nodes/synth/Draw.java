package sluice.nodes.synth;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Random;
import sluice.crypto.Province;

/**
 * Seeded random choices for the generator. Each (seed, province, purpose) gets its own stream, so a
 * province's people are the same whichever other provinces are generated alongside it.
 * {@link Random}'s algorithm is fixed by its specification, which keeps output identical across
 * JVMs. Not thread-safe; one instance per stream.
 */
final class Draw {

  private final Random random;

  private Draw(long seed) {
    this.random = new Random(seed);
  }

  /** The stream for {@code purpose} in {@code province} under the run's {@code seed}. */
  static Draw stream(long seed, Province province, String purpose) {
    long h = mix(seed);
    h = mix(h ^ province.code());
    h = mix(h ^ purpose.hashCode());
    return new Draw(h);
  }

  /** Uniform in {@code [min, max]}. */
  int between(int min, int max) {
    return min + random.nextInt(max - min + 1);
  }

  /** True with probability {@code p}. */
  boolean chance(double p) {
    return random.nextDouble() < p;
  }

  <T> T pick(List<T> items) {
    return items.get(random.nextInt(items.size()));
  }

  char pick(String chars) {
    return chars.charAt(random.nextInt(chars.length()));
  }

  /** One of {@code values}, chosen with the relative {@code weights}. */
  String weighted(String[] values, int[] weights) {
    int total = 0;
    for (int w : weights) {
      total += w;
    }
    int r = random.nextInt(total);
    for (int i = 0; i < values.length; i++) {
      r -= weights[i];
      if (r < 0) {
        return values[i];
      }
    }
    return values[values.length - 1];
  }

  /** Uniform in {@code [from, to]}; {@code from} when the range is empty. */
  LocalDate date(LocalDate from, LocalDate to) {
    long days = ChronoUnit.DAYS.between(from, to);
    return days <= 0 ? from : from.plusDays(random.nextInt((int) days + 1));
  }

  /** Log-uniform in {@code [min, max]}, so every order of magnitude is about equally likely. */
  double logUniform(double min, double max) {
    return Math.exp(Math.log(min) + random.nextDouble() * (Math.log(max) - Math.log(min)));
  }

  /** {@code value} as a plain decimal with 2 places. */
  static String money(double value) {
    return BigDecimal.valueOf(Math.round(value * 100), 2).toPlainString();
  }

  /** SplitMix64's finaliser: spreads nearby seeds to unrelated ones. */
  private static long mix(long z) {
    z += 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
