package sluice.nodes.synth;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import sluice.catalog.ident.CitizenIdNumber;
import sluice.crypto.Province;

/** Generates a province's residents with valid, unique citizen ID numbers. */
final class People {

  static final LocalDate EARLIEST_BIRTH = LocalDate.of(1940, 1, 1);
  static final LocalDate LATEST_BIRTH = LocalDate.of(2006, 12, 31);

  private People() {}

  /**
   * {@code count} residents of {@code province}. ID numbers are unique within the province; region
   * codes of different provinces never overlap, so they are unique across the federation.
   */
  static List<Person> generate(long seed, Province province, int count) {
    Draw draw = Draw.stream(seed, province, "people");
    List<County> counties = Counties.of(province);
    String addressPrefix = Counties.addressPrefix(province);
    Set<String> usedPrefixes = new HashSet<>(count * 2);
    List<Person> people = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      County county = draw.pick(counties);
      boolean female = draw.chance(0.5);
      LocalDate birth = draw.date(EARLIEST_BIRTH, LATEST_BIRTH);
      String first17 = uniquePrefix(draw, county, birth, female, usedPrefixes);
      String id = first17 + CitizenIdNumber.checkCharacter(first17);
      LocalDate born = CitizenIdNumber.parse(id).birthDate(); // a clash may have moved it
      String status = status(draw, born);
      people.add(
          new Person(
              province,
              id,
              ChineseText.personName(draw, female),
              female,
              born,
              county,
              addressPrefix + county.localName() + ChineseText.streetAddress(draw),
              status));
    }
    return people;
  }

  /**
   * Region, birth date and a sequence code whose last digit is even for women and odd for men. A
   * (rare) clash with an earlier person moves the birth date by a day until the prefix is free.
   */
  private static String uniquePrefix(
      Draw draw, County county, LocalDate birth, boolean female, Set<String> used) {
    LocalDate date = birth;
    while (true) {
      for (int attempt = 0; attempt < 20; attempt++) {
        int sequence = draw.between(0, 99) * 10 + 2 * draw.between(0, 4) + (female ? 0 : 1);
        if (sequence == 0) {
          continue;
        }
        String prefix =
            county.code()
                + String.format("%04d%02d%02d", date.getYear(), date.getMonthValue(), date.getDayOfMonth())
                + String.format("%03d", sequence);
        if (used.add(prefix)) {
          return prefix;
        }
      }
      date = date.plusDays(1);
    }
  }

  /** Mostly ACTIVE; DECEASED more often among the old; a few EMIGRATED. */
  private static String status(Draw draw, LocalDate birth) {
    double deceased = birth.getYear() < 1955 ? 0.18 : birth.getYear() < 1970 ? 0.04 : 0.005;
    if (draw.chance(deceased)) {
      return "DECEASED";
    }
    return draw.chance(0.02) ? "EMIGRATED" : "ACTIVE";
  }
}
