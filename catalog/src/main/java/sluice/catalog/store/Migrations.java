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
                  + " recorded_at TIMESTAMP WITH TIME ZONE NOT NULL,"
                  + " PRIMARY KEY (resource_code, version))",
              "CREATE INDEX catalogue_entry_provider ON catalogue_entry (provider_node)"),
          List.of(
              "CREATE TABLE access_request ("
                  + " id VARCHAR(40) NOT NULL PRIMARY KEY,"
                  + " consumer VARCHAR(80) NOT NULL,"
                  + " resource_code VARCHAR(32) NOT NULL,"
                  + " fields VARCHAR(4000) NOT NULL,"
                  + " purposes VARCHAR(4000) NOT NULL,"
                  + " legal_basis VARCHAR(1000) NOT NULL,"
                  + " duration_days INTEGER NOT NULL,"
                  + " expected_daily_volume BIGINT NOT NULL,"
                  + " requested_at TIMESTAMP WITH TIME ZONE NOT NULL,"
                  + " status VARCHAR(16) NOT NULL,"
                  + " decided_at TIMESTAMP WITH TIME ZONE,"
                  + " decided_by VARCHAR(200),"
                  + " decision_reason VARCHAR(1000),"
                  + " grant_id VARCHAR(40))",
              "CREATE TABLE access_grant ("
                  + " id VARCHAR(40) NOT NULL PRIMARY KEY,"
                  + " consumer VARCHAR(80) NOT NULL,"
                  + " resource_code VARCHAR(32) NOT NULL,"
                  + " fields VARCHAR(4000) NOT NULL,"
                  + " purposes VARCHAR(4000) NOT NULL,"
                  + " issued_at TIMESTAMP WITH TIME ZONE NOT NULL,"
                  + " expires_at TIMESTAMP WITH TIME ZONE NOT NULL,"
                  + " daily_quota BIGINT NOT NULL,"
                  + " revoked_at TIMESTAMP WITH TIME ZONE,"
                  + " revocation_reason VARCHAR(1000))",
              "CREATE INDEX access_grant_consumer ON access_grant (consumer, resource_code)",
              "CREATE INDEX access_request_resource ON access_request (resource_code, status)"),
          List.of(
              "ALTER TABLE access_request ADD COLUMN query_access BOOLEAN DEFAULT FALSE NOT NULL",
              "ALTER TABLE access_grant ADD COLUMN query_access BOOLEAN DEFAULT FALSE NOT NULL"),
          List.of(
              "ALTER TABLE access_request ADD COLUMN masks VARCHAR(4000) DEFAULT '' NOT NULL",
              "ALTER TABLE access_grant ADD COLUMN masks VARCHAR(4000) DEFAULT '' NOT NULL"),
          List.of("ALTER TABLE access_grant ADD COLUMN same_province_field VARCHAR(64)"));

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
