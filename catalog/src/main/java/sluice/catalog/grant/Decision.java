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
 */
public record Decision(Outcome outcome, String reason, String grantId, Map<String, MaskOrder> masks) {

  public Decision(Outcome outcome, String reason, String grantId) {
    this(outcome, reason, grantId, Map.of());
  }

  public Decision {
    masks = masks.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(masks));
  }

  /** This permit with the masking obligation of a Query. */
  public Decision withMasks(Map<String, MaskOrder> obligation) {
    return new Decision(outcome, reason, grantId, obligation);
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

  public static Decision deny(Outcome outcome, String reason) {
    return new Decision(outcome, reason, null);
  }

  /**
   * The refusal for a grant whose daily quota is used up, saying when it renews: the next
   * midnight after {@code now} in {@code zone} (the federation's calendar).
   */
  public static Decision overQuota(String grantId, long dailyQuota, Instant now, ZoneId zone) {
    OffsetDateTime renews = LocalDate.ofInstant(now, zone).plusDays(1).atStartOfDay(zone).toOffsetDateTime();
    return deny(
        Outcome.OVER_QUOTA,
        "grant " + grantId + " has used its daily quota of " + dailyQuota + " subjects; it renews at " + renews);
  }

  public boolean permitted() {
    return outcome == Outcome.PERMIT;
  }
}
