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

  /** A call doing {@code operation}; a permitted Query carries the mask of each field. */
  Decision decide(NodeId consumer, String resourceCode, String purpose, List<String> fields, Operation operation);
}
