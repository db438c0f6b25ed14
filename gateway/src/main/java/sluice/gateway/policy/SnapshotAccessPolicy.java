package sluice.gateway.policy;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import sluice.catalog.entry.CatalogueEntry;
import sluice.catalog.entry.ConsumerKind;
import sluice.catalog.grant.AccessDecider;
import sluice.catalog.grant.AccessQuestion;
import sluice.catalog.grant.Decision;
import sluice.catalog.grant.Grant;
import sluice.catalog.grant.Operation;
import sluice.catalog.snapshot.CatalogSnapshot;
import sluice.catalog.snapshot.SnapshotVerifier;
import sluice.crypto.NodeId;

/**
 * Decides from the last catalogue snapshot the gateway verified, so decisions stay local and
 * keep working while the hub is unreachable. Daily quotas are counted here, per grant and per
 * calendar day in the federation's time zone, in a {@link QuotaLedger}. Every federation department is a government
 * department (the node registry will carry other kinds).
 */
public final class SnapshotAccessPolicy implements AccessPolicy {
  private final SnapshotVerifier snapshots;
  private final AccessDecider decider;
  private final Clock clock;
  private final ZoneId zone;
  private final QuotaLedger quotas;
  private volatile SnapshotIndex index;

  /** A policy counting quotas in memory (a gateway run as one instance). */
  public SnapshotAccessPolicy(SnapshotVerifier snapshots, Clock clock, ZoneId zone) {
    this(snapshots, clock, zone, new LocalQuotaLedger());
  }

  /** A policy counting quotas in {@code quotas}. */
  public SnapshotAccessPolicy(SnapshotVerifier snapshots, Clock clock, ZoneId zone, QuotaLedger quotas) {
    this.snapshots = snapshots;
    this.decider = new AccessDecider(zone);
    this.clock = clock;
    this.zone = zone;
    this.quotas = quotas;
  }

  /** The index of {@code s}, rebuilt only when a newer snapshot was applied. */
  private SnapshotIndex indexOf(CatalogSnapshot s) {
    SnapshotIndex current = index;
    if (current == null || current.version() != s.version()) {
      current = new SnapshotIndex(s);
      index = current;
    }
    return current;
  }

  @Override
  public CatalogVersion version(String resourceCode) {
    Optional<CatalogSnapshot> snapshot = snapshots.applied();
    if (snapshot.isEmpty()) {
      return CatalogVersion.NONE;
    }
    SnapshotIndex i = indexOf(snapshot.get());
    return new CatalogVersion(i.version(), i.entry(resourceCode).map(e -> (long) e.version()).orElse(0L));
  }

  @Override
  public Decision decide(
      NodeId consumer, String resourceCode, String purpose, List<String> fields, Operation operation) {
    return decide(consumer, resourceCode, purpose, fields, operation, 1);
  }

  @Override
  public Decision decide(
      NodeId consumer, String resourceCode, String purpose, List<String> fields, Operation operation, long subjects) {
    if (subjects < 1) {
      throw new IllegalArgumentException("a call concerns at least one subject, not " + subjects);
    }
    Optional<CatalogSnapshot> snapshot = snapshots.applied();
    if (snapshot.isEmpty()) {
      return Decision.deny(
          Decision.Outcome.NOT_READY, Decision.Code.NO_CATALOGUE_SNAPSHOT,
          "this gateway has no verified catalogue snapshot yet, so it cannot decide; try again shortly");
    }
    SnapshotIndex idx = indexOf(snapshot.get());
    Optional<CatalogueEntry> entry = idx.entry(resourceCode);
    if (entry.isEmpty()) {
      return Decision.deny(
          Decision.Outcome.DENIED, Decision.Code.RESOURCE_NOT_REGISTERED,
          "resource " + resourceCode + " is not in catalogue snapshot " + idx.version());
    }
    Instant now = clock.instant();
    String day = LocalDate.ofInstant(now, zone).toString();
    List<Grant> grants = idx.grants(consumer, resourceCode);
    Map<String, Long> used = new HashMap<>();
    for (Grant g : grants) {
      used.put(g.id(), quotas.used(g.id(), day));
    }
    Decision d =
        decider.decide(
            new AccessQuestion(
                consumer, ConsumerKind.GOVERNMENT_DEPARTMENT, entry.get(), purpose, fields, grants, used, now,
                operation));
    if (d.permitted() && d.grantId() != null) {
      // Charge atomically: of two calls racing for the last units, one is refused.
      Grant g = grants.stream().filter(x -> x.id().equals(d.grantId())).findFirst().orElseThrow();
      boolean charged;
      try {
        charged = quotas.charge(g.id(), day, subjects, g.dailyQuota());
      } catch (QuotaLedger.UnavailableException e) {
        return Decision.deny(Decision.Outcome.NOT_READY, Decision.Code.QUOTA_LEDGER_UNAVAILABLE, e.getMessage());
      }
      if (!charged) {
        if (subjects > 1) {
          return new Decision(Decision.Outcome.OVER_QUOTA,
              "grant " + g.id() + " allows " + g.dailyQuota() + " subjects a day; this call concerns " + subjects
                  + ", more than are left today: split it, wait for tomorrow, or ask the provider for a larger quota",
              g.id(), Map.of(), Decision.Code.QUOTA_EXCEEDED);
        }
        return Decision.overQuota(g.id(), g.dailyQuota(), now, zone);
      }
    }
    return d;
  }

  @Override
  public List<String> sameProvinceFields(NodeId consumer, String resourceCode) {
    Optional<CatalogSnapshot> snapshot = snapshots.applied();
    if (snapshot.isEmpty()) {
      return List.of();
    }
    SnapshotIndex idx = indexOf(snapshot.get());
    Optional<CatalogueEntry> entry = idx.entry(resourceCode);
    if (entry.isEmpty() || entry.get().sharingType() == sluice.catalog.entry.SharingType.UNCONDITIONAL) {
      return List.of();
    }
    Instant now = clock.instant();
    List<Grant> inForce = idx.grants(consumer, resourceCode).stream().filter(g -> g.activeAt(now)).toList();
    if (inForce.stream().anyMatch(g -> g.sameProvinceField() == null)) {
      return List.of(); // one grant reaches every record
    }
    return inForce.stream().map(Grant::sameProvinceField).distinct().toList();
  }
}
