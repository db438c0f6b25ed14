package sluice.catalog.grant;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import sluice.crypto.NodeId;

/** Where access requests and grants are kept. Implementations are thread-safe and durable. */
public interface GrantStore {
  void insert(AccessRequest request);

  /** Records a decision only if the request is still pending; false if someone decided first. */
  boolean decide(AccessRequest decided);

  Optional<AccessRequest> request(String id);

  /** Requests on resources whose codes start with {@code codePrefix}; null status for all. */
  List<AccessRequest> requests(String codePrefix, AccessRequest.Status status);

  void insert(Grant grant);

  /** Marks a grant revoked; false if unknown or already revoked. */
  boolean revoke(String id, Instant at, String reason);

  Optional<Grant> grant(String id);

  /** Every grant of {@code consumer} for {@code resourceCode}, in force or not. */
  List<Grant> grants(NodeId consumer, String resourceCode);

  /** Grants on resources whose codes start with {@code codePrefix}. */
  List<Grant> grants(String codePrefix);
}
