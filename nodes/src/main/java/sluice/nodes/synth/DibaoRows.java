package sluice.nodes.synth;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import sluice.crypto.Province;

/**
 * Rows of {@code 3-CC-005-001-000001}: about 5% of the province's living residents. The monthly
 * allowance is 400 to 1,200 yuan per person times the household size.
 */
final class DibaoRows {

  private static final LocalDate EARLIEST = LocalDate.of(2010, 1, 1);
  private static final String[] SIZES = {"1", "2", "3", "4", "5", "6"};
  private static final int[] SIZE_WEIGHTS = {20, 25, 25, 15, 10, 5};

  private DibaoRows() {}

  static List<List<String>> of(long seed, Province province, List<Person> residents) {
    Draw draw = Draw.stream(seed, province, "dibao");
    List<List<String>> rows = new ArrayList<>();
    for (Person p : residents) {
      if (!p.isActive() || !draw.chance(0.052)) {
        continue;
      }
      int household = Integer.parseInt(draw.weighted(SIZES, SIZE_WEIGHTS));
      int perPerson = draw.between(400, 1200);
      LocalDate adult = p.birthDate().plusYears(18);
      rows.add(
          List.of(
              p.idNumber(),
              p.name(),
              Integer.toString(household),
              Draw.money((double) perPerson * household),
              draw.date(adult.isAfter(EARLIEST) ? adult : EARLIEST, SyntheticData.AS_OF).toString(),
              draw.weighted(new String[] {"ACTIVE", "SUSPENDED", "ENDED"}, new int[] {80, 8, 12})));
    }
    return rows;
  }
}
