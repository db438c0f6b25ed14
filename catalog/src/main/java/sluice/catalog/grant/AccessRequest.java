package sluice.catalog.grant;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import sluice.catalog.entry.Mask;
import sluice.crypto.NodeId;

/**
 * A consumer department's request to use a conditional resource, and the steward's decision.
 *
 * @param durationDays how long the grant should last once approved
 * @param expectedDailyVolume subjects per day the consumer expects to ask about
 * @param decidedAt null while pending
 * @param grantId the grant an approval created; null otherwise
 * @param query whether the consumer asks to read masked fields (Query) too
 * @param masks masks the consumer asks for in place of fields' defaults (each allowed for its field)
 */
public record AccessRequest(
    String id,
    NodeId consumer,
    String resourceCode,
    List<String> fields,
    List<String> purposes,
    String legalBasis,
    int durationDays,
    long expectedDailyVolume,
    Instant requestedAt,
    Status status,
    Instant decidedAt,
    String decidedBy,
    String decisionReason,
    String grantId,
    boolean query,
    Map<String, Mask> masks) {

  /** Where a request stands. */
  public enum Status {
    PENDING,
    APPROVED,
    REJECTED
  }

  public AccessRequest {
    fields = List.copyOf(fields);
    purposes = List.copyOf(purposes);
    masks = Collections.unmodifiableMap(new TreeMap<>(masks));
  }

  AccessRequest decided(Status to, Instant at, String by, String reason, String grant) {
    return new AccessRequest(
        id, consumer, resourceCode, fields, purposes, legalBasis, durationDays, expectedDailyVolume,
        requestedAt, to, at, by, reason, grant, query, masks);
  }
}
