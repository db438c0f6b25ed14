package sluice.catalog.entry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import sluice.catalog.FieldType;
import sluice.crypto.NodeId;

class CatalogueEntriesTest {
  static final String VALID = resource("gd-social-insurance.yaml");

  static String resource(String name) {
    try (InputStream in = CatalogueEntriesTest.class.getResourceAsStream("/entries/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** The problems of {@code yaml}, as "path: message" lines. */
  static List<String> problems(String yaml) {
    InvalidEntryException e =
        assertThrows(InvalidEntryException.class, () -> CatalogueEntries.parse(yaml, "entry.yaml"));
    return e.problems().stream().map(Problem::toString).toList();
  }

  static String with(String from, String to) {
    assertTrue(VALID.contains(from), "test fixture lacks: " + from);
    return VALID.replace(from, to);
  }

  @Test
  void aValidEntryParsesCompletely() throws Exception {
    CatalogueEntry e = CatalogueEntries.parse(VALID, "gd.yaml");
    assertEquals("3-44-002-001-000001", e.resourceCode());
    assertEquals(NodeId.parse("prov-44/dept-hrss"), e.provider().node());
    assertEquals(SharingType.CONDITIONAL, e.sharingType());
    assertEquals(List.of("SOCIAL_ASSISTANCE_ELIGIBILITY", "TAX_ADMINISTRATION"), e.sharingConditions().allowedPurposes());
    assertEquals(100_000, e.sharingConditions().rowCap());
    assertEquals(4, e.fields().size());
    assertEquals(Classification.L4, e.level(), "a resource's level is its highest field's");
    assertTrue(e.isServable());
    assertEquals(FieldType.BOOLEAN, e.descriptor().field("enrolled").orElseThrow().type());
    assertEquals(Mask.VERIFY_ONLY, e.field("id_number").orElseThrow().defaultMask());
  }

  @Test
  void everyProblemIsReportedAtOnceWithItsPath() {
    String yaml =
        with("resourceCode: 3-44-002-001-000001", "resourceCode: 44.hrss")
            .replace("code: 11440000006939860F", "code: 11440000006939860G")
            .replace("semanticType: CN_NAME", "semanticType: IDCARD")
            .replace("subjectKey: id_number", "subjectKey: citizen_id");
    assertEquals(
        List.of(
            "resourceCode: \"44.hrss\" is not a resource code (类-项-目-细目-顺序码, e.g. 3-44-002-001-000001)",
            "provider.code: unified social credit code check character is G, expected F",
            "fields[1].semanticType: unknown value \"IDCARD\" (one of CN_ID_CARD, CN_MOBILE, BANK_CARD, CN_USCC, "
                + "CN_NAME, ORG_NAME, ADDRESS, REGION_CODE, DATE, AMOUNT, COUNT, CODE, FLAG, TEXT)",
            "subjectKey: \"citizen_id\" is not a field of this resource"),
        problems(yaml));
  }

  @Test
  void duplicateFieldNamesAndCodes() {
    String yaml = with("  - name: enrolled\n    code: SFCB", "  - name: name\n    code: XM");
    assertEquals(
        List.of(
            "fields[2].name: \"name\" is already the name of fields[1]",
            "fields[2].code: \"XM\" is already the code of fields[1]"),
        problems(yaml));
  }

  @Test
  void conditionalAndNotSharedResourcesNeedALegalBasis() {
    String noBasis = with("legalBasis: 《中华人民共和国社会保险法》第七十四条；《政务信息资源共享管理暂行办法》\n", "");
    assertEquals(
        List.of("legalBasis: required for a CONDITIONAL resource: cite the law or regulation"), problems(noBasis));
    String notShared =
        noBasis.replace(
            "  type: CONDITIONAL\n  allowedPurposes: [SOCIAL_ASSISTANCE_ELIGIBILITY, TAX_ADMINISTRATION]\n"
                + "  allowedConsumerKinds: [GOVERNMENT_DEPARTMENT]\n  needsApproval: true\n  rowCap: 100000\n",
            "  type: NOT_SHARED\n");
    assertEquals(
        List.of("legalBasis: required for a NOT_SHARED resource: cite the law or regulation"), problems(notShared));
  }

  @Test
  void unconditionalResourcesNeedNeitherBasisNorConditions() throws Exception {
    String yaml =
        with(
                "  type: CONDITIONAL\n  allowedPurposes: [SOCIAL_ASSISTANCE_ELIGIBILITY, TAX_ADMINISTRATION]\n"
                    + "  allowedConsumerKinds: [GOVERNMENT_DEPARTMENT]\n  needsApproval: true\n  rowCap: 100000\n",
                "  type: UNCONDITIONAL\n")
            .replace("legalBasis: 《中华人民共和国社会保险法》第七十四条；《政务信息资源共享管理暂行办法》\n", "");
    CatalogueEntry e = CatalogueEntries.parse(yaml, "u.yaml");
    assertEquals(SharingType.UNCONDITIONAL, e.sharingType());
    assertFalse(e.sharingConditions().needsApproval());
  }

  @Test
  void conditionalResourcesMustSayForWhatAndForWhom() {
    String yaml =
        with(
            "  allowedPurposes: [SOCIAL_ASSISTANCE_ELIGIBILITY, TAX_ADMINISTRATION]\n  allowedConsumerKinds: [GOVERNMENT_DEPARTMENT]\n",
            "");
    assertEquals(
        List.of(
            "sharing.allowedPurposes: a CONDITIONAL resource must list the purposes it may be used for",
            "sharing.allowedConsumerKinds: a CONDITIONAL resource must list who it may be shared with"),
        problems(yaml));
    assertEquals(
        List.of("sharing.allowedPurposes[1]: \"tax\" is not a purpose code (upper-case letters, digits and _)"),
        problems(with("TAX_ADMINISTRATION]", "tax]")));
  }

  @Test
  void highlySensitiveFieldsMustAllowAMaskAndNeverClear() {
    String noMask =
        with("    defaultMask: VERIFY_ONLY\n    allowedMasks: [VERIFY_ONLY, ID_KEEP_6_4, GENERALISE_ID, PSEUDONYM]",
            "    defaultMask: CLEAR\n    allowedMasks: [CLEAR]");
    assertEquals(
        List.of(
            "fields[0].allowedMasks: a L4 field must allow at least one mask other than CLEAR",
            "fields[0].allowedMasks: CLEAR is not allowed for a L4 field"),
        problems(noMask));
  }

  @Test
  void masksMustFitTheFieldAndIncludeTheDefault() {
    assertEquals(
        List.of("fields[1].allowedMasks[1]: DATE_TO_YEAR does not fit a CN_NAME field"),
        problems(with("allowedMasks: [NAME_KEEP_SURNAME, NULLIFY]", "allowedMasks: [NAME_KEEP_SURNAME, DATE_TO_YEAR]")));
    assertEquals(
        List.of("fields[1].defaultMask: NULLIFY is not among the allowed masks [NAME_KEEP_SURNAME]"),
        problems(with("    defaultMask: NAME_KEEP_SURNAME\n    allowedMasks: [NAME_KEEP_SURNAME, NULLIFY]",
            "    defaultMask: NULLIFY\n    allowedMasks: [NAME_KEEP_SURNAME]")));
  }

  @Test
  void personalInformationIsClassifiedHighEnough() {
    assertEquals(
        List.of("fields[0].level: sensitive personal information is at least L4, not L3"),
        problems(with("    level: L4\n    personalInfo: SENSITIVE_PERSONAL", "    level: L3\n    personalInfo: SENSITIVE_PERSONAL")));
    assertEquals(
        List.of("fields[1].level: personal information is at least L3, not L2"),
        problems(with("    level: L3\n    personalInfo: PERSONAL\n    identifierRole: DIRECT",
            "    level: L2\n    personalInfo: PERSONAL\n    identifierRole: DIRECT")));
    assertEquals(
        List.of("fields[1].personalInfo: a CN_NAME field holds personal information, not NONE"),
        problems(with("    level: L3\n    personalInfo: PERSONAL\n    identifierRole: DIRECT",
            "    level: L3\n    personalInfo: NONE\n    identifierRole: DIRECT")));
  }

  @Test
  void coreDataIsRegisteredButNeverServed() throws Exception {
    CatalogueEntry e =
        CatalogueEntries.parse(with("    level: L2\n    personalInfo: NONE", "    level: CORE\n    personalInfo: NONE")
            .replace("    defaultMask: CLEAR\n    allowedMasks: [CLEAR]", "    defaultMask: NULLIFY\n    allowedMasks: [NULLIFY]"), "core.yaml");
    assertEquals(Classification.CORE, e.level());
    assertFalse(e.isServable());
  }

  @Test
  void shapeMistakesAreProblemsToo() {
    assertEquals(
        List.of(
            "colour: unknown key (known keys: category, fields, format, legalBasis, name, openType, provider, "
                + "publishedOn, resourceCode, sharing, status, steward, subjectKey, summary, sunsetOn, updateCycle, "
                + "updatedOn, version)",
            "updatedOn: \"2026-13-01\" is not a date (YYYY-MM-DD)",
            "version: expected a whole number, got \"one\""),
        problems(with("version: 1", "version: one\ncolour: blue").replace("updatedOn: 2026-06-30", "updatedOn: 2026-13-01")));
    assertEquals(
        List.of("sunsetOn: required for a DEPRECATED resource: the date after which calls are refused"),
        problems(with("status: ACTIVE", "status: DEPRECATED")));
    assertEquals(
        List.of("provider.node: prov-44 is not a department node (prov-CC/dept-NAME)"),
        problems(with("node: prov-44/dept-hrss", "node: prov-44")));
    assertEquals(List.of("updatedOn: 2023-01-01 is before publishedOn 2024-01-15"),
        problems(with("updatedOn: 2026-06-30", "updatedOn: 2023-01-01")));
    assertTrue(problems("resourceCode: [unclosed").get(0).startsWith("(entry): not valid YAML"));
    assertEquals("(entry): expected a mapping of keys to values", problems("- a\n- b").get(0));
  }
}
