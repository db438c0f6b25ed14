package sluice.gateway.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import sluice.crypto.NodeId;

/**
 * Two instances of one gateway counting a grant's daily quota in one database (H2 here, and
 * PostgreSQL when {@code SLUICE_TEST_POSTGRES_URL} names a server): together they never charge
 * more than the quota, and lose at most about a block each to leases they did not use.
 */
class SharedQuotaLedgerTest {
  static final NodeId GD = NodeId.parse("prov-44");
  static final String DAY = "2026-12-07";

  /** A JDBC URL, user and password of an empty database. */
  record Db(String url, String user, String password) {
    SharedQuotaLedger open() {
      return SharedQuotaLedger.open(url, user, password, GD);
    }

    long leased(String grant) throws Exception {
      try (Connection c = DriverManager.getConnection(url, user, password); Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT leased FROM quota_lease WHERE grant_id = '" + grant + "'")) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  static Stream<String> databases() {
    List<String> dbs = new ArrayList<>(List.of("h2"));
    if (System.getenv("SLUICE_TEST_POSTGRES_URL") != null) {
      dbs.add("postgresql");
    }
    return dbs.stream();
  }

  static Db database(String kind) throws Exception {
    if (kind.equals("h2")) {
      return new Db("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
    }
    String url = System.getenv("SLUICE_TEST_POSTGRES_URL");
    String user = System.getenv().getOrDefault("SLUICE_TEST_POSTGRES_USER", "sluice");
    String password = System.getenv().getOrDefault("SLUICE_TEST_POSTGRES_PASSWORD", "");
    String schema = "q" + UUID.randomUUID().toString().replace("-", "");
    try (Connection c = DriverManager.getConnection(url, user, password); Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA " + schema);
    }
    return new Db(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema, user, password);
  }

  @ParameterizedTest
  @MethodSource("databases")
  void twoInstancesRacingNeverPassTheQuota(String kind) throws Exception {
    Db db = database(kind);
    long quota = 5_000;
    try (SharedQuotaLedger a = db.open(); SharedQuotaLedger b = db.open()) {
      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<Future<Long>> workers = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        SharedQuotaLedger ledger = t % 2 == 0 ? a : b;
        int subjects = 1 + t % 3;
        workers.add(pool.submit(() -> {
          long charged = 0;
          int refusedInARow = 0;
          while (refusedInARow < 3) {
            if (ledger.charge("g-1", DAY, subjects, quota)) {
              charged += subjects;
              refusedInARow = 0;
            } else {
              refusedInARow++;
            }
          }
          return charged;
        }));
      }
      long total = 0;
      for (Future<Long> w : workers) {
        total += w.get();
      }
      pool.shutdown();
      assertTrue(total <= quota, total + " charged under a quota of " + quota);
      long block = SharedQuotaLedger.block(quota);
      assertTrue(total >= quota - 2 * block, total + " charged: more than a block per instance lost");
      assertEquals(total, a.used("g-1", DAY) + b.used("g-1", DAY));
      assertTrue(db.leased("g-1") <= quota, "leased " + db.leased("g-1"));
      assertFalse(a.charge("g-1", DAY, 1, quota) && b.charge("g-1", DAY, quota, quota));
    }
  }

  @ParameterizedTest
  @MethodSource("databases")
  void aQuotaLeftToOneInstanceIsNotLostAndAnotherDayStartsAfresh(String kind) throws Exception {
    Db db = database(kind);
    try (SharedQuotaLedger a = db.open(); SharedQuotaLedger b = db.open()) {
      // Quota 10: blocks of 1, so what a leaves b can take.
      for (int i = 0; i < 6; i++) {
        assertTrue(a.charge("g-2", DAY, 1, 10));
      }
      assertTrue(b.charge("g-2", DAY, 4, 10));
      assertFalse(b.charge("g-2", DAY, 1, 10), "the quota is spent");
      assertFalse(a.charge("g-2", DAY, 1, 10), "the quota is spent");
      assertEquals(10, db.leased("g-2"));
      assertFalse(a.charge("g-2", DAY, 11, 10), "more than the quota in one call");
      assertTrue(a.charge("g-2", "2026-12-08", 10, 10), "a new day");
      assertTrue(a.charge("g-3", DAY, 1_000_000, 0), "no quota: nothing counted");
    }
  }

  @Test
  void aDatabaseThatDoesNotAnswerRefusesRatherThanCountsNowhere() throws Exception {
    Db db = database("h2");
    try (SharedQuotaLedger a = db.open()) {
      assertTrue(a.charge("g-4", DAY, 1, 10)); // a block of 1: every call leases
      try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
          Statement st = c.createStatement()) {
        st.execute("DROP TABLE quota_lease");
      }
      QuotaLedger.UnavailableException e =
          assertThrows(QuotaLedger.UnavailableException.class, () -> a.charge("g-4", DAY, 1, 10));
      assertTrue(e.getMessage().contains("g-4") && e.getMessage().contains("retry"), e.getMessage());
    }
  }
}
