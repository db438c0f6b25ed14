package sluice.nodes.synth;

import java.util.ArrayList;
import java.util.List;
import sluice.crypto.Province;

/**
 * Rows of {@code 3-CC-004-001-000001}: about 92% of the province's registered companies. The
 * status follows the registry (deregistered companies are deregistered taxpayers, revoked ones
 * abnormal); annual revenue in yuan scales with registered capital; overdue tax is likelier with
 * a poor credit rating.
 */
final class TaxpayerRows {

  private static final String[] RATINGS = {"A", "B", "M", "C", "D"};
  private static final int[] RATING_WEIGHTS = {30, 40, 15, 10, 5};

  private TaxpayerRows() {}

  static List<List<String>> of(long seed, Province province, List<Company> companies) {
    Draw draw = Draw.stream(seed, province, "taxpayers");
    List<List<String>> rows = new ArrayList<>();
    for (Company c : companies) {
      if (!draw.chance(0.92)) {
        continue;
      }
      String rating = draw.weighted(RATINGS, RATING_WEIGHTS);
      String status;
      if (c.status().equals("DEREGISTERED")) {
        status = "DEREGISTERED";
      } else if (c.status().equals("REVOKED") || draw.chance(0.05)) {
        status = "ABNORMAL";
      } else {
        status = "NORMAL";
      }
      double revenue =
          status.equals("DEREGISTERED") ? 0 : c.registeredCapital() * 10_000 * draw.logUniform(0.05, 5);
      double overdue = rating.equals("D") ? 0.6 : rating.equals("C") ? 0.3 : 0.03;
      rows.add(
          List.of(
              c.uscc(),
              c.name(),
              rating,
              status,
              Draw.money(revenue),
              Boolean.toString(!status.equals("DEREGISTERED") && draw.chance(overdue))));
    }
    return rows;
  }
}
