package sluice.catalog.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The catalogue schema, as numbered steps applied at start in one transaction each. SQL is kept
 * to what H2 and PostgreSQL (and so openGauss and KingbaseES) both accept.
 */
final class Migrations {
  private static final List<List<String>> STEPS =
      List.of(
          List.of(
              "CREATE TABLE catalogue_entry ("
                  + " resource_code VARCHAR(32) NOT NULL,"
                  + " version INTEGER NOT NULL,"
                  + " provider_node VARCHAR(80) NOT NULL,"
                  + " status VARCHAR(16) NOT NULL,"
                  + " body VARCHAR(1000000) NOT NULL,"
                  + " recorded_at TIMESTAMP NOT NULL,"
                  + " PRIMARY KEY (resource_code, version))",
              "CREATE INDEX catalogue_entry_provider ON catalogue_entry (provider_node)"));

  private Migrations() {}

  /** Brings the schema up to date; safe to run at every start and from several instances. */
  static void apply(Connection c) throws SQLException {
    c.setAutoCommit(false);
    try (Statement st = c.createStatement()) {
      st.execute("CREATE TABLE IF NOT EXISTS sluice_schema (step INTEGER NOT NULL PRIMARY KEY)");
      c.commit();
      int done;
      try (ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(step), 0) FROM sluice_schema")) {
        rs.next();
        done = rs.getInt(1);
      }
      for (int step = done + 1; step <= STEPS.size(); step++) {
        for (String sql : STEPS.get(step - 1)) {
          st.execute(sql);
        }
        st.execute("INSERT INTO sluice_schema (step) VALUES (" + step + ")");
        c.commit();
      }
    } catch (SQLException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }
}
