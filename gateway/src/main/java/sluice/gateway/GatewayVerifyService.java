package sluice.gateway;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import sluice.catalog.ResourceCatalog;
import sluice.catalog.ResourceDescriptor;
import sluice.catalog.grant.Decision;
import sluice.crypto.NodeId;
import sluice.gateway.audit.AuditTrail;
import sluice.gateway.audit.AuditedCall;
import sluice.gateway.identity.CallerIdentity;
import sluice.gateway.policy.AccessPolicy;
import sluice.gateway.policy.ConsumerRateLimit;
import sluice.gateway.policy.Enforcement;
import sluice.gateway.policy.ObligationCheck;
import sluice.v1.BatchVerifyRequest;
import sluice.v1.BatchVerifyResponse;
import sluice.v1.MaskObligation;
import sluice.v1.QueryRequest;
import sluice.v1.QueryResponse;
import sluice.v1.RequestContext;
import sluice.v1.RowScope;
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
  private final Admission admission;
  private final Router router;
  private final ResourceCatalog catalog;
  private final NodeChannels channels;
  private final Duration defaultDeadline;
  private final Enforcement enforcement;
  private final ConsumerRateLimit rateLimit;
  private final AuditTrail trail;

  /**
   * @param enforcement the access policy to apply, or null for none (directory only)
   * @param rateLimit the burst limit per consumer on calls this gateway hands to its
   *     departments, or null for none
   * @param trail where every call is audited before its answer or refusal is released
   */
  GatewayVerifyService(
      NodeId self,
      ResourceCatalog catalog,
      NodeChannels channels,
      Duration defaultDeadline,
      Enforcement enforcement,
      ConsumerRateLimit rateLimit,
      AuditTrail trail) {
    this.self = self;
    this.trail = trail;
    this.rateLimit = rateLimit;
    this.enforcement = self.isHub() ? null : enforcement;
    this.admission = new Admission(self);
    this.router = new Router(self);
    this.catalog = catalog;
    this.channels = channels;
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
      hop = admit(request.getResourceCode(), request.getContext(), call);
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
      hop = admit(request.getResourceCode(), request.getContext(), call);
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
            return new BatchForwarder.Admitted(admit(header.getResourceCode(), header.getContext(), call), call);
          } catch (StatusRuntimeException e) {
            throw new BatchForwarder.Refused(call, e);
          }
        });
  }

  /** Admission, resource resolution and routing shared by Verify and BatchVerify. */
  private Hop admit(String resourceCode, RequestContext context, AuditedCall call) {
    NodeId peer = CallerIdentity.peer();
    call.caller(CallerIdentity.assertedConsumer().filter(c -> !peer.isDepartment()).orElse(peer.toString()));
    NodeId consumer = admission.consumer(peer, CallerIdentity.assertedConsumer());
    call.caller(consumer.toString());
    RequestChecks.text(resourceCode, "resource_code", "the code of the resource asked about");
    if (enforcement != null) {
      AccessPolicy.CatalogVersion v = enforcement.version(resourceCode);
      call.catalog(v.snapshot(), v.entry());
    }
    ResourceDescriptor resource =
        catalog
            .find(resourceCode)
            .orElseThrow(
                () ->
                    Refusals.notFound(
                        "resource " + resourceCode + " is not in the catalogue known to " + self));
    NodeId next = router.nextHop(resource, peer);
    String requestId =
        CallerIdentity.forwardedRequestId()
            .filter(id -> !peer.isDepartment())
            .orElseGet(() -> requestIdFor(context));
    call.route(consumer, resource.provider(), peer, next, requestId);
    Metadata headers = new Metadata();
    headers.put(SluiceHeaders.CONSUMER, consumer.toString());
    headers.put(SluiceHeaders.REQUEST_ID, requestId);
    if (enforcement != null && next.isDepartment()) {
      List<String> scope = enforcement.sameProvinceFields(consumer, resource.code());
      if (!scope.isEmpty()) {
        headers.put(
            SluiceHeaders.ROW_SCOPE,
            RowScope.newBuilder()
                .setConsumerProvince(String.format("%02d", consumer.provinceOf().orElseThrow().code()))
                .addAllSameProvinceFields(scope)
                .build()
                .toByteArray());
      }
    }
    return new Hop(
        next,
        consumer,
        VerifyServiceGrpc.newStub(channels.to(next))
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers)),
        (predicate, audited) -> {
          // Only an enforcing gateway refuses a malformed predicate; one that routes records what it can read.
          List<String> fields = enforcement == null ? Enforcement.fieldsOrNone(predicate) : Enforcement.fieldsOf(predicate);
          fields.forEach(f -> audited.field(f, ""));
          limit(consumer, next);
          if (enforcement != null) {
            audited.grant(enforcement.check(consumer, resource.code(), context.getPurposeCode(), fields).grantId());
          }
        },
        fields -> {
          limit(consumer, next);
          return enforcement == null
              ? null
              : enforcement.checkQuery(consumer, resource.code(), context.getPurposeCode(), fields);
        });
  }

  /** Charges one call to {@code consumer}'s burst limit when it goes to one of this gateway's departments. */
  private void limit(NodeId consumer, NodeId next) {
    if (rateLimit == null || !next.isDepartment()) {
      return;
    }
    long wait = rateLimit.tryAcquire(consumer, System.nanoTime());
    if (wait > 0) {
      long millis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait));
      throw StatusProto.toStatusRuntimeException(
          com.google.rpc.Status.newBuilder()
              .setCode(Code.RESOURCE_EXHAUSTED_VALUE)
              .setMessage(self + " refused: " + consumer + " is over its limit of " + rateLimit.perSecond()
                  + " calls/s (burst " + rateLimit.burst() + "); retry in " + millis + " ms")
              .addDetails(Any.pack(RetryInfo.newBuilder()
                  .setRetryDelay(com.google.protobuf.Duration.newBuilder()
                      .setSeconds(millis / 1000).setNanos((int) (millis % 1000) * 1_000_000))
                  .build()))
              .build());
    }
  }

  private static String requestIdFor(RequestContext context) {
    String given = context.getRequestId();
    return given.isEmpty() || !given.chars().allMatch(c -> c > 0x20 && c < 0x7f)
        ? UUID.randomUUID().toString()
        : given;
  }

  /**
   * Where a call goes next, for whom, the stub that carries it there, and the access checks a
   * question or a Query on it must pass (they throw the refusal).
   */
  record Hop(
      NodeId next,
      NodeId consumer,
      VerifyServiceGrpc.VerifyServiceStub stub,
      QuestionCheck check,
      QueryCheck queryCheck) {
    /** Checks one question, recording its fields and grant in {@code call}. */
    void check(sluice.v1.Predicate predicate, AuditedCall call) {
      check.check(predicate, call);
    }

    /** The permit with each field's mask; null when this gateway enforces no policy. */
    Decision checkQuery(List<String> fields) {
      return queryCheck.check(fields);
    }
  }

  /** The access check of a Query on an admitted route. */
  interface QueryCheck {
    Decision check(List<String> fields);
  }

  /** The access check for one question on an admitted route. */
  interface QuestionCheck {
    void check(sluice.v1.Predicate predicate, AuditedCall call);
  }
}
