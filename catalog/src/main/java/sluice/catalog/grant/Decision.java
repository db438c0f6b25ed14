package sluice.catalog.grant;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outcome of one policy decision, with a reason a person can act on.
 *
 * @param grantId the grant the call is made under; null when none was needed or none fits
 * @param masks for a permitted Query, the mask each field must leave under, in the order asked;
 *     empty otherwise
 * @param code the stable reason code, for programs (the reason is for people)
 */
public record Decision(Outcome outcome, String reason, String grantId, Map<String, MaskOrder> masks, Code code) {

  public Decision(Outcome outcome, String reason, String grantId) {
    this(outcome, reason, grantId, Map.of(), outcome == Outcome.PERMIT ? Code.PERMITTED : Code.REFUSED);
  }

  public Decision {
    masks = masks.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(masks));
  }

  /** This permit with the masking obligation of a Query. */
  public Decision withMasks(Map<String, MaskOrder> obligation) {
    return new Decision(outcome, reason, grantId, obligation, code);
  }

  /**
   * Why, as a stable code that refusals carry in their google.rpc.ErrorInfo (reason) and metrics
   * count by: programs branch on these, never on the message. Codes are only ever added.
   */
  public enum Code {
    PERMITTED,
    /** A refusal without a more specific code. */
    REFUSED,
    /** The gateway holds no verified catalogue snapshot yet (UNAVAILABLE; retry). */
    NO_CATALOGUE_SNAPSHOT,
    /** The resource is not in the catalogue the gateway enforces. */
    RESOURCE_NOT_REGISTERED,
    /** Deprecated and past its sunset date (FAILED_PRECONDITION). */
    RESOURCE_RETIRED,
    /** Holds core data, never served. */
    CORE_DATA,
    /** Not shared (不予共享). */
    NOT_SHARED,
    /** The question names a field the resource does not have (INVALID_ARGUMENT). */
    UNKNOWN_FIELD,
    /** The catalogue entry does not allow the declared purpose. */
    PURPOSE_NOT_ALLOWED,
    /** The entry is shared only with other kinds of consumer. */
    CONSUMER_KIND_NOT_ALLOWED,
    /** A field that may only be asked about (Verify), never read. */
    FIELD_VERIFY_ONLY,
    /** The consumer holds no grant for the resource. */
    NO_GRANT,
    GRANT_REVOKED,
    GRANT_EXPIRED,
    GRANT_NOT_YET_VALID,
    /** The grant allows Verify only, not Query. */
    GRANT_VERIFY_ONLY,
    PURPOSE_NOT_GRANTED,
    FIELD_NOT_GRANTED,
    /** The grant's daily quota is used up (RESOURCE_EXHAUSTED). */
    QUOTA_EXCEEDED,
    /**
     * The daily quota is counted in a database the instances of a gateway share, and it does not
     * answer (UNAVAILABLE; retry).
     */
    QUOTA_LEDGER_UNAVAILABLE
  }

  /** What the gateway does; each refusal maps to one gRPC status. */
  public enum Outcome {
    /** Answer the call. */
    PERMIT,
    /** PERMISSION_DENIED: the consumer may not make this call. */
    DENIED,
    /** FAILED_PRECONDITION: the resource is not in a state to serve (retired). */
    UNAVAILABLE_RESOURCE,
    /** RESOURCE_EXHAUSTED: the grant's daily quota is used up. */
    OVER_QUOTA,
    /** INVALID_ARGUMENT: the question names something the resource does not have. */
    INVALID,
    /** UNAVAILABLE: the gateway cannot decide yet (it holds no catalogue); retrying will help. */
    NOT_READY
  }

  public static Decision permit(String grantId, String reason) {
    return new Decision(Outcome.PERMIT, reason, grantId);
  }

  public static Decision deny(Outcome outcome, Code code, String reason) {
    return new Decision(outcome, reason, null, Map.of(), code);
  }

  /**
   * The refusal for a grant whose daily quota is used up, saying when it renews: the next
   * midnight after {@code now} in {@code zone} (the federation's calendar).
   */
  public static Decision overQuota(String grantId, long dailyQuota, Instant now, ZoneId zone) {
    OffsetDateTime renews = LocalDate.ofInstant(now, zone).plusDays(1).atStartOfDay(zone).toOffsetDateTime();
    return new Decision(
        Outcome.OVER_QUOTA,
        "grant " + grantId + " has used its daily quota of " + dailyQuota + " subjects; it renews at " + renews,
        grantId, Map.of(), Code.QUOTA_EXCEEDED);
  }

  public boolean permitted() {
    return outcome == Outcome.PERMIT;
  }
}
