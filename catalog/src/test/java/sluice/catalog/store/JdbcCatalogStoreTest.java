package sluice.catalog.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import sluice.catalog.entry.CatalogueEntries;
import sluice.catalog.entry.CatalogueEntry;
import sluice.catalog.entry.EntryStatus;

/**
 * The same behaviour on embedded H2 and on PostgreSQL. PostgreSQL runs when
 * {@code SLUICE_TEST_POSTGRES_URL} (with {@code SLUICE_TEST_POSTGRES_USER} and
 * {@code SLUICE_TEST_POSTGRES_PASSWORD}) names a server; {@code .ci/run} starts one.
 */
class JdbcCatalogStoreTest {
  @TempDir static Path dir;

  static Stream<String> databases() {
    List<String> dbs = new ArrayList<>(List.of("h2"));
    if (System.getenv("SLUICE_TEST_POSTGRES_URL") != null) {
      dbs.add("postgresql");
    }
    return dbs.stream();
  }

  /** A fresh, empty database of kind {@code db}. */
  static Database database(String db, Path base) throws Exception {
    if (db.equals("h2")) {
      return Database.h2(base.resolve(UUID.randomUUID().toString()));
    }
    String url = System.getenv("SLUICE_TEST_POSTGRES_URL");
    String user = System.getenv().getOrDefault("SLUICE_TEST_POSTGRES_USER", "sluice");
    String password = System.getenv().getOrDefault("SLUICE_TEST_POSTGRES_PASSWORD", "");
    String schema = "t" + UUID.randomUUID().toString().replace("-", "");
    try (Connection c = DriverManager.getConnection(url, user, password);
        Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA " + schema);
    }
    return Database.open(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema, user, password);
  }

  static CatalogueEntry entry(String code, String node) throws Exception {
    String yaml;
    try (InputStream in = JdbcCatalogStoreTest.class.getResourceAsStream("/entries/gd-social-insurance.yaml")) {
      yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return CatalogueEntries.parse(
        yaml.replace("3-44-002-001-000001", code).replace("prov-44/dept-hrss", node), code);
  }

  @ParameterizedTest
  @MethodSource("databases")
  void everyChangeIsANewVersionAndOldVersionsStayReadable(String db) throws Exception {
    try (Database database = database(db, dir)) {
      JdbcCatalogStore store = new JdbcCatalogStore(database, Clock.systemUTC());
      CatalogueEntry v1 = store.register(entry("3-44-002-001-000001", "prov-44/dept-hrss"));
      assertEquals(1, v1.version());
      CatalogueEntry edited =
          new CatalogueEntry(
              v1.resourceCode(), "广东省社会保险参保信息（含缴费）", v1.category(), v1.provider(), v1.summary(),
              v1.format(), v1.sharingType(), v1.sharingConditions(), v1.legalBasis(), v1.openType(),
              v1.updateCycle(), v1.publishedOn(), v1.updatedOn(), v1.subjectKey(), v1.version(),
              v1.status(), v1.sunsetOn(), v1.steward(), v1.fields());
      CatalogueEntry v2 = store.update(edited, 1);
      assertEquals(2, v2.version());
      CatalogueEntry v3 = store.deprecate(v1.resourceCode(), LocalDate.of(2027, 6, 30));
      assertEquals(3, v3.version());
      assertEquals(EntryStatus.DEPRECATED, store.get(v1.resourceCode()).orElseThrow().status());
      assertEquals(LocalDate.of(2027, 6, 30), store.get(v1.resourceCode()).orElseThrow().sunsetOn());
      assertEquals(v1, store.get(v1.resourceCode(), 1).orElseThrow(), "version 1 reads back exactly");
      assertEquals("广东省社会保险参保信息（含缴费）", store.get(v1.resourceCode(), 2).orElseThrow().name());
      assertEquals(List.of(1, 2, 3), store.history(v1.resourceCode()).stream().map(CatalogueEntry::version).toList());
    }
  }

  @ParameterizedTest
  @MethodSource("databases")
  void conflictingChangesAreRefusedWithWhatToDo(String db) throws Exception {
    try (Database database = database(db, dir)) {
      JdbcCatalogStore store = new JdbcCatalogStore(database, Clock.systemUTC());
      CatalogueEntry e = entry("3-44-002-001-000002", "prov-44/dept-hrss");
      store.register(e);
      assertTrue(assertThrows(CatalogConflictException.class, () -> store.register(e)).getMessage()
          .contains("already registered; update it instead"));
      store.update(e, 1);
      assertTrue(assertThrows(CatalogConflictException.class, () -> store.update(e, 1)).getMessage()
          .contains("is at version 2 but the change was made to version 1"));
      assertTrue(assertThrows(CatalogConflictException.class,
              () -> store.update(entry("3-44-002-001-000002", "prov-44/dept-psb"), 2)).getMessage()
          .contains("cannot move it to prov-44/dept-psb"));
      assertTrue(assertThrows(CatalogConflictException.class,
              () -> store.update(entry("3-44-002-001-000099", "prov-44/dept-hrss"), 1)).getMessage()
          .contains("not registered"));
    }
  }

  @ParameterizedTest
  @MethodSource("databases")
  void listingFiltersByProviderAndStatus(String db) throws Exception {
    try (Database database = database(db, dir)) {
      JdbcCatalogStore store = new JdbcCatalogStore(database, Clock.systemUTC());
      store.register(entry("3-44-002-001-000003", "prov-44/dept-hrss"));
      store.register(entry("3-44-001-001-000001", "prov-44/dept-psb"));
      store.register(entry("3-11-002-001-000001", "prov-11/dept-hrss"));
      store.register(entry("3-45-002-001-000001", "prov-45/dept-hrss"));
      store.deprecate("3-44-001-001-000001", LocalDate.of(2027, 1, 1));
      assertEquals(4, store.list(CatalogStore.Filter.ALL).size());
      assertEquals(
          List.of("3-44-001-001-000001", "3-44-002-001-000003"),
          store.list(new CatalogStore.Filter("prov-44", null)).stream().map(CatalogueEntry::resourceCode).toList());
      assertEquals(
          List.of("3-44-002-001-000003"),
          store.list(new CatalogStore.Filter("prov-44", EntryStatus.ACTIVE)).stream().map(CatalogueEntry::resourceCode).toList());
      assertEquals(1, store.list(new CatalogStore.Filter("prov-11/dept-hrss", null)).size());
    }
  }

  @ParameterizedTest
  @MethodSource("databases")
  void reopeningKeepsEverythingAndMigratesNothingTwice(String db) throws Exception {
    if (!db.equals("h2")) {
      return; // a PostgreSQL schema is per test here; H2 reopens the same file
    }
    Path file = dir.resolve("reopen");
    try (Database database = Database.h2(file)) {
      JdbcCatalogStore store = new JdbcCatalogStore(database, Clock.systemUTC());
      store.register(entry("3-44-002-001-000004", "prov-44/dept-hrss"));
    }
    try (Database database = Database.h2(file)) {
      JdbcCatalogStore store = new JdbcCatalogStore(database, Clock.systemUTC());
      assertEquals(1, store.get("3-44-002-001-000004").orElseThrow().version());
    }
  }
}
