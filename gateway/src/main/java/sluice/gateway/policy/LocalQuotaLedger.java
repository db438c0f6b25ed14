package sluice.gateway.policy;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts in memory, for a gateway run as one instance. Only the current day's counts are kept.
 * Thread-safe: of two calls racing for a quota's last units, one is refused.
 */
public final class LocalQuotaLedger implements QuotaLedger {
  private final Map<String, AtomicLong> usage = new ConcurrentHashMap<>();
  private volatile String countingDay = "";

  @Override
  public boolean charge(String grantId, String day, long subjects, long quota) {
    forget(day);
    AtomicLong n = usage.computeIfAbsent(grantId + "@" + day, k -> new AtomicLong());
    long after = n.addAndGet(subjects);
    if (quota > 0 && after > quota) {
      n.addAndGet(-subjects);
      return false;
    }
    return true;
  }

  @Override
  public long used(String grantId, String day) {
    AtomicLong n = usage.get(grantId + "@" + day);
    return n == null ? 0 : n.get();
  }

  /** On a new day, drops the counts of earlier ones. */
  private void forget(String day) {
    if (!day.equals(countingDay)) {
      countingDay = day;
      usage.keySet().removeIf(k -> !k.endsWith("@" + day));
    }
  }

  @Override
  public void close() {}
}
