package sluice.gateway.policy;

import java.util.List;
import sluice.catalog.grant.Decision;
import sluice.crypto.NodeId;

/**
 * The gateway's policy decision point: may {@code consumer} ask about {@code fields} of
 * {@code resourceCode} for {@code purpose}? One decision per request (per batch item). A permit
 * for a call that counts against a quota is charged at once. Implementations are thread-safe.
 */
public interface AccessPolicy {
  Decision decide(NodeId consumer, String resourceCode, String purpose, List<String> fields);
}
