package sluice.gateway.audit;

import com.google.protobuf.InvalidProtocolBufferException;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import sluice.catalog.store.ConnectionPools;
import sluice.v1.AuditEntry;
import sluice.v1.AuditRecord;

/**
 * The auditors' query index over one gateway's audit log, in H2 (embedded) or PostgreSQL. It is
 * derived from the log and never the other way round: entries reach it after they are durable,
 * written in batches by its own thread, and on opening it catches up with whatever the log holds
 * beyond it. Deleting it and reopening rebuilds it. Several gateways may
 * share one database: rows carry the log's key ({@link LogName#key()}: the node id, with
 * {@code @instance} for one instance of a gateway run as several), and each index registers its
 * log in {@code audit_log} when it opens. Queries answer for the whole node: every instance's log
 * registered in the database, one after the other in key order, each by its own index range.
 *
 * <p>When the database fails (restarted, unreachable) the gateway goes on answering — every entry
 * is in the log — and the index retries its batch every few seconds. Meanwhile it keeps at most
 * {@value #MAX_QUEUED} entries in memory; later ones it reads again from the log
 * ({@link #readMissedFrom}) once the database is back, so an outage of any length costs no
 * entries and bounded memory.
 */
public final class AuditIndex implements AuditLog.Listener, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(AuditIndex.class.getName());
  private static final int BATCH = 1000;
  /**
   * How long a batch waits for more rows before it is written: a transaction's commit costs as
   * much as inserting dozens of rows (profiled under gateway load: with 20 ms batches, a third of
   * the index's time went to commits), and auditors' queries can wait a tenth of a second.
   */
  private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  /** Entries waiting in memory at most; beyond these the index reads the log again. */
  static final int MAX_QUEUED = 20_000;
  /** The longest wait between attempts to write to a failed database. */
  private static final long MAX_BACKOFF_MILLIS = 5_000;
  /** How long a caller waits for a connection before its query fails UNAVAILABLE. */
  static final long CONNECTION_TIMEOUT_MILLIS = 5_000;
  /** Tries at preparing the tables before giving up (see {@link #prepare(HikariDataSource, LogName)}). */
  private static final int SCHEMA_ATTEMPTS = 5;
  /** The PostgreSQL advisory lock key under which instances prepare the tables in turn ("Sluice", 1). */
  private static final long SCHEMA_LOCK = 0x536c75696365_0001L;

  /** Where entries the index had no room for are read again: the log it indexes. */
  @FunctionalInterface
  public interface Source {
    /** Reads the first {@code count} entries in order, as {@link AuditLog#read} does. */
    void read(long count, Consumer<byte[]> each) throws IOException;
  }

  private final HikariDataSource pool;
  private final LogName log;
  /** The log's key in rows. */
  private final String logNode;
  private final BlockingQueue<Row> queue = new LinkedBlockingQueue<>();
  private final Thread writer;
  private final long known;
  private final int maxQueued;
  private volatile long indexed;
  private volatile boolean closed;
  private volatile Source source;
  /** Entries from {@code droppedFrom} (-1: none) below {@code droppedTo} were not queued. */
  private final Object drops = new Object();
  private long droppedFrom = -1;
  private long droppedTo;
  /** Whether the last write failed (the next one first clears rows a lost commit may have left). */
  private boolean failing;

  private record Row(long index, byte[] entry) {}

  private AuditIndex(HikariDataSource pool, LogName log, long known, int maxQueued) {
    this.pool = pool;
    this.maxQueued = maxQueued;
    this.log = log;
    this.logNode = log.key();
    this.known = known;
    this.indexed = known;
    this.writer = new Thread(this::writeLoop, "sluice-audit-index-" + logNode);
    this.writer.setDaemon(true);
    this.writer.start();
  }

  /** An embedded H2 index in {@code dir}. */
  public static AuditIndex h2(Path dir, LogName log) {
    return h2(dir, log, MAX_QUEUED);
  }

  /** As {@link #h2(Path, LogName)}, keeping at most {@code maxQueued} entries in memory. */
  static AuditIndex h2(Path dir, LogName log, int maxQueued) {
    return open("jdbc:h2:file:" + dir.toAbsolutePath().resolve("audit-index") + ";DB_CLOSE_ON_EXIT=FALSE", "sa", "",
        log, maxQueued);
  }

  /**
   * @throws IllegalStateException naming the URL when the database cannot be opened
   */
  public static AuditIndex open(String jdbcUrl, String user, String password, LogName log) {
    return open(jdbcUrl, user, password, log, MAX_QUEUED);
  }

  private static AuditIndex open(String jdbcUrl, String user, String password, LogName log, int maxQueued) {
    HikariDataSource pool = ConnectionPools.open(jdbcUrl, user, password, "sluice-audit-index", 2,
        CONNECTION_TIMEOUT_MILLIS, "the audit index");
    try {
      return new AuditIndex(pool, log, prepare(pool, log), maxQueued);
    } catch (SQLException e) {
      pool.close();
      throw new IllegalStateException("cannot prepare the audit index " + ConnectionPools.redact(jdbcUrl) + ": " + e.getMessage(), e);
    }
  }

  /**
   * Creates or updates the tables and registers {@code log}; returns how many of its entries the
   * index holds. Instances of one gateway may do this at the same moment on a fresh database, and
   * two concurrent CREATE ... IF NOT EXISTS of one name can fail one of them (PostgreSQL, H2): on
   * PostgreSQL an advisory lock makes the instances take turns; on any database a failed attempt
   * is made again, every statement being safe to repeat. A connection that cannot be had is not
   * retried here (the pool has waited already).
   */
  private static long prepare(HikariDataSource pool, LogName log) throws SQLException {
    for (int attempt = 1; ; attempt++) {
      try (Connection c = pool.getConnection()) {
        try {
          return prepare(c, log);
        } catch (SQLException e) {
          if (attempt == SCHEMA_ATTEMPTS) {
            throw e;
          }
          LOG.log(System.Logger.Level.DEBUG, () -> "audit index of " + log.key() + ": preparing again after " + e.getMessage());
        }
      }
      try {
        Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(20, 100) * attempt);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SQLException("interrupted while preparing the audit index", e);
      }
    }
  }

  private static long prepare(Connection c, LogName log) throws SQLException {
    boolean postgres = c.getMetaData().getDatabaseProductName().toLowerCase().contains("postgres");
    if (postgres) {
      c.setAutoCommit(false);
    }
    try (Statement st = c.createStatement()) {
      if (postgres) {
        st.execute("SELECT pg_advisory_xact_lock(" + SCHEMA_LOCK + ")");
      }
      st.execute("CREATE TABLE IF NOT EXISTS audit_entry ("
          + "log_node VARCHAR(64) NOT NULL, idx BIGINT NOT NULL, at_micros BIGINT NOT NULL,"
          + " consumer VARCHAR(128) NOT NULL, provider VARCHAR(128) NOT NULL, resource VARCHAR(128) NOT NULL,"
          + " purpose VARCHAR(128) NOT NULL, decision VARCHAR(16) NOT NULL, subject VARCHAR(64) NOT NULL,"
          + " request_id VARCHAR(128) NOT NULL, entry " + (postgres ? "BYTEA" : "VARBINARY") + " NOT NULL,"
          + " PRIMARY KEY (log_node, idx))");
      // Subjects are found through a 64-bit tag of the pseudonym, not the 64-character pseudonym:
      // the pseudonyms are random, so every entry lands on another page of this index, and long
      // string keys made it the index's largest cost (profiled at a gateway's rate of entries,
      // about half of all its CPU). Queries compare the full pseudonym as well.
      st.execute("ALTER TABLE audit_entry ADD COLUMN IF NOT EXISTS subject_tag BIGINT");
      st.execute("DROP INDEX IF EXISTS audit_entry_subject");
      tagUntagged(c, log.key());
      st.execute("CREATE INDEX IF NOT EXISTS audit_entry_subject_tag ON audit_entry (subject_tag)");
      st.execute("CREATE INDEX IF NOT EXISTS audit_entry_time ON audit_entry (log_node, at_micros)");
      st.execute("CREATE INDEX IF NOT EXISTS audit_entry_consumer ON audit_entry (consumer, at_micros)");
      st.execute("CREATE TABLE IF NOT EXISTS audit_log (log_node VARCHAR(64) NOT NULL PRIMARY KEY)");
      try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM audit_log")) {
        rs.next();
        if (rs.getLong(1) == 0) {
          // An index made before logs were registered: register every log it holds, once.
          st.execute("INSERT INTO audit_log (log_node) SELECT DISTINCT log_node FROM audit_entry");
        }
      }
      register(c, log.key());
      long known;
      try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(idx) + 1, 0) FROM audit_entry WHERE log_node = ?")) {
        ps.setString(1, log.key());
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          known = rs.getLong(1);
        }
      }
      if (postgres) {
        c.commit();
      }
      return known;
    } catch (SQLException e) {
      if (postgres) {
        c.rollback();
      }
      throw e;
    } finally {
      if (postgres) {
        c.setAutoCommit(true);
      }
    }
  }

  /** Names the log to read entries from that arrived while the queue was full. */
  public void readMissedFrom(Source log) {
    this.source = log;
  }

  @Override
  public void entry(long index, byte[] entry) {
    if (index < known) {
      return;
    }
    synchronized (drops) {
      if (droppedFrom < 0 && queue.size() < maxQueued) {
        queue.add(new Row(index, entry));
        return;
      }
      if (droppedFrom < 0) {
        droppedFrom = index;
      }
      droppedTo = index + 1;
    }
  }

  /** The number of leading entries indexed (those below it all are). */
  public long indexed() {
    return indexed;
  }

  /** Waits until entries below {@code size} are indexed, at most {@code timeoutMillis}. */
  public boolean awaitIndexed(long size, long timeoutMillis) throws InterruptedException {
    long until = System.currentTimeMillis() + timeoutMillis;
    while (indexed < size) {
      if (System.currentTimeMillis() > until) {
        return false;
      }
      Thread.sleep(2);
    }
    return true;
  }

  /** The conditions of a query; empty strings and zero times match everything. */
  public record Filter(
      long fromMicros, long toMicros, String consumer, String provider, String resource, String purpose,
      String decision, String subject, String requestId) {}

  /**
   * Where a query resumes: after entry {@code index} of the log keyed {@code log}; {@link #START}
   * for the beginning. Records come ordered by log key, then index.
   */
  public record Cursor(String log, long index) {
    public static final Cursor START = new Cursor("", -1);
  }

  /**
   * Up to {@code limit} records after {@code after} matching {@code f}, from this node's logs (its
   * own, and those of its other instances sharing the database), log after log in key order,
   * each oldest first.
   */
  public List<AuditRecord> query(Filter f, Cursor after, int limit) throws SQLException {
    List<AuditRecord> out = new ArrayList<>();
    try (Connection c = pool.getConnection()) {
      for (String key : logs(c)) {
        if (out.size() >= limit) {
          break;
        }
        int order = key.compareTo(after.log());
        if (order >= 0) {
          queryLog(c, key, f, order == 0 ? after.index() : -1, limit - out.size(), out);
        }
      }
    }
    return out;
  }

  /** The keys of this node's logs registered in the database, in order. */
  private List<String> logs(Connection c) throws SQLException {
    String node = log.node().toString();
    List<String> keys = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT log_node FROM audit_log WHERE log_node = ? OR log_node LIKE ? ESCAPE '!' ORDER BY log_node")) {
      ps.setString(1, node);
      ps.setString(2, node.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "@%");
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          keys.add(rs.getString(1));
        }
      }
    }
    return keys;
  }

  /** Adds to {@code out} up to {@code limit} records of log {@code key} after index {@code after} matching {@code f}. */
  private static void queryLog(Connection c, String key, Filter f, long after, int limit, List<AuditRecord> out)
      throws SQLException {
    LogName from;
    try {
      from = LogName.fromKey(key);
    } catch (IllegalArgumentException e) {
      throw new SQLException("the index names a log " + key + " that is none", e);
    }
    StringBuilder sql = new StringBuilder("SELECT idx, entry FROM audit_entry WHERE log_node = ? AND idx > ?");
    List<Object> args = new ArrayList<>();
    args.add(key);
    args.add(after);
    if (f.fromMicros() > 0) {
      sql.append(" AND at_micros >= ?");
      args.add(f.fromMicros());
    }
    if (f.toMicros() > 0) {
      sql.append(" AND at_micros < ?");
      args.add(f.toMicros());
    }
    condition(sql, args, "consumer", f.consumer());
    condition(sql, args, "provider", f.provider());
    condition(sql, args, "resource", f.resource());
    condition(sql, args, "purpose", f.purpose());
    condition(sql, args, "decision", f.decision());
    if (f.subject() != null && !f.subject().isEmpty()) {
      sql.append(" AND subject_tag = ?");
      args.add(subjectTag(f.subject()));
    }
    condition(sql, args, "subject", f.subject());
    condition(sql, args, "request_id", f.requestId());
    sql.append(" ORDER BY idx LIMIT ").append(limit);
    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
      for (int i = 0; i < args.size(); i++) {
        ps.setObject(i + 1, args.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          byte[] entry = rs.getBytes(2);
          AuditRecord.Builder r = AuditRecord.newBuilder().setIndex(rs.getLong(1))
              .setLogNodeId(from.node().toString()).setLogInstance(from.instance())
              .setEntry(com.google.protobuf.ByteString.copyFrom(entry));
          try {
            r.setDecoded(AuditEntry.parseFrom(entry));
          } catch (InvalidProtocolBufferException e) {
            throw new SQLException("index row " + key + "#" + rs.getLong(1) + " does not hold an audit entry", e);
          }
          out.add(r.build());
        }
      }
    }
  }

  /** Registers log {@code key} in {@code audit_log} (once; another instance may race to). */
  private static void register(Connection c, String key) throws SQLException {
    try (PreparedStatement has = c.prepareStatement("SELECT 1 FROM audit_log WHERE log_node = ?")) {
      has.setString(1, key);
      try (ResultSet rs = has.executeQuery()) {
        if (rs.next()) {
          return;
        }
      }
    }
    try (PreparedStatement add = c.prepareStatement("INSERT INTO audit_log (log_node) VALUES (?)")) {
      add.setString(1, key);
      add.executeUpdate();
    } catch (SQLException e) {
      if (!"23505".equals(e.getSQLState())) {
        throw e;
      }
    }
  }

  /** Where a query continues after {@code r}. */
  public static Cursor after(AuditRecord r) {
    return new Cursor(new LogName(sluice.crypto.NodeId.parse(r.getLogNodeId()), r.getLogInstance()).key(), r.getIndex());
  }

  private static void condition(StringBuilder sql, List<Object> args, String column, String value) {
    if (value != null && !value.isEmpty()) {
      sql.append(" AND ").append(column).append(" = ?");
      args.add(value);
    }
  }

  private void writeLoop() {
    List<Row> batch = new ArrayList<>();
    try {
      while (!closed || !queue.isEmpty()) {
        Row first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          catchUp();
          continue;
        }
        batch.add(first);
        long until = System.nanoTime() + LINGER_NANOS;
        while (batch.size() < BATCH && !closed) {
          queue.drainTo(batch, BATCH - batch.size());
          long left = until - System.nanoTime();
          if (batch.size() >= BATCH || left <= 0) {
            break;
          }
          Row next = queue.poll(left, TimeUnit.NANOSECONDS);
          if (next == null) {
            break;
          }
          batch.add(next);
        }
        if (!store(batch)) {
          return;
        }
        batch.clear();
        if (queue.isEmpty()) {
          catchUp();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Writes {@code rows} (consecutive entries), retrying with growing pauses while the database
   * fails; false when the index was closed first (the log still holds the rows: reopening the
   * index catches up).
   */
  private boolean store(List<Row> rows) throws InterruptedException {
    long pause = 100;
    while (true) {
      try {
        insert(rows, failing);
        if (failing) {
          failing = false;
          LOG.log(System.Logger.Level.INFO, "audit index of " + logNode + " writes again");
        }
        indexed = rows.get(rows.size() - 1).index() + 1;
        return true;
      } catch (SQLException | RuntimeException | AssertionError e) {
        // (AssertionError: PostgreSQL's driver throws one from executeBatch when the server goes
        // away mid-batch, "getAutoCommit() should not throw"; seen with pg_ctl stop -m immediate.)
        if (!failing) {
          LOG.log(System.Logger.Level.WARNING, "audit index of " + logNode + " cannot be written at entry " + indexed
              + " (" + why(e) + "); the gateway goes on and the entries, all in its log, are indexed when"
              + " the database is back");
        }
        failing = true;
      }
      if (closed) {
        return false;
      }
      Thread.sleep(pause);
      pause = Math.min(pause * 2, MAX_BACKOFF_MILLIS);
    }
  }

  /**
   * Why a write failed, in a line: a failed batch names its first row's values whole (entries
   * included), so the cause under it is told instead, and at most 300 characters of that.
   */
  private static String why(Throwable e) {
    Throwable t = e instanceof SQLException s && s.getNextException() != null ? s.getNextException() : e;
    String m = String.valueOf(t.getMessage());
    return m.length() <= 300 ? m : m.substring(0, 300) + "…";
  }

  /** Reads the entries that found the queue full back from the log and writes them. */
  private void catchUp() throws InterruptedException {
    Source log = source;
    while (log != null && !closed) {
      long from;
      long to;
      synchronized (drops) {
        if (droppedFrom < 0) {
          return;
        }
        from = droppedFrom;
        to = droppedTo;
      }
      List<Row> rows = new ArrayList<>();
      long[] at = {0};
      try {
        log.read(to, e -> {
          long i = at[0]++;
          if (i >= from) {
            rows.add(new Row(i, e));
            if (rows.size() == BATCH) {
              storeOrStop(rows);
              rows.clear();
            }
          }
        });
        if (!rows.isEmpty()) {
          storeOrStop(rows);
        }
      } catch (IOException | UncheckedIOException e) {
        LOG.log(System.Logger.Level.WARNING, "audit index of " + logNode + " cannot read entries " + from + ".." + (to - 1)
            + " back from the log: " + e.getMessage());
        return;
      } catch (Stopped e) {
        if (e.getCause() instanceof InterruptedException ie) {
          throw ie;
        }
        return;
      }
      synchronized (drops) {
        droppedFrom = droppedTo == to ? -1 : to;
      }
    }
  }

  /** Thrown through the log's reader when the index closes or is interrupted while catching up. */
  private static final class Stopped extends RuntimeException {
    Stopped(Throwable cause) {
      super(cause);
    }
  }

  private void storeOrStop(List<Row> rows) {
    try {
      if (!store(rows)) {
        throw new Stopped(null);
      }
    } catch (InterruptedException e) {
      throw new Stopped(e);
    }
  }

  /**
   * Inserts consecutive rows in one transaction; {@code replace} first deletes any of them a
   * commit whose acknowledgement was lost may have left.
   */
  private void insert(List<Row> rows, boolean replace) throws SQLException {
    try (Connection c = pool.getConnection();
        PreparedStatement clear = c.prepareStatement("DELETE FROM audit_entry WHERE log_node = ? AND idx BETWEEN ? AND ?");
        PreparedStatement ps = c.prepareStatement("INSERT INTO audit_entry (log_node, idx, at_micros, consumer, provider,"
            + " resource, purpose, decision, subject, subject_tag, request_id, entry) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      c.setAutoCommit(false);
      if (replace) {
        clear.setString(1, logNode);
        clear.setLong(2, rows.get(0).index());
        clear.setLong(3, rows.get(rows.size() - 1).index());
        clear.executeUpdate();
      }
      for (Row r : rows) {
        AuditEntry e;
        try {
          e = AuditEntry.parseFrom(r.entry());
        } catch (InvalidProtocolBufferException ex) {
          throw new SQLException("entry " + r.index() + " is not an audit entry", ex);
        }
        ps.setString(1, logNode);
        ps.setLong(2, r.index());
        ps.setLong(3, e.getTime().getSeconds() * 1_000_000 + e.getTime().getNanos() / 1000);
        ps.setString(4, e.getConsumerNodeId());
        ps.setString(5, e.getProviderNodeId());
        ps.setString(6, e.getResourceCode());
        ps.setString(7, e.getPurposeCode());
        ps.setString(8, e.getDecision().name());
        ps.setString(9, e.getSubjectPseudonym());
        ps.setLong(10, subjectTag(e.getSubjectPseudonym()));
        ps.setString(11, e.getRequestId());
        ps.setBytes(12, r.entry());
        ps.addBatch();
      }
      ps.executeBatch();
      c.commit();
    }
  }

  /**
   * The 64-bit tag a subject pseudonym is indexed under: its first 16 hex digits (pseudonyms are
   * HMAC outputs in hex, so these are uniformly random), 0 for none; any other string, which no
   * gateway writes, gets its hash code so that it is still found.
   */
  static long subjectTag(String pseudonym) {
    if (pseudonym.isEmpty()) {
      return 0;
    }
    if (pseudonym.length() >= 16) {
      try {
        return Long.parseUnsignedLong(pseudonym, 0, 16, 16);
      } catch (NumberFormatException e) {
        // not hex: falls through
      }
    }
    return pseudonym.hashCode();
  }

  /** Tags the rows an index made before subject tags existed (once, when such an index is opened). */
  private static void tagUntagged(Connection c, String logNode) throws SQLException {
    try (PreparedStatement select = c.prepareStatement(
            "SELECT log_node, idx, subject FROM audit_entry WHERE subject_tag IS NULL");
        PreparedStatement update = c.prepareStatement(
            "UPDATE audit_entry SET subject_tag = ? WHERE log_node = ? AND idx = ?")) {
      int pending = 0;
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          update.setLong(1, subjectTag(rs.getString(3)));
          update.setString(2, rs.getString(1));
          update.setLong(3, rs.getLong(2));
          update.addBatch();
          if (++pending == BATCH) {
            update.executeBatch();
            pending = 0;
          }
        }
      }
      if (pending > 0) {
        update.executeBatch();
      }
    }
    LOG.log(System.Logger.Level.DEBUG, () -> "audit index of " + logNode + ": subject tags in place");
  }

  @Override
  public void close() {
    closed = true;
    try {
      writer.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    pool.close();
  }
}
