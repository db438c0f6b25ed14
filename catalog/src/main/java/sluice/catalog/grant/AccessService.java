package sluice.catalog.grant;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import sluice.catalog.entry.CatalogueEntry;
import sluice.catalog.entry.EntryStatus;
import sluice.catalog.entry.FieldEntry;
import sluice.catalog.entry.Mask;
import sluice.catalog.entry.SharingType;
import sluice.catalog.store.CatalogStore;
import sluice.crypto.NodeId;

/**
 * The access workflow: a consumer department requests access to a conditional resource, the
 * provider's steward approves (creating a grant) or rejects it with a reason, and may revoke a
 * grant later. A request on an entry whose sharing conditions say it needs no approval is
 * approved as it is filed, once its purposes, fields and volume pass the checks. Every step is checked against the current catalogue entry. Thread-safe.
 */
public final class AccessService {
  /** Longest grant a steward may approve. */
  public static final int MAX_DURATION_DAYS = 3 * 366;

  /** Who decided a request on an entry that needs no approval. */
  public static final String AUTOMATIC = "automatic";

  private static final Pattern PURPOSE = Pattern.compile("[A-Z][A-Z0-9_]{1,63}");

  private final CatalogStore catalog;
  private final GrantStore grants;
  private final Clock clock;
  private final SecureRandom random;

  public AccessService(CatalogStore catalog, GrantStore grants, Clock clock, SecureRandom random) {
    this.catalog = catalog;
    this.grants = grants;
    this.clock = clock;
    this.random = random;
  }

  /**
   * Files a request.
   *
   * @throws AccessException listing every reason the request cannot be filed
   */
  public AccessRequest request(
      NodeId consumer,
      String resourceCode,
      List<String> fields,
      List<String> purposes,
      String legalBasis,
      int durationDays,
      long expectedDailyVolume)
      throws AccessException {
    return request(
        consumer, resourceCode, fields, purposes, legalBasis, durationDays, expectedDailyVolume, false, Map.of());
  }

  /**
   * Files a request; with {@code query}, to read the masked fields of records (Query) as well
   * as to ask about them, and with {@code masks}, under other masks than the fields' defaults
   * (each must be one its field allows).
   *
   * @throws AccessException listing every reason the request cannot be filed
   */
  public AccessRequest request(
      NodeId consumer,
      String resourceCode,
      List<String> fields,
      List<String> purposes,
      String legalBasis,
      int durationDays,
      long expectedDailyVolume,
      boolean query,
      Map<String, Mask> masks)
      throws AccessException {
    CatalogueEntry r = catalog.get(resourceCode)
        .orElseThrow(() -> new AccessException(AccessException.Kind.NOT_FOUND, "resource " + resourceCode + " is not in the catalogue"));
    List<String> problems = new ArrayList<>();
    if (!consumer.isDepartment()) {
      problems.add("the consumer must be a department node, not " + consumer);
    }
    if (r.status() == EntryStatus.DEPRECATED) {
      problems.add("resource " + resourceCode + " is deprecated and takes no new grants");
    }
    if (r.sharingType() == SharingType.UNCONDITIONAL) {
      problems.add("resource " + resourceCode + " is shared unconditionally and needs no request");
    } else if (r.sharingType() == SharingType.NOT_SHARED || !r.isServable()) {
      problems.add("resource " + resourceCode + " is not shared");
    }
    if (fields.isEmpty()) {
      problems.add("name at least one field");
    }
    for (String f : fields) {
      if (r.field(f).isEmpty()) {
        problems.add("resource " + resourceCode + " has no field \"" + f + "\"");
      }
    }
    if (purposes.isEmpty()) {
      problems.add("name at least one purpose");
    }
    for (String p : purposes) {
      if (!PURPOSE.matcher(p).matches()) {
        problems.add("\"" + p + "\" is not a purpose code");
      } else if (!r.sharingConditions().allowedPurposes().contains(p)) {
        problems.add("purpose " + p + " is not allowed for resource " + resourceCode + " (allowed: "
            + String.join(", ", r.sharingConditions().allowedPurposes()) + ")");
      }
    }
    for (Map.Entry<String, Mask> m : masks.entrySet()) {
      Optional<FieldEntry> field = r.field(m.getKey());
      if (!fields.contains(m.getKey())) {
        problems.add("a mask is asked for field " + m.getKey() + ", which the request does not name");
      } else if (!query) {
        problems.add("masks apply to reading fields: ask for Query too");
      } else if (field.isPresent() && !field.get().allowedMasks().contains(m.getValue())) {
        problems.add("field " + m.getKey() + " may leave only as " + field.get().allowedMasks() + ", not "
            + m.getValue());
      }
    }
    if (legalBasis == null || legalBasis.isBlank()) {
      problems.add("cite the legal basis for the request");
    }
    if (durationDays < 1 || durationDays > MAX_DURATION_DAYS) {
      problems.add("duration must be 1 to " + MAX_DURATION_DAYS + " days, got " + durationDays);
    }
    long cap = r.sharingConditions().rowCap();
    if (expectedDailyVolume < 1 || (cap > 0 && expectedDailyVolume > cap)) {
      problems.add("expected daily volume must be 1" + (cap > 0 ? " to " + cap : " or more") + ", got " + expectedDailyVolume);
    }
    if (!problems.isEmpty()) {
      throw new AccessException(AccessException.Kind.INVALID, "access request refused: " + String.join("; ", problems));
    }
    AccessRequest req = new AccessRequest(
        newId("AR-"), consumer, resourceCode, List.copyOf(fields), List.copyOf(purposes), legalBasis.strip(),
        durationDays, expectedDailyVolume, clock.instant(), AccessRequest.Status.PENDING, null, null, null, null, query, masks);
    grants.insert(req);
    if (!r.sharingConditions().needsApproval()) {
      // The entry's conditions are checked above and need no steward: the grant issues at once.
      approve(req.id(), AUTOMATIC, "the entry's sharing conditions are met and need no approval");
      return grants.request(req.id()).orElseThrow();
    }
    return req;
  }

  /** Approves a pending request and issues its grant. */
  public Grant approve(String requestId, String steward, String reason) throws AccessException {
    return approve(requestId, steward, reason, null);
  }

  /**
   * Approves a pending request and issues its grant; with {@code sameProvinceField}, the grant
   * reaches only records whose value in that field belongs to the consumer's province.
   */
  public Grant approve(String requestId, String steward, String reason, String sameProvinceField)
      throws AccessException {
    AccessRequest req = pending(requestId);
    CatalogueEntry r = catalog.get(req.resourceCode()).orElseThrow();
    if (sameProvinceField != null) {
      Optional<FieldEntry> f = r.field(sameProvinceField);
      if (f.isEmpty() || !RowScopes.placeable(f.get().semanticType())) {
        throw new AccessException(AccessException.Kind.INVALID,
            "same-province field " + sameProvinceField + " must be a region code, citizen ID or credit code field of "
                + req.resourceCode());
      }
    }
    if (r.status() == EntryStatus.DEPRECATED) {
      throw new AccessException(AccessException.Kind.STATE, "resource " + req.resourceCode() + " was deprecated since the request; reject it");
    }
    Instant now = clock.instant();
    Grant g = new Grant(
        newId("G-"), req.consumer(), req.resourceCode(), new java.util.LinkedHashSet<>(req.fields()),
        new java.util.LinkedHashSet<>(req.purposes()), now, now.plus(Duration.ofDays(req.durationDays())),
        req.expectedDailyVolume(), null, null, req.query(), req.masks(), sameProvinceField);
    if (!grants.decide(req.decided(AccessRequest.Status.APPROVED, now, steward, reason, g.id()))) {
      throw new AccessException(AccessException.Kind.RACE, "request " + requestId + " was decided by someone else meanwhile");
    }
    grants.insert(g);
    return g;
  }

  /** Rejects a pending request; the reason is shown to the consumer. */
  public AccessRequest reject(String requestId, String steward, String reason) throws AccessException {
    if (reason == null || reason.isBlank()) {
      throw new AccessException(AccessException.Kind.INVALID, "say why the request is rejected");
    }
    AccessRequest req = pending(requestId);
    AccessRequest decided = req.decided(AccessRequest.Status.REJECTED, clock.instant(), steward, reason, null);
    if (!grants.decide(decided)) {
      throw new AccessException(AccessException.Kind.RACE, "request " + requestId + " was decided by someone else meanwhile");
    }
    return decided;
  }

  /** Revokes a grant at once. */
  public Grant revoke(String grantId, String reason) throws AccessException {
    if (reason == null || reason.isBlank()) {
      throw new AccessException(AccessException.Kind.INVALID, "say why the grant is revoked");
    }
    Grant g = grants.grant(grantId).orElseThrow(() -> new AccessException(AccessException.Kind.NOT_FOUND, "no grant " + grantId));
    Instant now = clock.instant();
    if (!grants.revoke(grantId, now, reason)) {
      throw new AccessException(AccessException.Kind.STATE, "grant " + grantId + " was already revoked at " + g.revokedAt());
    }
    return g.revoked(now, reason);
  }

  private AccessRequest pending(String requestId) throws AccessException {
    AccessRequest req = grants.request(requestId).orElseThrow(() -> new AccessException(AccessException.Kind.NOT_FOUND, "no access request " + requestId));
    if (req.status() != AccessRequest.Status.PENDING) {
      throw new AccessException(AccessException.Kind.STATE, "request " + requestId + " was already " + req.status().name().toLowerCase()
          + " by " + req.decidedBy() + " at " + req.decidedAt());
    }
    return req;
  }

  private String newId(String prefix) {
    byte[] b = new byte[8];
    random.nextBytes(b);
    return prefix + HexFormat.of().formatHex(b);
  }
}
