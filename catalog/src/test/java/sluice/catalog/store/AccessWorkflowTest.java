package sluice.catalog.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import sluice.catalog.entry.CatalogueEntry;
import sluice.catalog.entry.ConsumerKind;
import sluice.catalog.grant.AccessDecider;
import sluice.catalog.grant.AccessException;
import sluice.catalog.grant.AccessQuestion;
import sluice.catalog.grant.AccessRequest;
import sluice.catalog.grant.AccessService;
import sluice.catalog.grant.Decision;
import sluice.catalog.grant.Grant;
import sluice.crypto.NodeId;

/** Request, approve, call, revoke, refused: the access cycle on H2 and PostgreSQL. */
class AccessWorkflowTest {
  static final NodeId BJ = NodeId.parse("prov-11/dept-ca");
  static final String CODE = "3-44-002-001-000001";
  static final String PURPOSE = "SOCIAL_ASSISTANCE_ELIGIBILITY";
  static final Instant T0 = Instant.parse("2026-11-28T02:00:00Z");

  @org.junit.jupiter.api.io.TempDir static java.nio.file.Path dir;

  static java.util.stream.Stream<String> databases() {
    return JdbcCatalogStoreTest.databases();
  }

  /** A clock the test moves. */
  static final class Ticking extends Clock {
    Instant now = T0;

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  static Decision decide(CatalogStore catalog, GrantsView grants, Instant now, List<String> fields) {
    CatalogueEntry r = catalog.get(CODE).orElseThrow();
    return new AccessDecider(ZoneId.of("Asia/Shanghai")).decide(new AccessQuestion(
        BJ, ConsumerKind.GOVERNMENT_DEPARTMENT, r, PURPOSE, fields, grants.of(BJ, CODE), Map.of(), now));
  }

  /** The stores over one database, with the test entry registered, and the access service. */
  record Stores(JdbcCatalogStore catalog, JdbcGrantStore grants, AccessService access) {
    static Stores over(Database database, Clock clock) throws Exception {
      JdbcCatalogStore catalog = new JdbcCatalogStore(database, clock);
      JdbcGrantStore grants = new JdbcGrantStore(database);
      catalog.register(JdbcCatalogStoreTest.entry(CODE, "prov-44/dept-hrss"));
      return new Stores(catalog, grants, new AccessService(catalog, grants, clock, new SecureRandom()));
    }
  }

  interface GrantsView {
    List<Grant> of(NodeId consumer, String code);
  }

  @ParameterizedTest
  @MethodSource("databases")
  void requestApproveCallRevokeRefused(String db) throws Exception {
    Ticking clock = new Ticking();
    try (Database database = JdbcCatalogStoreTest.database(db, dir)) {
      Stores stores = Stores.over(database, clock);
      JdbcCatalogStore catalog = stores.catalog();
      JdbcGrantStore grants = stores.grants();
      AccessService access = stores.access();

      assertEquals("prov-11/dept-ca has no grant for resource " + CODE
              + ": request access (sluice access request) and wait for the provider's approval",
          decide(catalog, grants::grants, clock.now, List.of("enrolled")).reason());

      AccessRequest req = access.request(BJ, CODE, List.of("id_number", "enrolled"), List.of(PURPOSE),
          "《社会救助暂行办法》第十一条", 90, 500);
      assertEquals(AccessRequest.Status.PENDING, grants.request(req.id()).orElseThrow().status());
      clock.now = T0.plusSeconds(60);
      Grant g = access.approve(req.id(), "张敏 (广东省人社厅)", "approved for the 2026 dibao review");
      assertEquals(T0.plusSeconds(60).plus(Duration.ofDays(90)), g.expiresAt());
      assertEquals(500, g.dailyQuota());
      AccessRequest approved = grants.request(req.id()).orElseThrow();
      assertEquals(AccessRequest.Status.APPROVED, approved.status());
      assertEquals(g.id(), approved.grantId());

      Decision ok = decide(catalog, grants::grants, clock.now, List.of("enrolled"));
      assertEquals(Decision.Outcome.PERMIT, ok.outcome());
      assertEquals(g.id(), ok.grantId());
      assertEquals("grant " + g.id() + " does not cover field monthly_contribution_base",
          decide(catalog, grants::grants, clock.now, List.of("monthly_contribution_base")).reason());

      clock.now = T0.plusSeconds(120);
      access.revoke(g.id(), "case closed");
      Decision refused = decide(catalog, grants::grants, clock.now, List.of("enrolled"));
      assertEquals(Decision.Outcome.DENIED, refused.outcome());
      assertEquals("grant " + g.id() + " was revoked at " + T0.plusSeconds(120) + ": case closed", refused.reason());
      assertTrue(assertThrows(AccessException.class, () -> access.revoke(g.id(), "again")).getMessage()
          .contains("already revoked"));
      assertTrue(assertThrows(AccessException.class, () -> access.approve(req.id(), "x", "y")).getMessage()
          .contains("was already approved by 张敏 (广东省人社厅)"));
    }
  }

  @ParameterizedTest
  @MethodSource("databases")
  void requestsAreCheckedAgainstTheCatalogueAndRejectionsNeedAReason(String db) throws Exception {
    Ticking clock = new Ticking();
    try (Database database = JdbcCatalogStoreTest.database(db, dir)) {
      Stores stores = Stores.over(database, clock);
      JdbcCatalogStore catalog = stores.catalog();
      JdbcGrantStore grants = stores.grants();
      AccessService access = stores.access();
      AccessException e = assertThrows(AccessException.class, () -> access.request(BJ, CODE,
          List.of("salary"), List.of("MARKETING"), " ", 5000, 1_000_000));
      assertEquals("access request refused: resource " + CODE + " has no field \"salary\"; purpose MARKETING is not"
          + " allowed for resource " + CODE + " (allowed: SOCIAL_ASSISTANCE_ELIGIBILITY, TAX_ADMINISTRATION); cite the"
          + " legal basis for the request; duration must be 1 to 1098 days, got 5000; expected daily volume must be 1"
          + " to 100000, got 1000000", e.getMessage());

      AccessRequest req = access.request(BJ, CODE, List.of("enrolled"), List.of(PURPOSE), "basis", 30, 10);
      assertTrue(assertThrows(AccessException.class, () -> access.reject(req.id(), "s", "")).getMessage()
          .contains("say why"));
      AccessRequest rejected = access.reject(req.id(), "s", "purpose does not need enrolment data");
      assertEquals(AccessRequest.Status.REJECTED, grants.request(req.id()).orElseThrow().status());
      assertEquals("purpose does not need enrolment data", rejected.decisionReason());
      assertEquals(1, grants.requests("3-44", AccessRequest.Status.REJECTED).size());

      catalog.deprecate(CODE, LocalDate.of(2027, 1, 1));
      assertTrue(assertThrows(AccessException.class, () -> access.request(BJ, CODE, List.of("enrolled"),
          List.of(PURPOSE), "basis", 30, 10)).getMessage().contains("deprecated and takes no new grants"));
    }
  }

  @ParameterizedTest
  @MethodSource("databases")
  void anEntryThatNeedsNoApprovalGrantsAsTheRequestIsFiled(String db) throws Exception {
    Ticking clock = new Ticking();
    try (Database database = JdbcCatalogStoreTest.database(db, dir)) {
      Stores stores = Stores.over(database, clock);
      CatalogueEntry current = stores.catalog().get(CODE).orElseThrow();
      String yaml = sluice.catalog.entry.EntryWriter.toJson(current).replace("\"needsApproval\":true", "\"needsApproval\":false");
      stores.catalog().update(sluice.catalog.entry.CatalogueEntries.fromJson(yaml, "test"), current.version());

      AccessRequest filed = stores.access().request(BJ, CODE, List.of("enrolled"), List.of(PURPOSE), "basis", 30, 10);
      assertEquals(AccessRequest.Status.APPROVED, filed.status());
      assertEquals(AccessService.AUTOMATIC, filed.decidedBy());
      Grant g = stores.grants().grant(filed.grantId()).orElseThrow();
      assertEquals(10, g.dailyQuota());
      assertEquals(Decision.Outcome.PERMIT, decide(stores.catalog(), stores.grants()::grants, clock.now,
          List.of("enrolled")).outcome());
      // The automatic path still checks the request like a steward would.
      assertThrows(AccessException.class, () -> stores.access().request(BJ, CODE, List.of("enrolled"),
          List.of("MARKETING"), "basis", 30, 10));
    }
  }

  @ParameterizedTest
  @MethodSource("databases")
  void aQueryRequestBecomesAGrantThatAllowsReading(String db) throws Exception {
    Ticking clock = new Ticking();
    try (Database database = JdbcCatalogStoreTest.database(db, dir)) {
      Stores stores = Stores.over(database, clock);
      AccessRequest req = stores.access().request(BJ, CODE, List.of("name"), List.of(PURPOSE), "basis", 30, 10, true,
          Map.of("name", sluice.catalog.entry.Mask.NULLIFY));
      assertTrue(stores.grants().request(req.id()).orElseThrow().query(), "stored with the request");
      Grant g = stores.access().approve(req.id(), "张敏", "");
      assertTrue(stores.grants().grant(g.id()).orElseThrow().query(), "and with the grant");
      assertEquals(Map.of("name", sluice.catalog.entry.Mask.NULLIFY), stores.grants().grant(g.id()).orElseThrow().masks());
      AccessException bad = assertThrows(AccessException.class, () -> stores.access().request(BJ, CODE,
          List.of("name"), List.of(PURPOSE), "basis", 30, 10, true, Map.of("name", sluice.catalog.entry.Mask.CLEAR)));
      assertTrue(bad.getMessage().contains("field name may leave only as [NAME_KEEP_SURNAME, NULLIFY], not CLEAR"),
          bad.getMessage());
      assertTrue(assertThrows(AccessException.class, () -> stores.access().request(BJ, CODE, List.of("name"),
          List.of(PURPOSE), "basis", 30, 10, false, Map.of("name", sluice.catalog.entry.Mask.NULLIFY))).getMessage()
          .contains("masks apply to reading fields: ask for Query too"));
      AccessRequest plain = stores.access().request(BJ, CODE, List.of("name"), List.of(PURPOSE), "basis", 30, 10);
      assertTrue(assertThrows(AccessException.class, () -> stores.access().approve(plain.id(), "张敏", "", "name"))
          .getMessage().contains("same-province field name must be a region code, citizen ID or credit code field"));
      Grant verifyOnly = stores.access().approve(plain.id(), "张敏", "", "id_number");
      Grant stored = stores.grants().grant(verifyOnly.id()).orElseThrow();
      assertEquals(false, stored.query());
      assertEquals("id_number", stored.sameProvinceField(), "the row limit is kept with the grant");
      assertEquals(null, g.sameProvinceField());
    }
  }
}
