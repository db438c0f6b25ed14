package sluice.gateway;

import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import sluice.catalog.grant.Decision;
import sluice.crypto.NodeId;
import sluice.gateway.audit.AuditTrail;
import sluice.gateway.audit.AuditedCall;
import sluice.gateway.policy.ObligationCheck;
import sluice.v1.BatchVerifyRequest;
import sluice.v1.BatchVerifyResponse;
import sluice.v1.MaskObligation;
import sluice.v1.QueryRequest;
import sluice.v1.QueryResponse;
import sluice.v1.VerifyRequest;
import sluice.v1.VerifyResponse;
import sluice.v1.VerifyServiceGrpc;

/**
 * The Verify service as a gateway (provincial or national) serves it: admit the caller, check
 * the request, resolve the resource, and forward the unchanged request to the next hop with the
 * consumer and request id in the headers. Answers and errors come back the same way, each
 * released only once its audit entry is durable.
 *
 * <p>Forwarding is asynchronous: no handler thread waits on a downstream call. Unary calls
 * without a deadline get {@code defaultDeadline}; batch streams keep the caller's (or none).
 */
final class GatewayVerifyService extends VerifyServiceGrpc.VerifyServiceImplBase {
  private static final System.Logger LOG = System.getLogger(GatewayVerifyService.class.getName());
  private final NodeId self;
  private final CallRouting routing;
  private final Duration defaultDeadline;
  private final AuditTrail trail;

  /**
   * @param routing admits calls and opens their routes
   * @param trail where every call is audited before its answer or refusal is released
   */
  GatewayVerifyService(CallRouting routing, Duration defaultDeadline, AuditTrail trail) {
    this.self = routing.self();
    this.routing = routing;
    this.trail = trail;
    this.defaultDeadline = defaultDeadline;
  }

  @Override
  public void verify(VerifyRequest request, StreamObserver<VerifyResponse> responses) {
    // A caller that gave up is not an error here: its answer, if any, is dropped quietly.
    ((ServerCallStreamObserver<VerifyResponse>) responses).setOnCancelHandler(() -> {});
    AuditedCall call = trail.begin("Verify", request.getContext(), request.getResourceCode(), request.getSubjectKey());
    Hop hop;
    try {
      RequestChecks.context(request.getContext(), "context");
      RequestChecks.text(request.getSubjectKey(), "subject_key", "the subject's key");
      if (!request.hasPredicate()) {
        throw Refusals.invalid("predicate is missing: say what to verify about the subject");
      }
      hop = routing.admit(request.getResourceCode(), request.getContext(), call);
      hop.check(request.getPredicate(), call);
    } catch (StatusRuntimeException e) {
      AuditedRelay.refuse(call, e, responses);
      return;
    }
    VerifyServiceGrpc.VerifyServiceStub stub = hop.stub();
    if (Context.current().getDeadline() == null && !defaultDeadline.isZero()) {
      stub = stub.withDeadlineAfter(defaultDeadline.toMillis(), TimeUnit.MILLISECONDS);
    }
    stub.verify(request, new AuditedRelay<>(responses, hop.next(), call, UnaryOperator.identity()));
  }

  @Override
  public void query(QueryRequest request, StreamObserver<QueryResponse> responses) {
    ((ServerCallStreamObserver<QueryResponse>) responses).setOnCancelHandler(() -> {});
    AuditedCall call = trail.begin("Query", request.getContext(), request.getResourceCode(), request.getSubjectKey());
    Hop hop;
    MaskObligation obligation = null;
    try {
      RequestChecks.context(request.getContext(), "context");
      RequestChecks.text(request.getSubjectKey(), "subject_key", "the subject's key");
      List<String> fields = RequestChecks.fieldNames(request.getFieldsList());
      hop = routing.admit(request.getResourceCode(), request.getContext(), call);
      Decision decision = hop.checkQuery(fields);
      if (decision == null) {
        fields.forEach(f -> call.field(f, ""));
      } else {
        call.grant(decision.grantId());
        decision.masks().forEach((field, order) -> call.field(field, order.mask().name()));
      }
      if (hop.next().isDepartment()) {
        if (decision == null) {
          throw Status.FAILED_PRECONDITION
              .withDescription(self + " enforces no catalogue, so it cannot order how fields are masked; it serves no Query")
              .asRuntimeException();
        }
        obligation = ObligationCheck.order(hop.consumer(), decision.grantId(), decision.masks());
      }
    } catch (StatusRuntimeException e) {
      AuditedRelay.refuse(call, e, responses);
      return;
    }
    VerifyServiceGrpc.VerifyServiceStub stub = hop.stub();
    if (obligation != null) {
      Metadata ordered = new Metadata();
      ordered.put(SluiceHeaders.MASK_OBLIGATION, obligation.toByteArray());
      stub = stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(ordered));
    }
    if (Context.current().getDeadline() == null && !defaultDeadline.isZero()) {
      stub = stub.withDeadlineAfter(defaultDeadline.toMillis(), TimeUnit.MILLISECONDS);
    }
    MaskObligation checked = obligation;
    stub.query(
        request,
        new AuditedRelay<>(
            responses,
            hop.next(),
            call,
            value -> {
              QueryResponse passed =
                  checked == null
                      ? value
                      : ObligationCheck.enforce(checked, value, (field, why) -> {
                        call.withheld(field, why);
                        LOG.log(System.Logger.Level.WARNING,
                            self + ": withheld from " + hop.consumer() + ": " + hop.next() + " sent field " + field + " " + why);
                      });
              passed.getFieldsList().forEach(f -> call.keyUsed(f.getName(), f.getKeyId()));
              return passed;
            }));
  }

  @Override
  public StreamObserver<BatchVerifyRequest> batchVerify(
      StreamObserver<BatchVerifyResponse> responses) {
    return new BatchForwarder(
        (ServerCallStreamObserver<BatchVerifyResponse>) responses,
        header -> {
          AuditedCall call = trail.begin("BatchVerify", header.getContext(), header.getResourceCode(), "");
          try {
            RequestChecks.context(header.getContext(), "header.context");
            return new BatchForwarder.Admitted(routing.admit(header.getResourceCode(), header.getContext(), call), call);
          } catch (StatusRuntimeException e) {
            throw new BatchForwarder.Refused(call, e);
          }
        });
  }
}
