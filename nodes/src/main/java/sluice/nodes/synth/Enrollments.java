package sluice.nodes.synth;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import sluice.crypto.Province;

/**
 * Decides where each person is insured. Social insurance is held where a person works: a
 * working-age person (born 1966 or later) moves to another generated province with probability
 * {@value #MIGRATION} and is insured there; others are insured at home with probability
 * {@value #HOME_ENROLMENT}. With provinces of equal size, about 70% of people are insured somewhere
 * and about 20% of each province's enrollees come from other provinces.
 */
final class Enrollments {

  static final double MIGRATION = 0.22;
  static final double HOME_ENROLMENT = 0.65;
  private static final LocalDate WORKING_AGE_BORN_FROM = LocalDate.of(1966, 1, 1);

  private Enrollments() {}

  /**
   * The enrollees of every province in {@code people}'s key order; within a province, in order
   * of the home province, then of the population registry.
   */
  static Map<Province, List<Enrollee>> assign(long seed, Map<Province, List<Person>> people) {
    Map<Province, List<Enrollee>> byWorkplace = new LinkedHashMap<>();
    for (Province p : people.keySet()) {
      byWorkplace.put(p, new ArrayList<>());
    }
    List<Province> provinces = List.copyOf(people.keySet());
    for (Map.Entry<Province, List<Person>> home : people.entrySet()) {
      Draw draw = Draw.stream(seed, home.getKey(), "enrolment");
      List<Province> elsewhere = provinces.stream().filter(p -> p != home.getKey()).toList();
      for (Person person : home.getValue()) {
        boolean workingAge = !person.birthDate().isBefore(WORKING_AGE_BORN_FROM);
        if (workingAge && !elsewhere.isEmpty() && draw.chance(MIGRATION)) {
          byWorkplace.get(draw.pick(elsewhere)).add(new Enrollee(person, true));
        } else if (draw.chance(HOME_ENROLMENT)) {
          byWorkplace.get(home.getKey()).add(new Enrollee(person, false));
        }
      }
    }
    return byWorkplace;
  }
}
