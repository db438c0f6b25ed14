package sluice.gateway;

import io.grpc.Channel;
import io.grpc.ClientInterceptor;
import java.util.List;
import sluice.catalog.grant.Decision;
import sluice.crypto.NodeId;
import sluice.gateway.audit.AuditedCall;
import sluice.v1.PsiServiceGrpc;
import sluice.v1.VerifyServiceGrpc;

/**
 * An admitted call's route: where it goes next, for whom, the channel and headers that carry it
 * there, and the access checks a question, a Query or an intersection on it must pass (each
 * throws the refusal).
 *
 * @param headers attaches the consumer, request id and row scope to calls on {@code channel}
 */
record Hop(
    NodeId next,
    NodeId consumer,
    Channel channel,
    ClientInterceptor headers,
    QuestionCheck check,
    QueryCheck queryCheck,
    IntersectCheck intersectCheck) {

  VerifyServiceGrpc.VerifyServiceStub stub() {
    return VerifyServiceGrpc.newStub(channel).withInterceptors(headers);
  }

  sluice.v1.AggregateServiceGrpc.AggregateServiceStub aggregateStub() {
    return sluice.v1.AggregateServiceGrpc.newStub(channel).withInterceptors(headers);
  }

  PsiServiceGrpc.PsiServiceStub psiStub() {
    return PsiServiceGrpc.newStub(channel).withInterceptors(headers);
  }

  /** Checks one question, recording its fields and grant in {@code call}. */
  void check(sluice.v1.Predicate predicate, AuditedCall call) {
    check.check(predicate, call);
  }

  /** The permit with each field's mask; null when this gateway enforces no policy. */
  Decision checkQuery(List<String> fields) {
    return queryCheck.check(fields);
  }

  /** The access check of a Query on an admitted route. */
  interface QueryCheck {
    Decision check(List<String> fields);
  }

  /** The access check for one question on an admitted route. */
  interface QuestionCheck {
    void check(sluice.v1.Predicate predicate, AuditedCall call);
  }

  /**
   * The access check of an intersection of {@code elements} receiver elements (each charged as
   * one subject); the permit, or null when this gateway enforces no policy.
   */
  interface IntersectCheck {
    Decision check(long elements);
  }
}
