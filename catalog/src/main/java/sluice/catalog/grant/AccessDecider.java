package sluice.catalog.grant;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import sluice.catalog.entry.CatalogueEntry;
import sluice.catalog.entry.Classification;
import sluice.catalog.entry.EntryStatus;
import sluice.catalog.entry.FieldEntry;
import sluice.catalog.entry.Mask;
import sluice.catalog.entry.SharingConditions;
import sluice.catalog.entry.SharingType;

/**
 * Decides whether a consumer may make a call on a resource: the resource is registered, served
 * and not retired; its sharing type allows the call; for a conditional resource, the purpose and
 * consumer kind are among its conditions and a grant in force covers the purpose and every field
 * the call touches, within its daily quota. A refusal says which rule failed and what to do.
 *
 * <p>Pure and thread-safe: every input is in the {@link AccessQuestion}.
 */
public final class AccessDecider {
  private final ZoneId zone;

  /** @param zone where "today" is, for sunset dates (Asia/Shanghai for the federation) */
  public AccessDecider(ZoneId zone) {
    this.zone = zone;
  }

  public Decision decide(AccessQuestion q) {
    CatalogueEntry r = q.resource();
    String code = r.resourceCode();
    LocalDate today = LocalDate.ofInstant(q.now(), zone);
    if (r.status() == EntryStatus.DEPRECATED && r.sunsetOn() != null && today.isAfter(r.sunsetOn())) {
      return Decision.deny(
          Decision.Outcome.UNAVAILABLE_RESOURCE, Decision.Code.RESOURCE_RETIRED,
          "resource " + code + " was retired after " + r.sunsetOn() + "; ask its steward for its successor");
    }
    if (r.level() == Classification.CORE) {
      return Decision.deny(Decision.Outcome.DENIED, Decision.Code.CORE_DATA, "resource " + code + " holds core data, which is never served");
    }
    if (r.sharingType() == SharingType.NOT_SHARED) {
      return Decision.deny(Decision.Outcome.DENIED, Decision.Code.NOT_SHARED, "resource " + code + " is not shared (不予共享)");
    }
    for (String f : q.fields()) {
      if (r.field(f).isEmpty()) {
        return Decision.deny(Decision.Outcome.INVALID, Decision.Code.UNKNOWN_FIELD, "resource " + code + " has no field \"" + f + "\"");
      }
    }
    if (r.sharingType() == SharingType.UNCONDITIONAL) {
      return obligation(Decision.permit(null, "resource " + code + " is shared unconditionally"), q);
    }
    SharingConditions c = r.sharingConditions();
    if (!c.allowedPurposes().contains(q.purpose())) {
      return Decision.deny(
          Decision.Outcome.DENIED, Decision.Code.PURPOSE_NOT_ALLOWED,
          "purpose " + q.purpose() + " is not allowed for resource " + code + " (allowed: "
              + String.join(", ", c.allowedPurposes()) + ")");
    }
    if (q.consumerKind() == null || !c.allowedConsumerKinds().contains(q.consumerKind())) {
      return Decision.deny(
          Decision.Outcome.DENIED, Decision.Code.CONSUMER_KIND_NOT_ALLOWED,
          "resource " + code + " is shared only with " + c.allowedConsumerKinds() + "; " + q.consumer()
              + " is " + (q.consumerKind() == null ? "of no registered kind" : q.consumerKind()));
    }
    return obligation(underGrant(q, code), q);
  }

  /**
   * For a permitted Query, the mask each field leaves under: the one the grant approved for it,
   * else the field's default mask; either is among the masks the entry's steward allowed for
   * the field's classification (an L4 field is never CLEAR).
   */
  private static Decision obligation(Decision d, AccessQuestion q) {
    if (!d.permitted() || q.operation() != Operation.QUERY) {
      return d;
    }
    Map<String, Mask> approved =
        q.grants().stream().filter(g -> g.id().equals(d.grantId())).findFirst().map(Grant::masks).orElse(Map.of());
    Map<String, MaskOrder> masks = new LinkedHashMap<>();
    for (String f : q.fields()) {
      FieldEntry field = q.resource().field(f).orElseThrow();
      Mask mask = approved.getOrDefault(f, field.defaultMask());
      if (!field.allowedMasks().contains(mask)) {
        // The entry changed since the grant: fall back to what the entry now says.
        mask = field.defaultMask();
      }
      if (mask == Mask.VERIFY_ONLY) {
        return Decision.deny(
            Decision.Outcome.DENIED, Decision.Code.FIELD_VERIFY_ONLY,
            "field " + f + " of resource " + q.resource().resourceCode() + " may only be asked about (Verify), never"
                + " read" + (d.grantId() == null ? "" : " under grant " + d.grantId()));
      }
      masks.put(f, new MaskOrder(mask, field.semanticType()));
    }
    return d.withMasks(masks);
  }

  /** The best grant for the call, or the reason the nearest one does not do. */
  private Decision underGrant(AccessQuestion q, String code) {
    List<Grant> mine = new ArrayList<>();
    for (Grant g : q.grants()) {
      if (g.consumer().equals(q.consumer()) && g.resourceCode().equals(code)) {
        mine.add(g);
      }
    }
    if (mine.isEmpty()) {
      return Decision.deny(
          Decision.Outcome.DENIED, Decision.Code.NO_GRANT,
          q.consumer() + " has no grant for resource " + code
              + ": request access (sluice access request) and wait for the provider's approval");
    }
    mine.sort(Comparator.comparing(Grant::expiresAt).reversed());
    Decision nearest = null;
    for (Grant g : mine) {
      Decision problem = problemWith(g, q);
      if (problem == null) {
        long used = q.usedToday().getOrDefault(g.id(), 0L);
        if (g.dailyQuota() > 0 && used >= g.dailyQuota()) {
          return Decision.overQuota(g.id(), g.dailyQuota(), q.now(), zone);
        }
        return Decision.permit(g.id(), "under grant " + g.id());
      }
      if (nearest == null) {
        nearest = problem;
      }
    }
    return nearest;
  }

  /** Why grant {@code g} does not allow the call (a refusal naming it), or null when it does. */
  private static Decision problemWith(Grant g, AccessQuestion q) {
    if (g.revokedAt() != null) {
      return refusal(g, Decision.Code.GRANT_REVOKED, "grant " + g.id() + " was revoked at " + g.revokedAt()
          + (g.revocationReason() == null ? "" : ": " + g.revocationReason()));
    }
    if (!q.now().isBefore(g.expiresAt())) {
      return refusal(g, Decision.Code.GRANT_EXPIRED, "grant " + g.id() + " expired at " + g.expiresAt()
          + "; request access again");
    }
    if (q.now().isBefore(g.issuedAt())) {
      return refusal(g, Decision.Code.GRANT_NOT_YET_VALID, "grant " + g.id() + " is not in force until " + g.issuedAt());
    }
    if (!g.allows(q.operation())) {
      return refusal(g, Decision.Code.GRANT_VERIFY_ONLY, "grant " + g.id()
          + " allows asking (Verify) only, not reading fields; request access with Query");
    }
    if (!g.purposes().contains(q.purpose())) {
      return refusal(g, Decision.Code.PURPOSE_NOT_GRANTED, "grant " + g.id() + " does not cover purpose " + q.purpose()
          + " (it covers " + String.join(", ", g.purposes().stream().sorted().toList()) + ")");
    }
    List<String> uncovered = g.uncovered(q.fields());
    if (!uncovered.isEmpty()) {
      return refusal(g, Decision.Code.FIELD_NOT_GRANTED, "grant " + g.id() + " does not cover field"
          + (uncovered.size() == 1 ? " " : "s ") + String.join(", ", uncovered));
    }
    return null;
  }

  private static Decision refusal(Grant g, Decision.Code code, String reason) {
    return new Decision(Decision.Outcome.DENIED, reason, g.id(), Map.of(), code);
  }
}
