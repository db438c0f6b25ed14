package sluice.gateway.policy;

/**
 * Where a gateway counts each grant's subjects per calendar day against the grant's daily quota.
 * {@link LocalQuotaLedger} counts in memory, for a gateway run as one instance;
 * {@link SharedQuotaLedger} counts in a database every instance of a gateway shares, so that
 * instances together never pass a quota.
 */
public interface QuotaLedger extends AutoCloseable {
  /**
   * Charges {@code subjects} to grant {@code grantId} on {@code day} if that keeps the day's total
   * within {@code quota}.
   *
   * @return whether it was charged (false: the quota would be passed, nothing charged)
   * @throws UnavailableException when the count cannot be consulted (the call must be refused)
   */
  boolean charge(String grantId, String day, long subjects, long quota) throws UnavailableException;

  /** Subjects charged to {@code grantId} on {@code day} as far as this gateway knows (at most the true count). */
  long used(String grantId, String day);

  @Override
  void close();

  /** The shared count cannot be reached. */
  final class UnavailableException extends Exception {
    public UnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
