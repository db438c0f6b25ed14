package sluice.catalog.store;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * A gateway's catalogue database: an embedded H2 file by default, PostgreSQL (or openGauss,
 * KingbaseES) by JDBC URL. Opening it applies pending schema migrations. Thread-safe; close it
 * after the stores built on it.
 */
public final class Database implements AutoCloseable {
  /** How long an operation waits for a connection before failing with {@link DatabaseUnavailableException}. */
  static final long CONNECTION_TIMEOUT_MILLIS = 5_000;

  private final HikariDataSource pool;

  private Database(HikariDataSource pool) {
    this.pool = pool;
  }

  /** An embedded H2 database in {@code dir} (created if missing); nothing to install. */
  public static Database h2(Path dir) {
    return open("jdbc:h2:file:" + dir.toAbsolutePath().resolve("catalog") + ";DB_CLOSE_ON_EXIT=FALSE", "sa", "");
  }

  /**
   * Opens the database at {@code jdbcUrl} and applies pending migrations.
   *
   * @throws IllegalStateException naming the URL (without password) when that fails
   */
  public static Database open(String jdbcUrl, String user, String password) {
    // A steward's call waits at most CONNECTION_TIMEOUT_MILLIS for a connection while the database is away.
    HikariDataSource pool = ConnectionPools.open(jdbcUrl, user, password, "sluice-catalog", 4,
        CONNECTION_TIMEOUT_MILLIS, "catalogue database");
    try (Connection c = pool.getConnection()) {
      Migrations.apply(c);
    } catch (SQLException e) {
      pool.close();
      throw new IllegalStateException(
          "cannot migrate catalogue database " + ConnectionPools.redact(jdbcUrl) + ": " + e.getMessage(), e);
    }
    return new Database(pool);
  }

  /**
   * A value that changes whenever an entry version is stored or a grant is issued or revoked,
   * cheap enough to poll.
   */
  public String changeMarker() {
    try (Connection c = connection();
        java.sql.Statement st = c.createStatement();
        java.sql.ResultSet rs =
            st.executeQuery(
                "SELECT (SELECT COUNT(*) FROM catalogue_entry), (SELECT COUNT(*) FROM access_grant),"
                    + " (SELECT COUNT(revoked_at) FROM access_grant)")) {
      rs.next();
      return rs.getLong(1) + "/" + rs.getLong(2) + "/" + rs.getLong(3);
    } catch (SQLException e) {
      throw DatabaseUnavailableException.of("catalogue database read failed", e);
    }
  }

  Connection connection() throws SQLException {
    return pool.getConnection();
  }

  @Override
  public void close() {
    pool.close();
  }
}
