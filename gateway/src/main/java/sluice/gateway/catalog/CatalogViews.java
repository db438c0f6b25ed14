package sluice.gateway.catalog;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import sluice.catalog.entry.CatalogueEntry;
import sluice.catalog.entry.EntryWriter;
import sluice.catalog.entry.FieldEntry;
import sluice.catalog.entry.Mask;
import sluice.catalog.grant.AccessRequest;
import sluice.catalog.grant.Grant;
import sluice.v1.AccessRequestView;
import sluice.v1.CatalogueEntryView;
import sluice.v1.GrantView;
import sluice.v1.SharingType;

/** Catalogue entries, access requests and grants as CatalogService sends them. */
final class CatalogViews {
  private CatalogViews() {}

  static CatalogueEntryView of(CatalogueEntry e) {
    CatalogueEntryView.Builder b =
        CatalogueEntryView.newBuilder()
            .setResourceCode(e.resourceCode())
            .setVersion(e.version())
            .setName(e.name())
            .setProviderNodeId(e.provider().node().toString())
            .setProviderName(e.provider().name())
            .setSharingType(SharingType.valueOf(e.sharingType().name()))
            .setStatus(e.status().name())
            .setLevel(e.level().name())
            .setSunsetOn(e.sunsetOn() == null ? "" : e.sunsetOn().toString())
            .setSubjectKeyField(e.subjectKey())
            .setDocumentJson(EntryWriter.toJson(e));
    e.fields().stream().map(FieldEntry::name).forEach(b::addFieldNames);
    return b.build();
  }

  static AccessRequestView of(AccessRequest r) {
    return AccessRequestView.newBuilder()
        .setRequestId(r.id())
        .setConsumerNodeId(r.consumer().toString())
        .setResourceCode(r.resourceCode())
        .addAllFields(r.fields())
        .addAllPurposes(r.purposes())
        .setLegalBasis(r.legalBasis())
        .setDurationDays(r.durationDays())
        .setExpectedDailyVolume(r.expectedDailyVolume())
        .setRequestedAt(r.requestedAt().toString())
        .setStatus(r.status().name())
        .setDecidedAt(text(r.decidedAt()))
        .setDecidedBy(Objects.toString(r.decidedBy(), ""))
        .setDecisionReason(Objects.toString(r.decisionReason(), ""))
        .setGrantId(Objects.toString(r.grantId(), ""))
        .setQuery(r.query())
        .putAllMasks(names(r.masks()))
        .build();
  }

  static GrantView of(Grant g) {
    return GrantView.newBuilder()
        .setGrantId(g.id())
        .setConsumerNodeId(g.consumer().toString())
        .setResourceCode(g.resourceCode())
        .addAllFields(g.fields().stream().sorted().toList())
        .addAllPurposes(g.purposes().stream().sorted().toList())
        .setIssuedAt(g.issuedAt().toString())
        .setExpiresAt(g.expiresAt().toString())
        .setDailyQuota(g.dailyQuota())
        .setRevokedAt(text(g.revokedAt()))
        .setRevocationReason(Objects.toString(g.revocationReason(), ""))
        .setQuery(g.query())
        .putAllMasks(names(g.masks()))
        .setSameProvinceField(Objects.toString(g.sameProvinceField(), ""))
        .build();
  }

  private static Map<String, String> names(Map<String, Mask> masks) {
    Map<String, String> out = new TreeMap<>();
    masks.forEach((f, m) -> out.put(f, m.name()));
    return out;
  }

  private static String text(Instant t) {
    return t == null ? "" : t.toString();
  }
}
