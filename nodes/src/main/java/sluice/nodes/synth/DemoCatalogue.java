package sluice.nodes.synth;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import sluice.catalog.FieldSpec;
import sluice.catalog.ResourceDescriptor;
import sluice.catalog.entry.CatalogueEntries;
import sluice.catalog.entry.CatalogueEntry;
import sluice.catalog.entry.Classification;
import sluice.catalog.entry.ConsumerKind;
import sluice.catalog.entry.EntryStatus;
import sluice.catalog.entry.EntryWriter;
import sluice.catalog.entry.FieldEntry;
import sluice.catalog.entry.IdentifierRole;
import sluice.catalog.entry.InvalidEntryException;
import sluice.catalog.entry.Mask;
import sluice.catalog.entry.OpenType;
import sluice.catalog.entry.PersonalInfoKind;
import sluice.catalog.entry.Provider;
import sluice.catalog.entry.ResourceFormat;
import sluice.catalog.entry.SemanticType;
import sluice.catalog.entry.SharingConditions;
import sluice.catalog.entry.SharingType;
import sluice.catalog.entry.UpdateCycle;
import sluice.catalog.ident.UnifiedSocialCreditCode;
import sluice.crypto.Province;

/**
 * Catalogue entries for the demo resources: who provides each, how its fields are classified,
 * and on what terms it is shared. The business registry is shared unconditionally (it is public
 * record); the others are conditional. Every entry is checked as a steward's would be.
 */
public final class DemoCatalogue {
  /** Purposes the demo's conditional resources may be used for. */
  public static final List<String> PURPOSES =
      List.of("SOCIAL_ASSISTANCE_ELIGIBILITY", "TAX_ADMINISTRATION", "BUSINESS_SUPERVISION");

  private record Kind(String department, String agency, String category, SharingType sharing, String legalBasis) {}

  private static final Map<String, Kind> KINDS =
      Map.ofEntries(
          Map.entry("edu", new Kind("edu", "教育厅", "教育", SharingType.CONDITIONAL, "《中华人民共和国教育法》；《政务信息资源共享管理暂行办法》")),
          Map.entry("nhsa", new Kind("nhsa", "医疗保障局", "医疗保障", SharingType.CONDITIONAL, "《医疗保障基金使用监督管理条例》")),
          Map.entry("housing", new Kind("housing", "住房和城乡建设厅", "住房保障", SharingType.CONDITIONAL, "《住房公积金管理条例》")),
          Map.entry("transport", new Kind("transport", "公安厅交通管理局", "交通", SharingType.CONDITIONAL, "《中华人民共和国道路交通安全法》")),
          Map.entry("health", new Kind("health", "卫生健康委员会", "卫生健康", SharingType.CONDITIONAL, "《中华人民共和国基本医疗卫生与健康促进法》")),
          Map.entry(
"psb", new Kind("psb", "公安厅", "人口", SharingType.CONDITIONAL, "《中华人民共和国居民身份证法》；《政务信息资源共享管理暂行办法》")),
          Map.entry("hrss", new Kind("hrss", "人力资源和社会保障厅", "社会保障", SharingType.CONDITIONAL, "《中华人民共和国社会保险法》第七十四条")),
          Map.entry("samr", new Kind("samr", "市场监督管理局", "市场主体", SharingType.UNCONDITIONAL, null)),
          Map.entry("tax", new Kind("tax", "税务局", "税收", SharingType.CONDITIONAL, "《中华人民共和国税收征收管理法》第八条")),
          Map.entry("ca", new Kind("ca", "民政厅", "社会救助", SharingType.CONDITIONAL, "《社会救助暂行办法》第十一条")));

  /** How each demo field is classified: level, PI kind, identifier role, meaning, masks. */
  private record FieldClass(Classification level, PersonalInfoKind pi, IdentifierRole role, SemanticType type, List<Mask> masks) {}

  private static final Map<String, FieldClass> FIELDS =
      Map.ofEntries(
          Map.entry("id_number", fc(Classification.L4, PersonalInfoKind.SENSITIVE_PERSONAL, IdentifierRole.DIRECT, SemanticType.CN_ID_CARD, Mask.VERIFY_ONLY, Mask.ID_KEEP_6_4, Mask.PSEUDONYM)),
          Map.entry("legal_rep_id", fc(Classification.L4, PersonalInfoKind.SENSITIVE_PERSONAL, IdentifierRole.DIRECT, SemanticType.CN_ID_CARD, Mask.VERIFY_ONLY, Mask.ID_KEEP_6_4)),
          Map.entry("name", fc(Classification.L3, PersonalInfoKind.PERSONAL, IdentifierRole.DIRECT, SemanticType.CN_NAME, Mask.NAME_KEEP_SURNAME, Mask.NULLIFY)),
          Map.entry("gender", fc(Classification.L3, PersonalInfoKind.PERSONAL, IdentifierRole.QUASI, SemanticType.CODE, Mask.CLEAR, Mask.NULLIFY)),
          Map.entry("birth_date", fc(Classification.L3, PersonalInfoKind.PERSONAL, IdentifierRole.QUASI, SemanticType.DATE, Mask.DATE_TO_YEAR, Mask.DATE_TO_MONTH)),
          Map.entry("household_region", fc(Classification.L3, PersonalInfoKind.PERSONAL, IdentifierRole.QUASI, SemanticType.REGION_CODE, Mask.CLEAR)),
          Map.entry("address", fc(Classification.L4, PersonalInfoKind.SENSITIVE_PERSONAL, IdentifierRole.QUASI, SemanticType.ADDRESS, Mask.ADDRESS_TO_COUNTY, Mask.VERIFY_ONLY)),
          Map.entry("monthly_contribution_base", fc(Classification.L3, PersonalInfoKind.PERSONAL, IdentifierRole.ATTRIBUTE, SemanticType.AMOUNT, Mask.VERIFY_ONLY)),
          Map.entry("monthly_allowance", fc(Classification.L4, PersonalInfoKind.SENSITIVE_PERSONAL, IdentifierRole.ATTRIBUTE, SemanticType.AMOUNT, Mask.VERIFY_ONLY)),
          Map.entry("household_size", fc(Classification.L4, PersonalInfoKind.SENSITIVE_PERSONAL, IdentifierRole.ATTRIBUTE, SemanticType.COUNT, Mask.VERIFY_ONLY)),
          Map.entry("uscc", fc(Classification.L1, PersonalInfoKind.NONE, IdentifierRole.DIRECT, SemanticType.CN_USCC, Mask.CLEAR)),
          Map.entry("employer_uscc", fc(Classification.L2, PersonalInfoKind.NONE, IdentifierRole.ATTRIBUTE, SemanticType.CN_USCC, Mask.CLEAR)),
          Map.entry("company_name", fc(Classification.L1, PersonalInfoKind.NONE, IdentifierRole.DIRECT, SemanticType.ORG_NAME, Mask.CLEAR)),
          Map.entry("taxpayer_name", fc(Classification.L1, PersonalInfoKind.NONE, IdentifierRole.DIRECT, SemanticType.ORG_NAME, Mask.CLEAR)),
          Map.entry("registered_capital", fc(Classification.L1, PersonalInfoKind.NONE, IdentifierRole.ATTRIBUTE, SemanticType.AMOUNT, Mask.CLEAR)),
          Map.entry("annual_revenue", fc(Classification.L3, PersonalInfoKind.NONE, IdentifierRole.ATTRIBUTE, SemanticType.AMOUNT, Mask.VERIFY_ONLY)),
          Map.entry("credit_rating", fc(Classification.L2, PersonalInfoKind.NONE, IdentifierRole.ATTRIBUTE, SemanticType.CODE, Mask.CLEAR)),
          Map.entry("overdue_tax", fc(Classification.L3, PersonalInfoKind.NONE, IdentifierRole.ATTRIBUTE, SemanticType.FLAG, Mask.VERIFY_ONLY)),
          Map.entry("region", fc(Classification.L1, PersonalInfoKind.NONE, IdentifierRole.ATTRIBUTE, SemanticType.REGION_CODE, Mask.CLEAR)),
          Map.entry("established", fc(Classification.L1, PersonalInfoKind.NONE, IdentifierRole.ATTRIBUTE, SemanticType.DATE, Mask.CLEAR)),
          Map.entry("insurance_type", fc(Classification.L3, PersonalInfoKind.PERSONAL, IdentifierRole.ATTRIBUTE, SemanticType.CODE, Mask.CLEAR)),
          Map.entry("enrolled", fc(Classification.L3, PersonalInfoKind.PERSONAL, IdentifierRole.ATTRIBUTE, SemanticType.FLAG, Mask.CLEAR)),
          Map.entry("enrolled_since", fc(Classification.L3, PersonalInfoKind.PERSONAL, IdentifierRole.ATTRIBUTE, SemanticType.DATE, Mask.DATE_TO_YEAR)),
          Map.entry("since", fc(Classification.L4, PersonalInfoKind.SENSITIVE_PERSONAL, IdentifierRole.ATTRIBUTE, SemanticType.DATE, Mask.DATE_TO_YEAR, Mask.VERIFY_ONLY)),
          Map.entry("status", fc(Classification.L3, PersonalInfoKind.PERSONAL, IdentifierRole.ATTRIBUTE, SemanticType.CODE, Mask.CLEAR)));

  private DemoCatalogue() {}

  private static FieldClass fc(Classification level, PersonalInfoKind pi, IdentifierRole role, SemanticType type, Mask... masks) {
    return new FieldClass(level, pi, role, type, List.of(masks));
  }

  /** The checked catalogue entry of a demo resource. */
  public static CatalogueEntry entryFor(ResourceDescriptor r) {
    Province province = r.provider().provinceOf().orElseThrow();
    String department = r.provider().departmentName().orElseThrow();
    Kind kind = KINDS.get(department);
    List<FieldEntry> fields = new ArrayList<>();
    for (FieldSpec f : r.fields()) {
      FieldClass c = FIELDS.get(f.name());
      if (c == null) {
        throw new IllegalStateException("demo field " + f.name() + " has no classification");
      }
      fields.add(new FieldEntry(f.name(), f.name().toUpperCase(java.util.Locale.ROOT), f.type(),
          f.type() == sluice.catalog.FieldType.STRING ? 100 : 0, f.name().replace('_', ' '), c.level(), c.pi(), c.role(),
          c.type(), c.masks().get(0), c.masks()));
    }
    boolean conditional = kind.sharing() == SharingType.CONDITIONAL;
    CatalogueEntry entry = new CatalogueEntry(
        r.code(), r.name(), kind.category(),
        new Provider(province.chineseName() + kind.agency(), agencyCode(province, department), r.provider()),
        r.name() + " held by " + r.provider() + ".",
        ResourceFormat.DATABASE, kind.sharing(),
        conditional
            ? new SharingConditions(PURPOSES, List.of(ConsumerKind.GOVERNMENT_DEPARTMENT), true, 100_000)
            : SharingConditions.NONE,
        kind.legalBasis(), OpenType.NOT_OPEN, UpdateCycle.DAILY,
        LocalDate.of(2024, 1, 1), LocalDate.of(2026, 6, 30), r.subjectKeyField(), 1, EntryStatus.ACTIVE, null,
        province.chineseName() + kind.agency() + " 数据管理处", fields);
    try {
      // Round trip through the steward's format, so demo entries obey every rule real ones do.
      return CatalogueEntries.parse(EntryWriter.toJson(entry), r.code());
    } catch (InvalidEntryException e) {
      throw new IllegalStateException("demo catalogue entry is invalid: " + e.getMessage(), e);
    }
  }

  /** A valid unified social credit code for a provincial agency (机关, authority 1, type 1). */
  static String agencyCode(Province province, String department) {
    String body8 = String.format("%s%02d%04d", "0", province.code(), List.of("psb", "hrss", "samr", "tax", "ca", "edu", "nhsa", "housing", "transport", "health").indexOf(department) + 1).substring(0, 7) + "1";
    String first17 = "11" + province.codeString() + "0000" + body8 + UnifiedSocialCreditCode.organisationCodeCheck(body8);
    return first17 + UnifiedSocialCreditCode.checkCharacter(first17);
  }
}
