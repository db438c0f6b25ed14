package sluice.nodes.synth;

import java.util.List;
import sluice.catalog.FieldSpec;
import sluice.catalog.FieldType;
import sluice.catalog.ResourceDescriptor;
import sluice.crypto.NodeId;
import sluice.crypto.Province;

/**
 * The five demo resources every province offers, one per department. Field names and types are
 * a contract: catalogue entries, demo scenarios and tests refer to them.
 *
 * <table>
 *   <caption>Demo resources of province CC</caption>
 *   <tr><th>provider</th><th>code</th><th>subject key</th></tr>
 *   <tr><td>prov-CC/dept-ca (民政)</td><td>3-CC-005-001-000001</td><td>id_number</td></tr>
 *   <tr><td>prov-CC/dept-hrss (人社)</td><td>3-CC-002-001-000001</td><td>id_number</td></tr>
 *   <tr><td>prov-CC/dept-psb (公安)</td><td>3-CC-001-001-000001</td><td>id_number</td></tr>
 *   <tr><td>prov-CC/dept-samr (市场监管)</td><td>3-CC-003-001-000001</td><td>uscc</td></tr>
 *   <tr><td>prov-CC/dept-tax (税务)</td><td>3-CC-004-001-000001</td><td>uscc</td></tr>
 * </table>
 */
public final class DemoResources {

  private DemoResources() {}

  /** The five resources of {@code province}, ordered by provider node id (ca, hrss, psb, samr, tax). */
  public static List<ResourceDescriptor> forProvince(Province province) {
    return List.of(
        dibao(province),
        socialInsurance(province),
        population(province),
        businessRegistry(province),
        taxpayerStatus(province));
  }

  /** {@code 3-CC-001-001-000001}: the household registration of the province's residents. */
  public static ResourceDescriptor population(Province province) {
    return descriptor(
        province,
        "psb",
        "Population registry",
        "id_number",
        List.of(
            string("id_number"),
            string("name"),
            string("gender"),
            field("birth_date", FieldType.DATE),
            string("household_region"),
            string("address"),
            string("status")));
  }

  /** {@code 3-CC-002-001-000001}: social insurance enrolments held where people work. */
  public static ResourceDescriptor socialInsurance(Province province) {
    return descriptor(
        province,
        "hrss",
        "Social insurance enrolment",
        "id_number",
        List.of(
            string("id_number"),
            string("name"),
            string("insurance_type"),
            field("enrolled", FieldType.BOOLEAN),
            field("enrolled_since", FieldType.DATE),
            field("monthly_contribution_base", FieldType.INTEGER),
            string("employer_uscc"),
            string("status")));
  }

  /** {@code 3-CC-003-001-000001}: market entities registered in the province. */
  public static ResourceDescriptor businessRegistry(Province province) {
    return descriptor(
        province,
        "samr",
        "Business registry",
        "uscc",
        List.of(
            string("uscc"),
            string("company_name"),
            string("legal_rep_id"),
            field("registered_capital", FieldType.DECIMAL),
            field("established", FieldType.DATE),
            string("status"),
            string("region")));
  }

  /** {@code 3-CC-004-001-000001}: the tax standing of the province's registered companies. */
  public static ResourceDescriptor taxpayerStatus(Province province) {
    return descriptor(
        province,
        "tax",
        "Taxpayer status",
        "uscc",
        List.of(
            string("uscc"),
            string("taxpayer_name"),
            string("credit_rating"),
            string("status"),
            field("annual_revenue", FieldType.DECIMAL),
            field("overdue_tax", FieldType.BOOLEAN)));
  }

  /** {@code 3-CC-005-001-000001}: recipients of the minimum living allowance (最低生活保障). */
  public static ResourceDescriptor dibao(Province province) {
    return descriptor(
        province,
        "ca",
        "Minimum living allowance (dibao) recipients",
        "id_number",
        List.of(
            string("id_number"),
            string("name"),
            field("household_size", FieldType.INTEGER),
            field("monthly_allowance", FieldType.DECIMAL),
            field("since", FieldType.DATE),
            string("status")));
  }

  /**
   * The further departments a province may have when a layout asks for ten per province (scale
   * tests): each keeps one register of residents by citizen ID, {@code 3-CC-006-...} to
   * {@code 3-CC-010-...}.
   */
  public static final List<String> EXTRA_DEPARTMENTS = List.of("edu", "nhsa", "housing", "transport", "health");

  /** The register of {@code department} (one of {@link #EXTRA_DEPARTMENTS}) in {@code province}. */
  public static ResourceDescriptor register(Province province, String department) {
    return descriptor(
        province,
        department,
        switch (department) {
          case "edu" -> "Student status register";
          case "nhsa" -> "Medical insurance register";
          case "housing" -> "Housing provident fund register";
          case "transport" -> "Driving licence register";
          case "health" -> "Family doctor contract register";
          default -> throw new IllegalArgumentException("no demo register for department " + department);
        },
        "id_number",
        List.of(string("id_number"), string("name"), field("enrolled", FieldType.BOOLEAN), string("status")));
  }

  /** The header of a resource's CSV file: its field names in order. */
  static List<String> header(ResourceDescriptor resource) {
    return resource.fields().stream().map(FieldSpec::name).toList();
  }

  private static ResourceDescriptor descriptor(
      Province province,
      String department,
      String name,
      String key,
      List<FieldSpec> fields) {
    return new ResourceDescriptor(
        code(province, department),
        name + " (" + province.englishName() + ")",
        NodeId.department(province, department),
        key,
        fields);
  }

  /**
   * The demo resource code of {@code department} in {@code province}, in the catalogue's form
   * 类-项-目-细目-顺序码: 3 (departmental resource), the province code, the department's number
   * (001 psb, 002 hrss, 003 samr, 004 tax, 005 ca), 001, 000001. E.g. {@code 3-44-002-001-000001}
   * is Guangdong's social insurance enrolment.
   */
  public static String code(Province province, String department) {
    int number =
        switch (department) {
          case "psb" -> 1;
          case "hrss" -> 2;
          case "samr" -> 3;
          case "tax" -> 4;
          case "ca" -> 5;
          default -> {
            int extra = EXTRA_DEPARTMENTS.indexOf(department);
            if (extra < 0) {
              throw new IllegalArgumentException("no demo resource for department " + department);
            }
            yield 6 + extra;
          }
        };
    return String.format("3-%s-%03d-001-000001", province.codeString(), number);
  }

  private static FieldSpec string(String name) {
    return field(name, FieldType.STRING);
  }

  private static FieldSpec field(String name, FieldType type) {
    return new FieldSpec(name, type);
  }
}
