package sluice.gateway.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Timestamp;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import sluice.v1.AuditEntry;
import sluice.v1.AuditRecord;
import sluice.v1.Decision;

/**
 * The audit query index answers the same on embedded H2 and on PostgreSQL (when
 * {@code SLUICE_TEST_POSTGRES_URL} names a server; {@code .ci/run} starts one), and a fresh index
 * is rebuilt from the log's entries.
 */
class AuditIndexTest {
  static final LogName PROV44 = LogName.of(sluice.crypto.NodeId.parse("prov-44"));
  @TempDir static Path dir;

  static Stream<String> databases() {
    List<String> dbs = new ArrayList<>(List.of("h2"));
    if (System.getenv("SLUICE_TEST_POSTGRES_URL") != null) {
      dbs.add("postgresql");
    }
    return dbs.stream();
  }

  /** Opens an empty index of kind {@code db}, the same database each time {@code open} is called. */
  static Supplier<AuditIndex> index(String db) throws Exception {
    java.util.function.Function<LogName, AuditIndex> open = indexes(db);
    return () -> open.apply(PROV44);
  }

  /** Opens the index of a log in one empty database of kind {@code db}, the same for every log. */
  static java.util.function.Function<LogName, AuditIndex> indexes(String db) throws Exception {
    if (db.equals("h2")) {
      Path where = dir.resolve(UUID.randomUUID().toString());
      return log -> AuditIndex.h2(where, log);
    }
    String url = System.getenv("SLUICE_TEST_POSTGRES_URL");
    String user = System.getenv().getOrDefault("SLUICE_TEST_POSTGRES_USER", "sluice");
    String password = System.getenv().getOrDefault("SLUICE_TEST_POSTGRES_PASSWORD", "");
    String schema = "t" + UUID.randomUUID().toString().replace("-", "");
    try (Connection c = DriverManager.getConnection(url, user, password);
        Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA " + schema);
    }
    String scoped = url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    return log -> AuditIndex.open(scoped, user, password, log);
  }

  /**
   * Two instances of prov-44 share the index with prov-11: a query at either answers for both
   * instances' logs (each record naming its instance) and never for prov-11's; pages resume
   * across the logs.
   */
  @ParameterizedTest
  @MethodSource("databases")
  void instancesOfAGatewayAnswerForEachOthersLogs(String db) throws Exception {
    java.util.function.Function<LogName, AuditIndex> open = indexes(db);
    sluice.crypto.NodeId gd = sluice.crypto.NodeId.parse("prov-44");
    try (AuditIndex a = open.apply(new LogName(gd, "a")); AuditIndex b = open.apply(new LogName(gd, "b-2"));
        AuditIndex other = open.apply(LogName.of(sluice.crypto.NodeId.parse("prov-11")))) {
      for (int i = 0; i < 20; i++) {
        a.entry(i, entry(i).toByteArray());
        other.entry(i, entry(i).toByteArray());
      }
      for (int i = 0; i < 15; i++) {
        b.entry(i, entry(100 + i).toByteArray());
      }
      assertTrue(a.awaitIndexed(20, 10_000) && b.awaitIndexed(15, 10_000) && other.awaitIndexed(20, 10_000));
      AuditIndex.Filter all = new AuditIndex.Filter(0, 0, "", "", "", "", "", "", "");
      List<String> seen = new ArrayList<>();
      AuditIndex.Cursor after = AuditIndex.Cursor.START;
      for (List<AuditRecord> page = b.query(all, after, 7); !page.isEmpty(); page = b.query(all, after, 7)) {
        for (AuditRecord r : page) {
          assertEquals("prov-44", r.getLogNodeId());
          seen.add(r.getLogInstance() + "#" + r.getIndex() + "=" + r.getDecoded().getRequestId());
        }
        after = AuditIndex.after(page.get(page.size() - 1));
      }
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        expected.add("a#" + i + "=r-" + i);
      }
      for (int i = 0; i < 15; i++) {
        expected.add("b-2#" + i + "=r-" + (100 + i));
      }
      assertEquals(expected, seen, "both instances' logs, each in order, through pages of 7");
      assertEquals(35, a.query(all, AuditIndex.Cursor.START, 100).size(), "the same from the other instance");
      assertEquals(20, other.query(all, AuditIndex.Cursor.START, 100).size(), "prov-11 sees its own log only");
    }
  }

  /**
   * Instances of a gateway started at the same moment on a fresh database all open the shared
   * index (PostgreSQL can fail one of two concurrent CREATE ... IF NOT EXISTS of one name).
   */
  @ParameterizedTest
  @MethodSource("databases")
  void instancesOpeningAtOnceOnAFreshDatabaseAllOpen(String db) throws Exception {
    sluice.crypto.NodeId gd = sluice.crypto.NodeId.parse("prov-44");
    int instances = 4;
    for (int round = 0; round < 3; round++) {
      java.util.function.Function<LogName, AuditIndex> open = indexes(db);
      java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(instances);
      java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(instances);
      try {
        List<java.util.concurrent.Future<AuditIndex>> opened = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
          LogName log = new LogName(gd, "i" + i);
          opened.add(pool.submit(() -> {
            together.await();
            return open.apply(log);
          }));
        }
        List<AuditIndex> indexes = new ArrayList<>();
        Exception failed = null;
        for (java.util.concurrent.Future<AuditIndex> f : opened) {
          try {
            indexes.add(f.get());
          } catch (java.util.concurrent.ExecutionException e) {
            failed = failed == null ? e : failed;
          }
        }
        try {
          if (failed != null) {
            throw failed;
          }
          indexes.get(0).entry(0, entry(0).toByteArray());
          assertTrue(indexes.get(0).awaitIndexed(1, 10_000));
          AuditIndex.Filter all = new AuditIndex.Filter(0, 0, "", "", "", "", "", "", "");
          assertEquals(1, indexes.get(instances - 1).query(all, AuditIndex.Cursor.START, 10).size(),
              "round " + round + ": one instance's entry is found from another");
        } finally {
          for (AuditIndex index : indexes) {
            index.close();
          }
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  static AuditEntry entry(int i) {
    return AuditEntry.newBuilder()
        .setTime(Timestamp.newBuilder().setSeconds(1_796_000_000L + i))
        .setRequestId("r-" + i)
        .setConsumerNodeId(i % 2 == 0 ? "prov-11/dept-ca" : "prov-31/dept-tax")
        .setProviderNodeId("prov-44/dept-hrss")
        .setResourceCode("3-44-002-001-000001")
        .setPurposeCode("SOCIAL_ASSISTANCE_ELIGIBILITY")
        .setDecision(i % 3 == 0 ? Decision.DENY : Decision.PERMIT)
        .setSubjectPseudonym(i % 5 == 0 ? "aa".repeat(32) : "bb".repeat(32))
        .build();
  }

  @ParameterizedTest
  @MethodSource("databases")
  void filtersAndPagesAnswerFromEntriesAndAFreshIndexCatchesUp(String db) throws Exception {
    Supplier<AuditIndex> open = index(db);
    try (AuditIndex index = open.get()) {
      for (int i = 0; i < 60; i++) {
        index.entry(i, entry(i).toByteArray());
      }
      assertTrue(index.awaitIndexed(60, 10_000));
      List<AuditRecord> denied = index.query(
          new AuditIndex.Filter(0, 0, "prov-11/dept-ca", "", "", "", "DENY", "", ""), AuditIndex.Cursor.START, 100);
      assertEquals(List.of(0L, 6L, 12L, 18L, 24L, 30L, 36L, 42L, 48L, 54L),
          denied.stream().map(AuditRecord::getIndex).toList(), "even (prov-11) and divisible by 3 (DENY)");
      assertArrayEquals(entry(6).toByteArray(), denied.get(1).getEntry().toByteArray(), "rows hold the entry as logged");
      assertEquals("r-6", denied.get(1).getDecoded().getRequestId());
      long from = (1_796_000_000L + 10) * 1_000_000;
      long to = (1_796_000_000L + 20) * 1_000_000;
      List<AuditRecord> subject = index.query(new AuditIndex.Filter(from, to, "", "", "", "", "", "aa".repeat(32), ""), AuditIndex.Cursor.START, 100);
      assertEquals(List.of(10L, 15L), subject.stream().map(AuditRecord::getIndex).toList(), "time range is [from, to)");
      List<AuditRecord> page = index.query(new AuditIndex.Filter(0, 0, "", "", "", "", "", "", ""), new AuditIndex.Cursor("prov-44", 49), 7);
      assertEquals(List.of(50L, 51L, 52L, 53L, 54L, 55L, 56L), page.stream().map(AuditRecord::getIndex).toList(),
          "a page starts after the last index seen");
    }
    // Reopened, the index hears the whole log again (as AuditLog.open replays it) and adds only what it lacks.
    try (AuditIndex index = open.get()) {
      for (int i = 0; i < 70; i++) {
        index.entry(i, entry(i).toByteArray());
      }
      assertTrue(index.awaitIndexed(70, 10_000));
      assertEquals(70, index.query(new AuditIndex.Filter(0, 0, "", "", "", "", "", "", ""), AuditIndex.Cursor.START, 1000).size());
    }
  }

  /**
   * Entries beyond what the index keeps in memory (here 10) are read back from the log, and a
   * database that goes away under the index (H2 shut down) costs no entry: the writer retries.
   */
  @org.junit.jupiter.api.Test
  void entriesBeyondTheQueueAndADatabaseShutDownLoseNothing() throws Exception {
    Path where = dir.resolve(UUID.randomUUID().toString());
    List<byte[]> log = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      log.add(entry(i).toByteArray());
    }
    java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
    try (AuditIndex index = AuditIndex.h2(where, PROV44, 10)) {
      index.readMissedFrom((count, each) -> {
        reads.incrementAndGet();
        log.subList(0, (int) count).forEach(each);
      });
      for (int i = 0; i < 2000; i++) {
        index.entry(i, log.get(i));
      }
      assertTrue(index.awaitIndexed(2000, 20_000), "indexed the first 2,000");
      assertTrue(reads.get() > 0, "entries that found the queue full were read back from the log");
      try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + where.toAbsolutePath().resolve("audit-index"), "sa", "");
          Statement st = c.createStatement()) {
        st.execute("SHUTDOWN");
      }
      for (int i = 2000; i < 3000; i++) {
        index.entry(i, log.get(i));
      }
      assertTrue(index.awaitIndexed(3000, 20_000), "indexed the rest after the database was shut down");
      List<AuditRecord> all = index.query(new AuditIndex.Filter(0, 0, "", "", "", "", "", "", ""), AuditIndex.Cursor.START, 10_000);
      assertEquals(3000, all.size());
      for (int i = 0; i < all.size(); i++) {
        assertEquals(i, all.get(i).getIndex());
        assertEquals("r-" + i, all.get(i).getDecoded().getRequestId());
      }
    }
  }

  /** An index made before subjects were tagged is tagged when opened, and finds its subjects. */
  @org.junit.jupiter.api.Test
  void anIndexFromBeforeSubjectTagsIsTaggedWhenOpened() throws Exception {
    Path where = dir.resolve(UUID.randomUUID().toString());
    try (AuditIndex index = AuditIndex.h2(where, PROV44)) {
      for (int i = 0; i < 20; i++) {
        index.entry(i, entry(i).toByteArray());
      }
      index.entry(20, entry(20).toBuilder().setSubjectPseudonym("not-hex-at-all").build().toByteArray());
      assertTrue(index.awaitIndexed(21, 10_000));
    }
    String url = "jdbc:h2:file:" + where.toAbsolutePath().resolve("audit-index");
    try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement st = c.createStatement()) {
      st.execute("DROP INDEX audit_entry_subject_tag");
      st.execute("ALTER TABLE audit_entry DROP COLUMN subject_tag");
      st.execute("CREATE INDEX audit_entry_subject ON audit_entry (subject)");
    }
    try (AuditIndex index = AuditIndex.h2(where, PROV44)) {
      AuditIndex.Filter aa = new AuditIndex.Filter(0, 0, "", "", "", "", "", "aa".repeat(32), "");
      assertEquals(List.of(0L, 5L, 10L, 15L), index.query(aa, AuditIndex.Cursor.START, 100).stream().map(AuditRecord::getIndex).toList());
      AuditIndex.Filter odd = new AuditIndex.Filter(0, 0, "", "", "", "", "", "not-hex-at-all", "");
      assertEquals(List.of(20L), index.query(odd, AuditIndex.Cursor.START, 100).stream().map(AuditRecord::getIndex).toList());
      AuditIndex.Filter near = new AuditIndex.Filter(0, 0, "", "", "", "", "", "aa".repeat(31) + "ab", "");
      assertEquals(List.of(), index.query(near, AuditIndex.Cursor.START, 100), "the same tag, another pseudonym: not found");
    }
  }
}
