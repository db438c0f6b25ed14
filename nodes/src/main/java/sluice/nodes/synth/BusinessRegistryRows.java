package sluice.nodes.synth;

import java.util.List;

/** Rows of {@code 3-CC-003-001-000001}, one per company. */
final class BusinessRegistryRows {

  private BusinessRegistryRows() {}

  static List<List<String>> of(List<Company> companies) {
    return companies.stream()
        .map(
            c ->
                List.of(
                    c.uscc(),
                    c.name(),
                    c.legalRepId(),
                    Draw.money(c.registeredCapital()),
                    c.established().toString(),
                    c.status(),
                    c.county().code()))
        .toList();
  }
}
