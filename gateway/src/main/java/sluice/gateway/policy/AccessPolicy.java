package sluice.gateway.policy;

import java.util.List;
import sluice.catalog.grant.Decision;
import sluice.catalog.grant.Operation;
import sluice.crypto.NodeId;

/**
 * The gateway's policy decision point: may {@code consumer} ask about (or read) {@code fields} of
 * {@code resourceCode} for {@code purpose}, and under which masks? One decision per request (per batch item). A permit
 * for a call that counts against a quota is charged at once. Implementations are thread-safe.
 */
public interface AccessPolicy {
  /** A Verify question touching {@code fields}. */
  default Decision decide(NodeId consumer, String resourceCode, String purpose, List<String> fields) {
    return decide(consumer, resourceCode, purpose, fields, Operation.VERIFY);
  }

  /**
   * The fields that limit which records {@code consumer} reaches in {@code resourceCode}: a
   * record is reachable when its value in one of them belongs to the consumer's province. Empty
   * when its grants (or an unconditional resource) reach every record.
   */
  default List<String> sameProvinceFields(NodeId consumer, String resourceCode) {
    return List.of();
  }

  /**
   * The catalogue version a decision made now rests on, and the version of {@code resourceCode}'s
   * entry in it (0, 0 when the policy has no catalogue), for the audit log.
   */
  default CatalogVersion version(String resourceCode) {
    return CatalogVersion.NONE;
  }

  /** The catalogue snapshot version and one entry's version in it. */
  record CatalogVersion(long snapshot, long entry) {
    public static final CatalogVersion NONE = new CatalogVersion(0, 0);
  }

  /** A call doing {@code operation}; a permitted Query carries the mask of each field. */
  Decision decide(NodeId consumer, String resourceCode, String purpose, List<String> fields, Operation operation);

  /**
   * A call about {@code subjects} subjects at once (an intersection of that many elements), each
   * charged against a daily quota; refused whole when they do not all fit. Policies without
   * quotas decide as for one.
   */
  default Decision decide(NodeId consumer, String resourceCode, String purpose, List<String> fields, Operation operation,
      long subjects) {
    return decide(consumer, resourceCode, purpose, fields, operation);
  }
}
