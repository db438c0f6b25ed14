package sluice.catalog.snapshot;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import sluice.catalog.entry.CatalogueEntry;
import sluice.catalog.grant.Grant;

/**
 * The federation's catalogue and grants as the national hub publishes them: every current entry
 * and every grant, under a version that only ever grows. Gateways decide from the last snapshot
 * they verified.
 */
public record CatalogSnapshot(long version, Instant issuedAt, List<CatalogueEntry> entries, List<Grant> grants) {
  public CatalogSnapshot {
    entries = entries.stream().sorted(Comparator.comparing(CatalogueEntry::resourceCode)).toList();
    grants = grants.stream().sorted(Comparator.comparing(Grant::id)).toList();
  }
}
