package sluice.catalog.snapshot;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import sluice.catalog.entry.CatalogueEntry;
import sluice.catalog.grant.Grant;

/**
 * What changed from one catalogue snapshot to the next: entries registered or given a new
 * version (an update or a deprecation), and grants issued or revoked.
 */
public record SnapshotDiff(List<CatalogueEntry> entries, List<Grant> grants) {

  /** The changes that take {@code before} (null for none) to {@code after}. */
  public static SnapshotDiff between(CatalogSnapshot before, CatalogSnapshot after) {
    Map<String, Integer> versions = new HashMap<>();
    Map<String, Grant> grants = new HashMap<>();
    if (before != null) {
      before.entries().forEach(e -> versions.put(e.resourceCode(), e.version()));
      before.grants().forEach(g -> grants.put(g.id(), g));
    }
    List<CatalogueEntry> changedEntries =
        after.entries().stream()
            .filter(e -> !Objects.equals(versions.get(e.resourceCode()), e.version()))
            .toList();
    List<Grant> changedGrants =
        after.grants().stream()
            .filter(g -> !grants.containsKey(g.id())
                || !Objects.equals(grants.get(g.id()).revokedAt(), g.revokedAt()))
            .toList();
    return new SnapshotDiff(changedEntries, changedGrants);
  }

  public boolean isEmpty() {
    return entries.isEmpty() && grants.isEmpty();
  }
}
