package sluice.nodes.synth;

import java.util.List;

/** Rows of {@code 3-CC-001-001-000001}, one per resident. */
final class PopulationRows {

  private PopulationRows() {}

  static List<List<String>> of(List<Person> residents) {
    return residents.stream()
        .map(
            p ->
                List.of(
                    p.idNumber(),
                    p.name(),
                    p.female() ? "F" : "M",
                    p.birthDate().toString(),
                    p.county().code(),
                    p.address(),
                    p.status()))
        .toList();
  }
}
