package sluice.nodes.synth;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import sluice.catalog.ident.UnifiedSocialCreditCode;
import sluice.crypto.Province;

/** Generates a province's market entities with valid, unique unified social credit codes. */
final class Companies {

  private static final LocalDate EARLIEST_ESTABLISHED = LocalDate.of(1993, 1, 1);
  private static final double OWN_PROVINCE_REPRESENTATIVE = 0.85;

  private Companies() {}

  /**
   * {@code count} entities registered in {@code province}: mostly enterprises (91), some
   * individual businesses (92) and farmers' cooperatives (93). Legal representatives are adult,
   * living residents of the federation, usually of the same province.
   *
   * @param people every generated province's residents, in province order
   * @param usedCodes USCCs issued so far in the federation; new codes are added
   */
  static List<Company> generate(
      long seed,
      Province province,
      int count,
      Map<Province, List<Person>> people,
      Set<String> usedCodes) {
    Draw draw = Draw.stream(seed, province, "companies");
    List<County> counties = Counties.of(province);
    List<Province> others =
        people.keySet().stream().filter(p -> p != province).toList();
    List<Company> companies = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      County county = draw.pick(counties);
      String type = draw.weighted(new String[] {"1", "2", "3"}, new int[] {85, 10, 5});
      String uscc = uniqueCode(draw, "9" + type + county.code(), usedCodes);
      Province repProvince =
          others.isEmpty() || draw.chance(OWN_PROVINCE_REPRESENTATIVE) ? province : draw.pick(others);
      Person rep = representative(draw, people.get(repProvince));
      LocalDate adult = rep.birthDate().plusYears(20);
      LocalDate established =
          draw.date(adult.isAfter(EARLIEST_ESTABLISHED) ? adult : EARLIEST_ESTABLISHED, SyntheticData.AS_OF);
      companies.add(
          new Company(
              province,
              uscc,
              name(draw, type, county),
              rep.idNumber(),
              capital(draw, type),
              established,
              draw.weighted(new String[] {"ACTIVE", "REVOKED", "DEREGISTERED"}, new int[] {85, 6, 9}),
              county));
    }
    return companies;
  }

  /** Authority, type and region, then a fresh GB 11714 organisation code and the check character. */
  private static String uniqueCode(Draw draw, String first8, Set<String> used) {
    while (true) {
      StringBuilder body = new StringBuilder(8);
      for (int i = 0; i < 8; i++) {
        // Mostly digits, as most organisation codes are; letters from the USCC character set.
        body.append(
            draw.chance(0.8)
                ? (char) ('0' + draw.between(0, 9))
                : draw.pick(UnifiedSocialCreditCode.CHARSET));
      }
      String first17 = first8 + body + UnifiedSocialCreditCode.organisationCodeCheck(body.toString());
      String code = first17 + UnifiedSocialCreditCode.checkCharacter(first17);
      if (used.add(code)) {
        return code;
      }
    }
  }

  /** A living resident born by 2000, if a few draws find one; otherwise anyone. */
  private static Person representative(Draw draw, List<Person> residents) {
    for (int attempt = 0; attempt < 50; attempt++) {
      Person p = draw.pick(residents);
      if (p.isActive() && p.birthDate().getYear() <= 2000) {
        return p;
      }
    }
    return draw.pick(residents);
  }

  private static String name(Draw draw, String type, County county) {
    switch (type) {
      case "2":
        return ChineseText.individualBusinessName(draw, county);
      case "3":
        return ChineseText.cooperativeName(draw, county);
      default:
        return ChineseText.enterpriseName(draw, county);
    }
  }

  /** Registered capital in 10,000 yuan, by entity type; often a round figure. */
  private static double capital(Draw draw, String type) {
    double value =
        type.equals("1")
            ? draw.logUniform(10, 50_000)
            : type.equals("2") ? draw.logUniform(1, 50) : draw.logUniform(5, 500);
    return draw.chance(0.7) ? Math.max(1, Math.round(value)) : value;
  }
}
