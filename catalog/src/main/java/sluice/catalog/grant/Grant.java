package sluice.catalog.grant;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import sluice.catalog.entry.Mask;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import sluice.crypto.NodeId;

/**
 * Permission for one consumer department to use one conditional resource: which fields, for
 * which purposes, until when, how much per day. Created when the provider's steward approves an
 * access request; ended by expiry or revocation.
 *
 * @param dailyQuota most subjects asked about per day; 0 for no quota
 * @param revokedAt null unless revoked
 * @param query whether the consumer may also read the masked fields (Query), not only ask
 * @param masks for a Query, the mask a field leaves under where the steward approved one other
 *     than the field's default (each among the field's allowed masks)
 * @param sameProvinceField when set, the grant reaches only records whose value in this field (a
 *     region code, citizen ID or credit code) belongs to the consumer's province; others answer
 *     as NO_RECORD
 */
public record Grant(
    String id,
    NodeId consumer,
    String resourceCode,
    Set<String> fields,
    Set<String> purposes,
    Instant issuedAt,
    Instant expiresAt,
    long dailyQuota,
    Instant revokedAt,
    String revocationReason,
    boolean query,
    Map<String, Mask> masks,
    String sameProvinceField) {

  /** A grant for Verify only. */
  public Grant(
      String id,
      NodeId consumer,
      String resourceCode,
      Set<String> fields,
      Set<String> purposes,
      Instant issuedAt,
      Instant expiresAt,
      long dailyQuota,
      Instant revokedAt,
      String revocationReason) {
    this(id, consumer, resourceCode, fields, purposes, issuedAt, expiresAt, dailyQuota, revokedAt, revocationReason, false,
        Map.of(), null);
  }

  public Grant {
    fields = Set.copyOf(fields);
    purposes = Set.copyOf(purposes);
    masks = Collections.unmodifiableMap(new TreeMap<>(masks));
  }

  /** Whether the grant is in force at {@code now}. */
  public boolean activeAt(Instant now) {
    return revokedAt == null && !now.isBefore(issuedAt) && now.isBefore(expiresAt);
  }

  /** The fields of {@code wanted} this grant does not cover, in the order given. */
  public List<String> uncovered(List<String> wanted) {
    return wanted.stream().filter(f -> !fields.contains(f)).toList();
  }

  /** Whether the grant allows {@code operation}. */
  public boolean allows(Operation operation) {
    return operation == Operation.VERIFY || query;
  }

  /** This grant revoked at {@code when} for {@code reason}. */
  public Grant revoked(Instant when, String reason) {
    return new Grant(id, consumer, resourceCode, fields, purposes, issuedAt, expiresAt, dailyQuota, when, reason, query, masks,
        sameProvinceField);
  }
}
