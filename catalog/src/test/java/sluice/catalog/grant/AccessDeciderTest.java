package sluice.catalog.grant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import sluice.catalog.entry.CatalogueEntries;
import sluice.catalog.entry.CatalogueEntry;
import sluice.catalog.entry.ConsumerKind;
import sluice.catalog.predicate.PredicateFields;
import sluice.catalog.predicate.PredicateLimits;
import sluice.crypto.NodeId;
import sluice.v1.Comparison;
import sluice.v1.Operator;
import sluice.v1.Predicate;
import sluice.v1.PredicateList;

class AccessDeciderTest {
  static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
  static final Instant NOW = Instant.parse("2026-11-28T08:00:00Z");
  static final NodeId BJ_CIVIL = NodeId.parse("prov-11/dept-ca");
  static final String PURPOSE = "SOCIAL_ASSISTANCE_ELIGIBILITY";
  static final CatalogueEntry CONDITIONAL = entry(y -> y);
  static final AccessDecider DECIDER = new AccessDecider(CHINA);

  interface Edit {
    String apply(String yaml);
  }

  static CatalogueEntry entry(Edit edit) {
    try (InputStream in = AccessDeciderTest.class.getResourceAsStream("/entries/gd-social-insurance.yaml")) {
      return CatalogueEntries.parse(edit.apply(new String(in.readAllBytes(), StandardCharsets.UTF_8)), "test");
    } catch (IOException | sluice.catalog.entry.InvalidEntryException e) {
      throw new AssertionError(e);
    }
  }

  static Grant grant(String id, Set<String> fields, Set<String> purposes, Duration left, long quota) {
    return new Grant(id, BJ_CIVIL, CONDITIONAL.resourceCode(), fields, purposes,
        NOW.minus(Duration.ofDays(30)), NOW.plus(left), quota, null, null);
  }

  static final Grant GOOD = grant("G-1", Set.of("id_number", "enrolled"), Set.of(PURPOSE), Duration.ofDays(60), 100);

  static Decision ask(CatalogueEntry r, String purpose, List<String> fields, List<Grant> grants, Map<String, Long> used) {
    return DECIDER.decide(new AccessQuestion(
        BJ_CIVIL, ConsumerKind.GOVERNMENT_DEPARTMENT, r, purpose, fields, grants, used, NOW));
  }

  static Decision ask(List<Grant> grants, List<String> fields) {
    return ask(CONDITIONAL, PURPOSE, fields, grants, Map.of());
  }

  @Test
  void aGrantCoveringPurposeAndFieldsPermits() {
    Decision d = ask(List.of(GOOD), List.of("enrolled"));
    assertEquals(Decision.Outcome.PERMIT, d.outcome());
    assertEquals("G-1", d.grantId());
  }

  @Test
  void fieldsTheResourceDoesNotHaveAreInvalidBeforeAnyGrantIsConsidered() {
    Decision d = ask(List.of(GOOD), List.of("enrolled", "salary"));
    assertEquals(Decision.Outcome.INVALID, d.outcome());
    assertEquals("resource 3-44-002-001-000001 has no field \"salary\"", d.reason());
  }

  @Test
  void noGrantSaysHowToGetOne() {
    assertEquals(
        Decision.deny(Decision.Outcome.DENIED, Decision.Code.NO_GRANT,
            "prov-11/dept-ca has no grant for resource 3-44-002-001-000001: request access (sluice access request)"
                + " and wait for the provider's approval"),
        ask(List.of(), List.of("enrolled")));
  }

  @Test
  void fieldsAndPurposesOutsideTheGrantAreNamed() {
    Decision field = ask(List.of(GOOD), List.of("enrolled", "monthly_contribution_base"));
    assertEquals("grant G-1 does not cover field monthly_contribution_base", field.reason());
    assertEquals(Decision.Code.FIELD_NOT_GRANTED, field.code());
    assertEquals("G-1", field.grantId(), "the refusal names the grant it considered");
    Grant taxOnly = grant("G-2", Set.of("enrolled"), Set.of("TAX_ADMINISTRATION"), Duration.ofDays(1), 0);
    Decision purpose = ask(List.of(taxOnly), List.of("enrolled"));
    assertEquals("grant G-2 does not cover purpose SOCIAL_ASSISTANCE_ELIGIBILITY (it covers TAX_ADMINISTRATION)",
        purpose.reason());
    assertEquals(Decision.Code.PURPOSE_NOT_GRANTED, purpose.code());
  }

  @Test
  void purposesOutsideTheResourceConditionsAreRefusedFirst() {
    Decision d = ask(CONDITIONAL, "MARKETING", List.of("enrolled"), List.of(GOOD), Map.of());
    assertEquals(Decision.Outcome.DENIED, d.outcome());
    assertEquals("purpose MARKETING is not allowed for resource 3-44-002-001-000001"
        + " (allowed: SOCIAL_ASSISTANCE_ELIGIBILITY, TAX_ADMINISTRATION)", d.reason());
  }

  @Test
  void expiredAndRevokedGrantsAreRefusedWithWhen() {
    Grant expired = grant("G-3", Set.of("enrolled"), Set.of(PURPOSE), Duration.ofDays(-1), 0);
    assertEquals("grant G-3 expired at 2026-11-27T08:00:00Z; request access again",
        ask(List.of(expired), List.of("enrolled")).reason());
    Grant revoked = GOOD.revoked(NOW.minusSeconds(5), "case closed");
    assertEquals("grant G-1 was revoked at 2026-11-28T07:59:55Z: case closed",
        ask(List.of(revoked), List.of("enrolled")).reason());
    // Another grant in force still serves.
    assertEquals(Decision.Outcome.PERMIT, ask(List.of(revoked, grant("G-4", Set.of("enrolled"), Set.of(PURPOSE), Duration.ofDays(5), 0)), List.of("enrolled")).outcome());
  }

  @Test
  void theDailyQuotaIsEnforced() {
    Decision d = ask(CONDITIONAL, PURPOSE, List.of("enrolled"), List.of(GOOD), Map.of("G-1", 100L));
    assertEquals(Decision.Outcome.OVER_QUOTA, d.outcome());
    assertEquals("grant G-1 has used its daily quota of 100 subjects; it renews at 2026-11-29T00:00+08:00", d.reason());
    assertEquals(Decision.Outcome.PERMIT, ask(CONDITIONAL, PURPOSE, List.of("enrolled"), List.of(GOOD), Map.of("G-1", 99L)).outcome());
  }

  @Test
  void sharingTypeDecidesBeforeGrants() {
    CatalogueEntry unconditional = entry(y -> y.replace(
        "  type: CONDITIONAL\n  allowedPurposes: [SOCIAL_ASSISTANCE_ELIGIBILITY, TAX_ADMINISTRATION]\n"
            + "  allowedConsumerKinds: [GOVERNMENT_DEPARTMENT]\n  needsApproval: true\n  rowCap: 100000\n",
        "  type: UNCONDITIONAL\n"));
    Decision open = ask(unconditional, "ANYTHING", List.of("enrolled"), List.of(), Map.of());
    assertEquals(Decision.Outcome.PERMIT, open.outcome());
    assertNull(open.grantId());
    CatalogueEntry notShared = entry(y -> y.replace(
        "  type: CONDITIONAL\n  allowedPurposes: [SOCIAL_ASSISTANCE_ELIGIBILITY, TAX_ADMINISTRATION]\n"
            + "  allowedConsumerKinds: [GOVERNMENT_DEPARTMENT]\n  needsApproval: true\n  rowCap: 100000\n",
        "  type: NOT_SHARED\n"));
    assertEquals("resource 3-44-002-001-000001 is not shared (不予共享)",
        ask(notShared, PURPOSE, List.of("enrolled"), List.of(GOOD), Map.of()).reason());
  }

  @Test
  void retiredAndCoreResourcesAreNeverServed() {
    CatalogueEntry retired = CONDITIONAL.deprecated(LocalDate.of(2026, 11, 27));
    Decision d = ask(retired, PURPOSE, List.of("enrolled"), List.of(GOOD), Map.of());
    assertEquals(Decision.Outcome.UNAVAILABLE_RESOURCE, d.outcome());
    assertEquals("resource 3-44-002-001-000001 was retired after 2026-11-27; ask its steward for its successor", d.reason());
    CatalogueEntry stillServing = CONDITIONAL.deprecated(LocalDate.of(2026, 11, 28));
    assertEquals(Decision.Outcome.PERMIT, ask(stillServing, PURPOSE, List.of("enrolled"), List.of(GOOD), Map.of()).outcome(),
        "calls are answered up to and including the sunset date");
    CatalogueEntry core = entry(y -> y.replace("    level: L2\n", "    level: CORE\n")
        .replace("    defaultMask: CLEAR\n    allowedMasks: [CLEAR]", "    defaultMask: NULLIFY\n    allowedMasks: [NULLIFY]"));
    assertEquals("resource 3-44-002-001-000001 holds core data, which is never served",
        ask(core, PURPOSE, List.of("enrolled"), List.of(GOOD), Map.of()).reason());
  }

  @Test
  void consumerKindsOutsideTheConditionsAreRefused() {
    Decision d = DECIDER.decide(new AccessQuestion(BJ_CIVIL, ConsumerKind.PUBLIC_SERVICE_ENTERPRISE, CONDITIONAL,
        PURPOSE, List.of("enrolled"), List.of(GOOD), Map.of(), NOW));
    assertEquals("resource 3-44-002-001-000001 is shared only with [GOVERNMENT_DEPARTMENT]; prov-11/dept-ca is"
        + " PUBLIC_SERVICE_ENTERPRISE", d.reason());
  }

  @Test
  void theFieldsAPredicateTouchesAreWhatTheGrantMustCover() throws Exception {
    Predicate p = Predicate.newBuilder().setAll(PredicateList.newBuilder()
        .addOperands(cmp("enrolled"))
        .addOperands(Predicate.newBuilder().setNot(cmp("monthly_contribution_base")))
        .addOperands(cmp("enrolled"))).build();
    List<String> fields = PredicateFields.of(p, PredicateLimits.DEFAULT);
    assertEquals(List.of("enrolled", "monthly_contribution_base"), fields);
    assertEquals("grant G-1 does not cover field monthly_contribution_base", ask(List.of(GOOD), fields).reason());
  }

  static Predicate cmp(String field) {
    return Predicate.newBuilder().setComparison(Comparison.newBuilder().setField(field).setOp(Operator.EXISTS)).build();
  }

  static Decision query(CatalogueEntry r, List<Grant> grants, List<String> fields) {
    return DECIDER.decide(new AccessQuestion(
        BJ_CIVIL, ConsumerKind.GOVERNMENT_DEPARTMENT, r, PURPOSE, fields, grants, Map.of(), NOW, Operation.QUERY));
  }

  @Test
  void aQueryNeedsAGrantThatAllowsReadingAndGetsAMaskPerField() {
    Grant verifyOnly = grant("G-5", Set.of("name", "enrolled"), Set.of(PURPOSE), Duration.ofDays(60), 0);
    Decision refused = query(CONDITIONAL, List.of(verifyOnly), List.of("name", "enrolled"));
    assertEquals(Decision.Outcome.DENIED, refused.outcome());
    assertEquals("grant G-5 allows asking (Verify) only, not reading fields; request access with Query", refused.reason());
    assertEquals(Decision.Outcome.PERMIT, ask(List.of(verifyOnly), List.of("enrolled")).outcome(), "Verify still passes");

    Grant reading = new Grant("G-6", BJ_CIVIL, CONDITIONAL.resourceCode(), Set.of("name", "enrolled", "id_number"),
        Set.of(PURPOSE), NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(60)), 0, null, null, true, Map.of(), null);
    Decision d = query(CONDITIONAL, List.of(reading), List.of("enrolled", "name"));
    assertEquals(Decision.Outcome.PERMIT, d.outcome());
    assertEquals(List.of("enrolled", "name"), List.copyOf(d.masks().keySet()), "in the order asked");
    assertEquals(new MaskOrder(sluice.catalog.entry.Mask.NAME_KEEP_SURNAME, sluice.catalog.entry.SemanticType.CN_NAME),
        d.masks().get("name"));
    assertEquals(sluice.catalog.entry.Mask.CLEAR, d.masks().get("enrolled").mask());
    assertTrue(ask(List.of(reading), List.of("enrolled")).masks().isEmpty(), "a Verify carries no masks");

    Decision verifyOnlyField = query(CONDITIONAL, List.of(reading), List.of("id_number"));
    assertEquals(Decision.Outcome.DENIED, verifyOnlyField.outcome());
    assertEquals("field id_number of resource " + CONDITIONAL.resourceCode() + " may only be asked about (Verify),"
        + " never read under grant G-6", verifyOnlyField.reason());

    // A steward may approve another of the field's allowed masks for one grant.
    Grant pseudonymous = new Grant("G-7", BJ_CIVIL, CONDITIONAL.resourceCode(), Set.of("id_number"), Set.of(PURPOSE),
        NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(60)), 0, null, null, true,
        Map.of("id_number", sluice.catalog.entry.Mask.PSEUDONYM), null);
    Decision p = query(CONDITIONAL, List.of(pseudonymous), List.of("id_number"));
    assertEquals(Decision.Outcome.PERMIT, p.outcome(), p.reason());
    assertEquals(sluice.catalog.entry.Mask.PSEUDONYM, p.masks().get("id_number").mask());
  }
}
