package sluice.catalog.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/** Opens the small HikariCP pools Sluice's stores keep, with messages that never show a password. */
public final class ConnectionPools {
  private ConnectionPools() {}

  /**
   * A pool of at most {@code size} connections to {@code jdbcUrl} (one kept open while idle),
   * named {@code name} in logs, whose callers wait at most {@code timeoutMillis} for a connection
   * while the database is away.
   *
   * @param what what the database holds, for the message when it cannot be opened
   * @throws IllegalStateException naming {@code what} and the URL (password hidden)
   */
  public static HikariDataSource open(String jdbcUrl, String user, String password, String name, int size,
      long timeoutMillis, String what) {
    HikariConfig config = config(jdbcUrl, user, password, name, size, timeoutMillis);
    config.setMinimumIdle(1);
    return start(config, what);
  }

  /**
   * As {@link #open}, with read-only connections, all {@code size} kept open (a department's
   * records, looked up on every question).
   */
  public static HikariDataSource openReadOnly(String jdbcUrl, String user, String password, String name, int size,
      long timeoutMillis, String what) {
    HikariConfig config = config(jdbcUrl, user, password, name, size, timeoutMillis);
    config.setReadOnly(true);
    return start(config, what);
  }

  private static HikariConfig config(String jdbcUrl, String user, String password, String name, int size,
      long timeoutMillis) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(size);
    config.setPoolName(name);
    config.setConnectionTimeout(timeoutMillis);
    return config;
  }

  private static HikariDataSource start(HikariConfig config, String what) {
    try {
      return new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new IllegalStateException("cannot open " + what + " " + redact(config.getJdbcUrl()) + ": " + e.getMessage(),
          e);
    }
  }

  /** {@code url} without the password it may carry, and without H2's settings after the path. */
  public static String redact(String url) {
    return url.split(";")[0].replaceAll("(?i)(password=)[^;&]*", "$1***");
  }
}
