package sluice.catalog.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import sluice.catalog.grant.AccessRequest;
import sluice.catalog.grant.Grant;
import sluice.catalog.grant.MaskChoices;
import sluice.catalog.grant.GrantStore;
import sluice.crypto.NodeId;

/** Access requests and grants in a {@link Database}. Thread-safe. */
public final class JdbcGrantStore implements GrantStore {
  private final Database db;

  public JdbcGrantStore(Database db) {
    this.db = db;
  }

  @Override
  public void insert(AccessRequest r) {
    update(
        "INSERT INTO access_request (id, consumer, resource_code, fields, purposes, legal_basis, duration_days,"
            + " expected_daily_volume, requested_at, status, decided_at, decided_by, decision_reason, grant_id,"
            + " query_access, masks) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        r.id(), r.consumer().toString(), r.resourceCode(), join(r.fields()), join(r.purposes()), r.legalBasis(),
        r.durationDays(), r.expectedDailyVolume(), ts(r.requestedAt()), r.status().name(), ts(r.decidedAt()),
        r.decidedBy(), r.decisionReason(), r.grantId(), r.query(), MaskChoices.write(r.masks()));
  }

  /**
   * Records a decision, only if the request is still pending.
   *
   * @return false if someone decided it first
   */
  @Override
  public boolean decide(AccessRequest decided) {
    return update(
            "UPDATE access_request SET status = ?, decided_at = ?, decided_by = ?, decision_reason = ?, grant_id = ?"
                + " WHERE id = ? AND status = 'PENDING'",
            decided.status().name(), ts(decided.decidedAt()), decided.decidedBy(), decided.decisionReason(),
            decided.grantId(), decided.id())
        == 1;
  }

  @Override
  public Optional<AccessRequest> request(String id) {
    List<AccessRequest> rows = requests("SELECT * FROM access_request WHERE id = ?", id);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  /** Requests for the resources whose codes start with {@code codePrefix} ("" for all), newest first. */
  @Override
  public List<AccessRequest> requests(String codePrefix, AccessRequest.Status status) {
    return status == null
        ? requests("SELECT * FROM access_request WHERE resource_code LIKE ? ORDER BY requested_at DESC, id", codePrefix + "%")
        : requests(
            "SELECT * FROM access_request WHERE resource_code LIKE ? AND status = ? ORDER BY requested_at DESC, id",
            codePrefix + "%", status.name());
  }

  @Override
  public void insert(Grant g) {
    update(
        "INSERT INTO access_grant (id, consumer, resource_code, fields, purposes, issued_at, expires_at, daily_quota,"
            + " revoked_at, revocation_reason, query_access, masks, same_province_field)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        g.id(), g.consumer().toString(), g.resourceCode(), join(List.copyOf(g.fields())), join(List.copyOf(g.purposes())),
        ts(g.issuedAt()), ts(g.expiresAt()), g.dailyQuota(), ts(g.revokedAt()), g.revocationReason(), g.query(),
        MaskChoices.write(g.masks()), g.sameProvinceField());
  }

  /**
   * Marks a grant revoked.
   *
   * @return false if it was unknown or already revoked
   */
  @Override
  public boolean revoke(String id, Instant at, String reason) {
    return update(
            "UPDATE access_grant SET revoked_at = ?, revocation_reason = ? WHERE id = ? AND revoked_at IS NULL",
            ts(at), reason, id)
        == 1;
  }

  @Override
  public Optional<Grant> grant(String id) {
    List<Grant> rows = grants("SELECT * FROM access_grant WHERE id = ?", id);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  /** Every grant of {@code consumer} for {@code resourceCode}, in force or not. */
  @Override
  public List<Grant> grants(NodeId consumer, String resourceCode) {
    return grants(
        "SELECT * FROM access_grant WHERE consumer = ? AND resource_code = ? ORDER BY issued_at, id",
        consumer.toString(), resourceCode);
  }

  /** Grants on resources whose codes start with {@code codePrefix} ("" for all). */
  @Override
  public List<Grant> grants(String codePrefix) {
    return grants("SELECT * FROM access_grant WHERE resource_code LIKE ? ORDER BY issued_at, id", codePrefix + "%");
  }

  private List<AccessRequest> requests(String sql, Object... args) {
    return query(sql, args, rs -> new AccessRequest(
        rs.getString("id"), NodeId.parse(rs.getString("consumer")), rs.getString("resource_code"),
        split(rs.getString("fields")), split(rs.getString("purposes")), rs.getString("legal_basis"),
        rs.getInt("duration_days"), rs.getLong("expected_daily_volume"), instant(rs, "requested_at"),
        AccessRequest.Status.valueOf(rs.getString("status")), instant(rs, "decided_at"), rs.getString("decided_by"),
        rs.getString("decision_reason"), rs.getString("grant_id"), rs.getBoolean("query_access"),
        MaskChoices.read(rs.getString("masks"))));
  }

  private List<Grant> grants(String sql, Object... args) {
    return query(sql, args, rs -> new Grant(
        rs.getString("id"), NodeId.parse(rs.getString("consumer")), rs.getString("resource_code"),
        new LinkedHashSet<>(split(rs.getString("fields"))), new LinkedHashSet<>(split(rs.getString("purposes"))),
        instant(rs, "issued_at"), instant(rs, "expires_at"), rs.getLong("daily_quota"), instant(rs, "revoked_at"),
        rs.getString("revocation_reason"), rs.getBoolean("query_access"),
        MaskChoices.read(rs.getString("masks")), rs.getString("same_province_field")));
  }

  private interface Row<T> {
    T read(ResultSet rs) throws SQLException;
  }

  private <T> List<T> query(String sql, Object[] args, Row<T> row) {
    try (Connection c = db.connection();
        PreparedStatement st = c.prepareStatement(sql)) {
      bind(st, args);
      List<T> out = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(row.read(rs));
        }
      }
      return out;
    } catch (SQLException e) {
      throw DatabaseUnavailableException.of("grant database read failed", e);
    }
  }

  private int update(String sql, Object... args) {
    try (Connection c = db.connection();
        PreparedStatement st = c.prepareStatement(sql)) {
      bind(st, args);
      return st.executeUpdate();
    } catch (SQLException e) {
      throw DatabaseUnavailableException.of("grant database write failed", e);
    }
  }

  private static void bind(PreparedStatement st, Object[] args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      if (args[i] == null) {
        st.setNull(i + 1, Types.NULL);
      } else {
        st.setObject(i + 1, args[i]);
      }
    }
  }

  private static OffsetDateTime ts(Instant i) {
    return i == null ? null : i.atOffset(ZoneOffset.UTC);
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  private static String join(List<String> values) {
    return String.join(",", values);
  }

  private static List<String> split(String s) {
    return s == null || s.isEmpty() ? List.of() : Arrays.asList(s.split(","));
  }
}
