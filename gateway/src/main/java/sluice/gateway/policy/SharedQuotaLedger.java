package sluice.gateway.policy;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import sluice.catalog.store.ConnectionPools;
import sluice.crypto.NodeId;

/**
 * Counts in a database shared by every instance of one gateway, so that the instances together
 * never pass a grant's daily quota.
 *
 * <p>An instance does not ask the database on every call: it leases a block of the day's quota
 * ({@link #block}: a hundredth of it, at most 1,000) with one atomic update that succeeds only if
 * the instances' leases stay within the quota, and charges calls against its block until it is
 * spent. Near the end of a quota, when a whole block no longer fits, it leases just what the call
 * needs. So the total charged never passes the quota; the price is that units an instance leased
 * but did not use (about a block per instance, or more if an instance stops) are lost for the
 * day: with k instances up to about k% of a quota may go unused. When the database does not
 * answer, calls that need a new lease are refused (UNAVAILABLE) rather than counted nowhere.
 *
 * <pre>
 * quota_lease(gateway, grant_id, quota_day, leased)   units leased by the gateway's instances
 * </pre>
 */
public final class SharedQuotaLedger implements QuotaLedger {
  private static final System.Logger LOG = System.getLogger(SharedQuotaLedger.class.getName());
  /** How long a call waits for a database connection before it is refused. */
  static final long CONNECTION_TIMEOUT_MILLIS = 5_000;
  /** Days of rows kept (older ones are deleted when a day begins). */
  private static final int DAYS_KEPT = 7;

  private final HikariDataSource pool;
  private final String gateway;
  private final Map<String, Allowance> allowances = new ConcurrentHashMap<>();
  private volatile String countingDay = "";

  /** What this instance leased for one grant on one day and has not charged yet. */
  private static final class Allowance {
    long remaining;
    long charged;
  }

  private SharedQuotaLedger(HikariDataSource pool, NodeId gateway) {
    this.pool = pool;
    this.gateway = gateway.toString();
  }

  /**
   * Opens the ledger of {@code gateway} in the database at {@code jdbcUrl}, creating its table if
   * missing.
   *
   * @throws IllegalStateException naming the URL when the database cannot be opened
   */
  public static SharedQuotaLedger open(String jdbcUrl, String user, String password, NodeId gateway) {
    HikariDataSource pool = ConnectionPools.open(jdbcUrl, user, password, "sluice-quota", 2,
        CONNECTION_TIMEOUT_MILLIS, "the quota ledger");
    // Instances starting together may race to create the table: the loser's attempt fails, its
    // second finds the table.
    for (int attempt = 1; ; attempt++) {
      try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
        st.execute("CREATE TABLE IF NOT EXISTS quota_lease (gateway VARCHAR(64) NOT NULL,"
            + " grant_id VARCHAR(128) NOT NULL, quota_day VARCHAR(10) NOT NULL, leased BIGINT NOT NULL,"
            + " PRIMARY KEY (gateway, grant_id, quota_day))");
        return new SharedQuotaLedger(pool, gateway);
      } catch (SQLException e) {
        if (attempt == 2) {
          pool.close();
          throw new IllegalStateException("cannot prepare the quota ledger " + ConnectionPools.redact(jdbcUrl) + ": "
              + e.getMessage(), e);
        }
      }
    }
  }

  /** The block an instance leases at a time for a quota of {@code quota}. */
  static long block(long quota) {
    return Math.max(1, Math.min(1_000, quota / 100));
  }

  @Override
  public boolean charge(String grantId, String day, long subjects, long quota) throws UnavailableException {
    if (quota <= 0) {
      return true; // no quota: nothing to count
    }
    if (subjects > quota) {
      return false;
    }
    forget(day);
    Allowance a = allowances.computeIfAbsent(grantId + "@" + day, k -> new Allowance());
    synchronized (a) {
      if (a.remaining < subjects) {
        long need = subjects - a.remaining;
        long got = 0;
        try {
          if (block(quota) > need) {
            got = lease(grantId, day, block(quota), quota);
          }
          if (got == 0) {
            got = lease(grantId, day, need, quota);
          }
        } catch (SQLException e) {
          throw new UnavailableException("the daily quota of grant " + grantId + " is counted in a database shared"
              + " by every instance of " + gateway + ", and it does not answer (" + e.getMessage() + "); retry shortly", e);
        }
        if (got == 0) {
          return false;
        }
        a.remaining += got;
      }
      a.remaining -= subjects;
      a.charged += subjects;
      return true;
    }
  }

  /** Leases {@code units} if the day's leases stay within {@code quota}; returns {@code units} or 0. */
  private long lease(String grantId, String day, long units, long quota) throws SQLException {
    try (Connection c = pool.getConnection();
        PreparedStatement update = c.prepareStatement("UPDATE quota_lease SET leased = leased + ?"
            + " WHERE gateway = ? AND grant_id = ? AND quota_day = ? AND leased + ? <= ?")) {
      update.setLong(1, units);
      update.setString(2, gateway);
      update.setString(3, grantId);
      update.setString(4, day);
      update.setLong(5, units);
      update.setLong(6, quota);
      if (update.executeUpdate() == 1) {
        return units;
      }
      // No row yet, or the lease does not fit. A row inserted now (by this instance or another)
      // makes the update worth one more try; a row that was there already means it did not fit.
      try (PreparedStatement insert = c.prepareStatement(
          "INSERT INTO quota_lease (gateway, grant_id, quota_day, leased) VALUES (?, ?, ?, 0)")) {
        insert.setString(1, gateway);
        insert.setString(2, grantId);
        insert.setString(3, day);
        insert.executeUpdate();
      } catch (SQLException e) {
        if (!"23505".equals(e.getSQLState())) {
          throw e;
        }
        return 0;
      }
      return update.executeUpdate() == 1 ? units : 0;
    }
  }

  @Override
  public long used(String grantId, String day) {
    Allowance a = allowances.get(grantId + "@" + day);
    if (a == null) {
      return 0;
    }
    synchronized (a) {
      return a.charged;
    }
  }

  /** On a new day, drops this instance's allowances of earlier days, and the rows of long-past days. */
  private void forget(String day) {
    if (day.equals(countingDay)) {
      return;
    }
    countingDay = day;
    allowances.keySet().removeIf(k -> !k.endsWith("@" + day));
    try (Connection c = pool.getConnection();
        PreparedStatement delete = c.prepareStatement("DELETE FROM quota_lease WHERE gateway = ? AND quota_day < ?")) {
      delete.setString(1, gateway);
      delete.setString(2, LocalDate.parse(day).minusDays(DAYS_KEPT).toString());
      delete.executeUpdate();
    } catch (SQLException | RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "quota ledger of " + gateway + ": cannot delete old days' rows: "
          + e.getMessage());
    }
  }

  @Override
  public void close() {
    pool.close();
  }
}
