package sluice.tests.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import sluice.catalog.entry.CatalogueEntries;
import sluice.catalog.entry.CatalogueEntry;
import sluice.catalog.entry.InvalidEntryException;

/**
 * Catalogue-entry parsing and validation take any text a steward submits: each input is either
 * an entry or an {@link InvalidEntryException} naming the problem (what the steward service turns
 * into INVALID_ARGUMENT); any other exception, or a hang, is a finding.
 */
class CatalogueEntryFuzzTest {
  @FuzzTest(maxDuration = "10s")
  void yamlIsAnEntryOrAnInvalidEntryException(byte[] input) {
    String yaml = new String(input, StandardCharsets.UTF_8);
    try {
      CatalogueEntry entry = CatalogueEntries.parse(yaml, "fuzz");
      // What was accepted must be whole: its descriptor builds and names its subject key.
      if (entry.descriptor().fields().isEmpty() || entry.resourceCode().isEmpty()) {
        throw new AssertionError("an accepted entry without fields or code: " + yaml);
      }
    } catch (InvalidEntryException expected) {
      if (expected.getMessage() == null || expected.getMessage().isBlank()) {
        throw new AssertionError("a refusal without a message for: " + yaml);
      }
    }
  }
}
