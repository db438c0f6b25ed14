package sluice.catalog.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import sluice.catalog.entry.CatalogueEntries;
import sluice.catalog.entry.CatalogueEntry;
import sluice.catalog.entry.EntryWriter;
import sluice.catalog.entry.InvalidEntryException;

/**
 * A {@link CatalogStore} in a {@link Database}. Entries are stored as the same JSON documents
 * stewards write, one row per version.
 */
public final class JdbcCatalogStore implements CatalogStore {
  private static final String UNIQUE_VIOLATION = "23505";

  private final Database db;
  private final Clock clock;

  /** A store over {@code db}; it does not own the database. */
  public JdbcCatalogStore(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  @Override
  public CatalogueEntry register(CatalogueEntry entry) throws CatalogConflictException {
    CatalogueEntry first = entry.withVersion(1);
    try {
      insert(first);
    } catch (CatalogConflictException e) {
      throw new CatalogConflictException(CatalogConflictException.Kind.EXISTS,
          "resource " + entry.resourceCode() + " is already registered; update it instead");
    }
    return first;
  }

  @Override
  public CatalogueEntry update(CatalogueEntry entry, int basedOn) throws CatalogConflictException {
    CatalogueEntry current =
        get(entry.resourceCode())
            .orElseThrow(
                () ->
                    new CatalogConflictException(CatalogConflictException.Kind.UNKNOWN,
                        "resource " + entry.resourceCode() + " is not registered; register it first"));
    if (current.version() != basedOn) {
      throw new CatalogConflictException(CatalogConflictException.Kind.STALE,
          "resource " + entry.resourceCode() + " is at version " + current.version()
              + " but the change was made to version " + basedOn + ": reload it and apply the change again");
    }
    if (!current.provider().node().equals(entry.provider().node())) {
      throw new CatalogConflictException(CatalogConflictException.Kind.REFUSED,
          "resource " + entry.resourceCode() + " belongs to " + current.provider().node()
              + "; a change cannot move it to " + entry.provider().node());
    }
    CatalogueEntry next = entry.withVersion(basedOn + 1);
    try {
      insert(next);
    } catch (CatalogConflictException e) {
      throw new CatalogConflictException(CatalogConflictException.Kind.STALE,
          "resource " + entry.resourceCode() + " changed while this change was being stored: reload it and apply the change again");
    }
    return next;
  }

  @Override
  public CatalogueEntry deprecate(String resourceCode, LocalDate sunsetOn) throws CatalogConflictException {
    CatalogueEntry current =
        get(resourceCode)
            .orElseThrow(() -> new CatalogConflictException(
                    CatalogConflictException.Kind.UNKNOWN, "resource " + resourceCode + " is not registered"));
    return update(current.deprecated(sunsetOn), current.version());
  }

  @Override
  public Optional<CatalogueEntry> get(String resourceCode) {
    return one(
        "SELECT body FROM catalogue_entry WHERE resource_code = ? ORDER BY version DESC LIMIT 1",
        resourceCode, null);
  }

  @Override
  public Optional<CatalogueEntry> get(String resourceCode, int version) {
    return one(
        "SELECT body FROM catalogue_entry WHERE resource_code = ? AND version = ?", resourceCode, version);
  }

  @Override
  public List<CatalogueEntry> history(String resourceCode) {
    return query("SELECT body FROM catalogue_entry WHERE resource_code = ? ORDER BY version", List.of(resourceCode));
  }

  @Override
  public List<CatalogueEntry> list(Filter filter) {
    StringBuilder sql =
        new StringBuilder(
            "SELECT e.body FROM catalogue_entry e WHERE e.version ="
                + " (SELECT MAX(x.version) FROM catalogue_entry x WHERE x.resource_code = e.resource_code)");
    List<Object> args = new ArrayList<>();
    if (filter.providerPrefix() != null) {
      sql.append(" AND (e.provider_node = ? OR e.provider_node LIKE ?)");
      args.add(filter.providerPrefix());
      args.add(filter.providerPrefix().replace("%", "").replace("_", "\\_") + "/%");
    }
    if (filter.status() != null) {
      sql.append(" AND e.status = ?");
      args.add(filter.status().name());
    }
    sql.append(" ORDER BY e.resource_code");
    return query(sql.toString(), args);
  }

  /** Does nothing: the store does not own its {@link Database}. */
  @Override
  public void close() {}

  private void insert(CatalogueEntry e) throws CatalogConflictException {
    try (Connection c = db.connection();
        PreparedStatement st =
            c.prepareStatement(
                "INSERT INTO catalogue_entry (resource_code, version, provider_node, status, body, recorded_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?)")) {
      st.setString(1, e.resourceCode());
      st.setInt(2, e.version());
      st.setString(3, e.provider().node().toString());
      st.setString(4, e.status().name());
      st.setString(5, EntryWriter.toJson(e));
      st.setObject(6, clock.instant().atOffset(java.time.ZoneOffset.UTC));
      st.executeUpdate();
    } catch (SQLException ex) {
      if (UNIQUE_VIOLATION.equals(ex.getSQLState())) {
        throw new CatalogConflictException(CatalogConflictException.Kind.STALE, "version " + e.version() + " of " + e.resourceCode() + " exists");
      }
      throw DatabaseUnavailableException.of("catalogue database write failed", ex);
    }
  }

  private Optional<CatalogueEntry> one(String sql, String code, Integer version) {
    List<Object> args = new ArrayList<>();
    args.add(code);
    if (version != null) {
      args.add(version);
    }
    List<CatalogueEntry> rows = query(sql, args);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  private List<CatalogueEntry> query(String sql, List<?> args) {
    try (Connection c = db.connection();
        PreparedStatement st = c.prepareStatement(sql)) {
      for (int i = 0; i < args.size(); i++) {
        st.setObject(i + 1, args.get(i));
      }
      List<CatalogueEntry> out = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(parse(rs.getString(1)));
        }
      }
      return out;
    } catch (SQLException e) {
      throw DatabaseUnavailableException.of("catalogue database read failed", e);
    }
  }

  private static CatalogueEntry parse(String body) {
    try {
      return CatalogueEntries.fromJson(body, "stored entry");
    } catch (InvalidEntryException e) {
      throw new IllegalStateException("a stored catalogue entry no longer passes validation: " + e.getMessage(), e);
    }
  }
}
