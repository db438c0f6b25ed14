package sluice.gateway.policy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import sluice.catalog.entry.CatalogueEntry;
import sluice.catalog.grant.Grant;
import sluice.catalog.snapshot.CatalogSnapshot;
import sluice.crypto.NodeId;

/**
 * One applied snapshot arranged for decisions: entries by code and grants by consumer and
 * resource, so a decision costs two hash lookups however large the federation's catalogue is.
 * Built once per snapshot version; immutable.
 */
final class SnapshotIndex {
  private final long version;
  private final Map<String, CatalogueEntry> entries = new HashMap<>();
  private final Map<String, List<Grant>> grants = new HashMap<>();

  SnapshotIndex(CatalogSnapshot snapshot) {
    this.version = snapshot.version();
    for (CatalogueEntry e : snapshot.entries()) {
      entries.put(e.resourceCode(), e);
    }
    Map<String, java.util.ArrayList<Grant>> byKey = new HashMap<>();
    for (Grant g : snapshot.grants()) {
      byKey.computeIfAbsent(key(g.consumer(), g.resourceCode()), k -> new java.util.ArrayList<>()).add(g);
    }
    byKey.forEach((k, v) -> grants.put(k, List.copyOf(v)));
  }

  long version() {
    return version;
  }

  Optional<CatalogueEntry> entry(String resourceCode) {
    return Optional.ofNullable(entries.get(resourceCode));
  }

  List<Grant> grants(NodeId consumer, String resourceCode) {
    return grants.getOrDefault(key(consumer, resourceCode), List.of());
  }

  private static String key(NodeId consumer, String resourceCode) {
    return consumer + "|" + resourceCode;
  }
}
