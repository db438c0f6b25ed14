package sluice.gateway.policy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import sluice.crypto.NodeId;

/**
 * A burst limit per consumer department at the provider's gateway: a token bucket of
 * {@code burst} calls refilled at {@code perSecond}. Buckets of consumers idle for ten minutes
 * are forgotten (they would be full again anyway). Thread-safe.
 */
public final class ConsumerRateLimit {
  private final double perSecond;
  private final int burst;
  private final Cache<NodeId, Bucket> buckets =
      Caffeine.newBuilder().expireAfterAccess(Duration.ofMinutes(10)).maximumSize(100_000).build();

  public ConsumerRateLimit(double perSecond, int burst) {
    if (perSecond <= 0 || burst < 1) {
      throw new IllegalArgumentException("a rate limit needs perSecond > 0 and burst >= 1");
    }
    this.perSecond = perSecond;
    this.burst = burst;
  }

  public double perSecond() {
    return perSecond;
  }

  public int burst() {
    return burst;
  }

  /**
   * Takes one call for {@code consumer} at {@code nowNanos} (a {@link System#nanoTime} reading).
   *
   * @return 0 when admitted, else how many nanoseconds until a call would be
   */
  public long tryAcquire(NodeId consumer, long nowNanos) {
    return buckets.get(consumer, c -> new Bucket(burst, nowNanos)).take(nowNanos, perSecond, burst);
  }

  private static final class Bucket {
    private double tokens;
    private long at;

    Bucket(int burst, long now) {
      this.tokens = burst;
      this.at = now;
    }

    synchronized long take(long now, double perSecond, int burst) {
      tokens = Math.min(burst, tokens + (now - at) / 1e9 * perSecond);
      at = now;
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return (long) Math.ceil((1 - tokens) / perSecond * 1e9);
    }
  }
}
