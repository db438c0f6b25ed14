package sluice.nodes.department;

import com.zaxxer.hikari.HikariDataSource;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;
import sluice.catalog.FieldSpec;
import sluice.catalog.ResourceDescriptor;
import sluice.catalog.store.ConnectionPools;
import sluice.catalog.predicate.Record;
import sluice.catalog.predicate.TypedValues;

/**
 * A resource's records in the department's own database, read where they are: each question is
 * one parameterised lookup by subject key (indexed: the key column should be the table's
 * primary key or carry an index), never a copy of the table. PSI and aggregation, which need
 * every key, stream the table through a cursor inside the node. Any JDBC driver on the class path
 * serves; PostgreSQL's is bundled.
 *
 * <p>Columns are the resource's field names unless {@code columns} maps a field to another
 * column; table and column names are checked to be plain SQL identifiers (optionally
 * schema-qualified) and quoted, so configuration cannot inject SQL. When the database fails, a
 * question gets UNAVAILABLE.
 */
public final class JdbcRecordStore implements RecordStore, AutoCloseable {
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
  /** Rows fetched at a time when streaming the whole table (PSI, aggregation). */
  private static final int FETCH = 1000;

  private final ResourceDescriptor resource;
  private final HikariDataSource pool;
  private final String select;
  private final String selectAll;
  private final String count;

  private JdbcRecordStore(ResourceDescriptor resource, HikariDataSource pool, String select, String selectAll, String count) {
    this.resource = resource;
    this.pool = pool;
    this.select = select;
    this.selectAll = selectAll;
    this.count = count;
  }

  /**
   * Connects to {@code url} and checks that {@code table} has a column for every field.
   *
   * @param columns field name to column name, for columns named otherwise; may be empty
   * @throws IllegalArgumentException naming a bad identifier or a missing column
   * @throws IllegalStateException when the database cannot be reached or read
   */
  public static JdbcRecordStore open(ResourceDescriptor resource, String url, String user, String password, String table,
      Map<String, String> columns) {
    String from = qualified(table);
    List<String> cols = new ArrayList<>();
    for (FieldSpec f : resource.fields()) {
      cols.add(quoted(columns.getOrDefault(f.name(), f.name())));
    }
    String key = quoted(columns.getOrDefault(resource.subjectKeyField(), resource.subjectKeyField()));
    String list = String.join(", ", cols);
    HikariDataSource pool = ConnectionPools.openReadOnly(url, user, password, "sluice-records-" + resource.code(), 8,
        5_000, "the database of resource " + resource.code());
    JdbcRecordStore store = new JdbcRecordStore(resource, pool,
        "SELECT " + list + " FROM " + from + " WHERE " + key + " = ?",
        "SELECT " + key + ", " + list + " FROM " + from,
        "SELECT COUNT(*) FROM " + from);
    try (Connection c = pool.getConnection(); PreparedStatement st = c.prepareStatement(store.select + " AND 1 = 0")) {
      st.setString(1, "");
      st.executeQuery().close();
    } catch (SQLException e) {
      pool.close();
      throw new IllegalArgumentException("table " + table + " at " + url.split("\\?")[0] + " does not serve resource "
          + resource.code() + " (it needs a column for each of " + resource.fields().stream().map(FieldSpec::name).toList()
          + "): " + e.getMessage(), e);
    }
    return store;
  }

  /** The lookup each question runs (for operators checking their index: EXPLAIN it). */
  public String lookupSql() {
    return select;
  }

  @Override
  public Optional<Record> find(String subjectKey) {
    try (Connection c = pool.getConnection(); PreparedStatement st = c.prepareStatement(select)) {
      st.setString(1, subjectKey);
      try (ResultSet rs = st.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        Comparable<?>[] values = row(rs, 1);
        if (rs.next()) {
          throw io.grpc.Status.FAILED_PRECONDITION.withDescription("resource " + resource.code()
              + ": the department's table holds more than one row for this subject key; its key column must be unique")
              .asRuntimeException();
        }
        return Optional.of(i -> values[i]);
      }
    } catch (SQLException e) {
      throw unavailable(e);
    }
  }

  @Override
  public long size() {
    try (Connection c = pool.getConnection(); PreparedStatement st = c.prepareStatement(count);
        ResultSet rs = st.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw unavailable(e);
    }
  }

  @Override
  public void forEach(BiConsumer<String, Record> action) {
    try (Connection c = pool.getConnection()) {
      // PostgreSQL streams a result through a cursor only inside a transaction.
      c.setAutoCommit(false);
      try (PreparedStatement st = c.prepareStatement(selectAll)) {
        st.setFetchSize(FETCH);
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            Comparable<?>[] values = row(rs, 2);
            action.accept(rs.getString(1), i -> values[i]);
          }
        }
      } finally {
        c.rollback();
      }
    } catch (SQLException e) {
      throw unavailable(e);
    }
  }

  /**
   * What a caller gets when the department's database fails: UNAVAILABLE (retrying may help),
   * naming the resource; the database's own message stays in the node's log.
   */
  private io.grpc.StatusRuntimeException unavailable(SQLException e) {
    System.getLogger(JdbcRecordStore.class.getName()).log(System.Logger.Level.WARNING,
        "resource " + resource.code() + ": the department's database failed: " + e.getMessage());
    return io.grpc.Status.UNAVAILABLE.withDescription("resource " + resource.code()
        + ": the department's database cannot be read just now; try again").withCause(e).asRuntimeException();
  }

  /** The fields of the current row, from column {@code first} on, typed as the resource says. */
  private Comparable<?>[] row(ResultSet rs, int first) throws SQLException {
    List<FieldSpec> fields = resource.fields();
    Comparable<?>[] values = new Comparable<?>[fields.size()];
    for (int i = 0; i < values.length; i++) {
      Object v = rs.getObject(first + i);
      values[i] = v == null ? null : TypedValues.parse(fields.get(i).type(), text(v));
    }
    return values;
  }

  /** A column's value in the text form {@link TypedValues#parse} reads. */
  private static String text(Object v) {
    if (v instanceof BigDecimal d) {
      return d.toPlainString();
    }
    if (v instanceof java.sql.Date d) {
      return d.toLocalDate().toString();
    }
    if (v instanceof LocalDate d) {
      return d.toString();
    }
    return v.toString();
  }

  private static String qualified(String table) {
    String[] parts = table.split("\\.", -1);
    if (parts.length > 2) {
      throw new IllegalArgumentException("table \"" + table + "\" is not TABLE or SCHEMA.TABLE");
    }
    List<String> q = new ArrayList<>();
    for (String p : parts) {
      q.add(quoted(p));
    }
    return String.join(".", q);
  }

  private static String quoted(String identifier) {
    if (!IDENTIFIER.matcher(identifier).matches()) {
      throw new IllegalArgumentException("\"" + identifier + "\" is not a plain SQL identifier (letters, digits, _)");
    }
    return "\"" + identifier + "\"";
  }

  @Override
  public void close() {
    pool.close();
  }
}
