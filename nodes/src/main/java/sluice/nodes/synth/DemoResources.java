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
 *   <tr><td>prov-CC/dept-ca (民政)</td><td>CC.ca.dibao</td><td>id_number</td></tr>
 *   <tr><td>prov-CC/dept-hrss (人社)</td><td>CC.hrss.social-insurance</td><td>id_number</td></tr>
 *   <tr><td>prov-CC/dept-psb (公安)</td><td>CC.psb.population</td><td>id_number</td></tr>
 *   <tr><td>prov-CC/dept-samr (市场监管)</td><td>CC.samr.business-registry</td><td>uscc</td></tr>
 *   <tr><td>prov-CC/dept-tax (税务)</td><td>CC.tax.taxpayer-status</td><td>uscc</td></tr>
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

  /** {@code CC.psb.population}: the household registration of the province's residents. */
  public static ResourceDescriptor population(Province province) {
    return descriptor(
        province,
        "psb",
        "population",
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

  /** {@code CC.hrss.social-insurance}: social insurance enrolments held where people work. */
  public static ResourceDescriptor socialInsurance(Province province) {
    return descriptor(
        province,
        "hrss",
        "social-insurance",
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

  /** {@code CC.samr.business-registry}: market entities registered in the province. */
  public static ResourceDescriptor businessRegistry(Province province) {
    return descriptor(
        province,
        "samr",
        "business-registry",
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

  /** {@code CC.tax.taxpayer-status}: the tax standing of the province's registered companies. */
  public static ResourceDescriptor taxpayerStatus(Province province) {
    return descriptor(
        province,
        "tax",
        "taxpayer-status",
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

  /** {@code CC.ca.dibao}: recipients of the minimum living allowance (最低生活保障). */
  public static ResourceDescriptor dibao(Province province) {
    return descriptor(
        province,
        "ca",
        "dibao",
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

  /** The header of a resource's CSV file: its field names in order. */
  static List<String> header(ResourceDescriptor resource) {
    return resource.fields().stream().map(FieldSpec::name).toList();
  }

  private static ResourceDescriptor descriptor(
      Province province,
      String department,
      String suffix,
      String name,
      String key,
      List<FieldSpec> fields) {
    return new ResourceDescriptor(
        province.codeString() + "." + department + "." + suffix,
        name + " (" + province.englishName() + ")",
        NodeId.department(province, department),
        key,
        fields);
  }

  private static FieldSpec string(String name) {
    return field(name, FieldType.STRING);
  }

  private static FieldSpec field(String name, FieldType type) {
    return new FieldSpec(name, type);
  }
}
