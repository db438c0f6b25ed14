package sluice.gateway.policy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import sluice.catalog.grant.Decision;
import sluice.catalog.grant.Operation;
import sluice.catalog.predicate.InvalidPredicateException;
import sluice.catalog.predicate.PredicateFields;
import sluice.catalog.predicate.PredicateLimits;
import sluice.crypto.NodeId;
import sluice.v1.Predicate;

/**
 * Applies an {@link AccessPolicy} to one question and turns a refusal into the gRPC status the
 * caller sees: PERMISSION_DENIED, FAILED_PRECONDITION, RESOURCE_EXHAUSTED, INVALID_ARGUMENT or
 * UNAVAILABLE (not ready yet), with the reason, and a google.rpc.ErrorInfo holding the
 * decision's stable code ({@link Decision.Code}) and the consumer, resource, purpose and grant.
 */
public final class Enforcement {
  private final AccessPolicy policy;
  private final NodeId self;

  public Enforcement(AccessPolicy policy, NodeId self) {
    this.policy = policy;
    this.self = self;
  }

  /**
   * The fields a predicate reads.
   *
   * @throws StatusRuntimeException INVALID_ARGUMENT when the predicate is malformed or too large
   */
  public static List<String> fieldsOf(Predicate predicate) {
    try {
      return PredicateFields.of(predicate, PredicateLimits.DEFAULT);
    } catch (InvalidPredicateException e) {
      throw Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException();
    }
  }

  /** The fields a predicate reads, or none when it is malformed (for a node that only routes). */
  public static List<String> fieldsOrNone(Predicate predicate) {
    try {
      return PredicateFields.of(predicate, PredicateLimits.DEFAULT);
    } catch (InvalidPredicateException e) {
      return List.of();
    }
  }

  /**
   * @param fields the fields the question reads ({@link #fieldsOf})
   * @return the permit (its grant)
   * @throws StatusRuntimeException when the question may not be asked
   */
  public Decision check(NodeId consumer, String resourceCode, String purpose, List<String> fields) {
    Decision d = policy.decide(consumer, resourceCode, purpose, fields);
    refuseUnless(d, consumer, resourceCode, purpose);
    return d;
  }

  /** What the policy decides from now (for the audit log). */
  public AccessPolicy.CatalogVersion version(String resourceCode) {
    return policy.version(resourceCode);
  }

  /**
   * Checks a Query for {@code fields}; the permit carries the mask each must leave under.
   *
   * @throws StatusRuntimeException when the fields may not be read
   */
  public Decision checkQuery(NodeId consumer, String resourceCode, String purpose, List<String> fields) {
    Decision d = policy.decide(consumer, resourceCode, purpose, fields, Operation.QUERY);
    refuseUnless(d, consumer, resourceCode, purpose);
    return d;
  }

  /**
   * Checks an intersection of {@code elements} receiver elements with {@code resourceCode}'s
   * subject keys: it reveals which keys exist, as Verify does, so it needs what a Verify needs,
   * and each element is charged as one subject against the grant's daily quota.
   *
   * @throws StatusRuntimeException when the intersection may not run
   */
  public Decision checkIntersect(NodeId consumer, String resourceCode, String purpose, long elements) {
    Decision d = policy.decide(consumer, resourceCode, purpose, List.of(), Operation.VERIFY, elements);
    refuseUnless(d, consumer, resourceCode, purpose);
    return d;
  }

  /** The fields limiting which records {@code consumer} reaches (see {@link AccessPolicy#sameProvinceFields}). */
  public List<String> sameProvinceFields(NodeId consumer, String resourceCode) {
    return policy.sameProvinceFields(consumer, resourceCode);
  }

  /**
   * Throws the refusal for {@code d}, its status and reason, with an ErrorInfo naming the
   * decision's code and what it concerns.
   */
  private void refuseUnless(Decision d, NodeId consumer, String resourceCode, String purpose) {
    if (d.permitted()) {
      return;
    }
    Status status =
        switch (d.outcome()) {
          case UNAVAILABLE_RESOURCE -> Status.FAILED_PRECONDITION;
          case OVER_QUOTA -> Status.RESOURCE_EXHAUSTED;
          case INVALID -> Status.INVALID_ARGUMENT;
          case NOT_READY -> Status.UNAVAILABLE;
          default -> Status.PERMISSION_DENIED;
        };
    Map<String, String> about = new LinkedHashMap<>();
    about.put("node", self.toString());
    about.put("consumer", consumer.toString());
    about.put("resource", resourceCode);
    about.put("purpose", purpose);
    if (d.grantId() != null) {
      about.put("grant", d.grantId());
    }
    throw sluice.gateway.ErrorDetails.refusal(status.getCode(), self + " refused: " + d.reason(), d.code().name(), about);
  }
}
