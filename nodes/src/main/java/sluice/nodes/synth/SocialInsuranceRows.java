package sluice.nodes.synth;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import sluice.crypto.Province;

/**
 * Rows of {@code 3-CC-002-001-000001}, one per enrollee. Employees (all migrants, most
 * working-age residents, half of the older) are insured through an active company of the
 * province and have a monthly contribution base of 3,000 to 30,000 yuan; urban and rural
 * residents' insurance has no employer and no contribution base (both empty). People who died or
 * emigrated have TERMINATED enrolments.
 */
final class SocialInsuranceRows {

  private static final LocalDate SCHEME_START = LocalDate.of(1995, 1, 1);

  private SocialInsuranceRows() {}

  static List<List<String>> of(
      long seed, Province province, List<Enrollee> enrollees, List<Company> companies) {
    Draw draw = Draw.stream(seed, province, "social-insurance");
    List<Company> employers = companies.stream().filter(Company::isActive).toList();
    if (employers.isEmpty()) {
      employers = companies;
    }
    List<List<String>> rows = new ArrayList<>(enrollees.size());
    for (Enrollee e : enrollees) {
      Person p = e.person();
      boolean employee =
          !employers.isEmpty()
              && (e.migrant() || draw.chance(p.birthDate().getYear() >= 1966 ? 0.75 : 0.5));
      String status =
          !p.isActive()
              ? "TERMINATED"
              : draw.weighted(new String[] {"ACTIVE", "SUSPENDED", "TERMINATED"}, new int[] {88, 7, 5});
      LocalDate adult = p.birthDate().plusYears(employee ? 18 : 16);
      LocalDate since = draw.date(adult.isAfter(SCHEME_START) ? adult : SCHEME_START, SyntheticData.AS_OF);
      rows.add(
          List.of(
              p.idNumber(),
              p.name(),
              employee ? "URBAN_EMPLOYEE" : "URBAN_RURAL_RESIDENT",
              Boolean.toString(!status.equals("TERMINATED")),
              since.toString(),
              employee ? Long.toString(Math.round(draw.logUniform(3000, 30000))) : "",
              employee ? draw.pick(employers).uscc() : "",
              status));
    }
    return rows;
  }
}
