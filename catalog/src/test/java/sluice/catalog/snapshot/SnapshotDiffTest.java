package sluice.catalog.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import sluice.catalog.entry.CatalogueEntries;
import sluice.catalog.entry.CatalogueEntry;
import sluice.catalog.grant.Grant;
import sluice.crypto.NodeId;

class SnapshotDiffTest {
  static final Instant NOW = Instant.parse("2026-11-29T03:00:00Z");

  static CatalogueEntry entry() throws Exception {
    try (InputStream in = SnapshotDiffTest.class.getResourceAsStream("/entries/gd-social-insurance.yaml")) {
      return CatalogueEntries.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "gd");
    }
  }

  static Grant grant(String id, CatalogueEntry e) {
    return new Grant(id, NodeId.parse("prov-11/dept-ca"), e.resourceCode(), Set.of("enrolled"),
        Set.of("SOCIAL_ASSISTANCE_ELIGIBILITY"), NOW, NOW.plus(Duration.ofDays(30)), 500, null, null);
  }

  @Test
  void listsNewVersionsAndGrantsIssuedOrRevokedOnly() throws Exception {
    CatalogueEntry v1 = entry().withVersion(1);
    Grant kept = grant("G-1", v1);
    Grant revoked = grant("G-2", v1);
    CatalogSnapshot before = new CatalogSnapshot(1, NOW, List.of(v1), List.of(kept, revoked));

    assertTrue(SnapshotDiff.between(before, before).isEmpty(), "nothing changed");
    SnapshotDiff first = SnapshotDiff.between(null, before);
    assertEquals(List.of(v1), first.entries(), "from nothing, everything is new");
    assertEquals(List.of(kept, revoked), first.grants());

    CatalogueEntry v2 = v1.deprecated(LocalDate.parse("2027-01-01")).withVersion(2);
    Grant issued = grant("G-3", v1);
    Grant nowRevoked = revoked.revoked(NOW.plusSeconds(5), "case closed");
    CatalogSnapshot after = new CatalogSnapshot(2, NOW, List.of(v2), List.of(kept, nowRevoked, issued));
    SnapshotDiff d = SnapshotDiff.between(before, after);
    assertEquals(List.of(v2), d.entries());
    assertEquals(List.of(nowRevoked, issued), d.grants());
  }
}
