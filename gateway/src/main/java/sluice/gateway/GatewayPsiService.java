package sluice.gateway;

import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import sluice.catalog.grant.Decision;
import sluice.crypto.psi.PsiGroup;
import sluice.crypto.psi.PsiSuite;
import sluice.gateway.audit.AuditTrail;
import sluice.gateway.audit.AuditedCall;
import sluice.v1.IntersectRequest;
import sluice.v1.IntersectResponse;
import sluice.v1.MembershipRequest;
import sluice.v1.MembershipResponse;
import sluice.v1.MembershipTablePage;
import sluice.v1.MembershipTableRequest;
import sluice.v1.PsiServiceGrpc;
import sluice.v1.RequestContext;

/**
 * The PSI service as a gateway serves it: each Intersect session is admitted, checked and
 * audited like any other call, then relayed message by message to the next hop ({@link PsiRelay}).
 * Membership table pages and evaluations are admitted as Verify calls are (each charged as one
 * subject against the grant's daily quota and the consumer's burst limit), audited without a
 * subject (no one on the way knows it), and passed back as their fixed-size values only.
 */
final class GatewayPsiService extends PsiServiceGrpc.PsiServiceImplBase {
  private final CallRouting routing;
  private final AuditTrail trail;
  private final Duration deadline;
  private final sluice.gateway.psi.PsiProgress progress;

  GatewayPsiService(CallRouting routing, AuditTrail trail, Duration deadline, sluice.gateway.psi.PsiProgress progress) {
    this.routing = routing;
    this.trail = trail;
    this.deadline = deadline.isZero() ? Duration.ofSeconds(30) : deadline;
    this.progress = progress;
  }

  @Override
  public StreamObserver<IntersectRequest> intersect(StreamObserver<IntersectResponse> responses) {
    return new PsiRelay(routing, trail, (ServerCallStreamObserver<IntersectResponse>) responses, progress);
  }

  @Override
  public void membershipTable(MembershipTableRequest request, StreamObserver<MembershipTablePage> responses) {
    AuditedCall call = trail.begin("MembershipTable", request.getContext(), request.getResourceCode(), "");
    Hop hop;
    try {
      hop = admitMembership(request.getContext(), request.getResourceCode(), request.getSuite(), call);
    } catch (StatusRuntimeException e) {
      AuditedRelay.refuse(call, e, responses);
      return;
    }
    hop.psiStub().withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS).membershipTable(request,
        new AuditedRelay<>(responses, hop.next(), call, page -> {
          // Only whole tags pass, and nothing but the table's own fields.
          boolean whole = page.getTags().size() % PsiGroup.TAG_LENGTH == 0
              && page.getTags().size() / PsiGroup.TAG_LENGTH <= 65_536;
          return MembershipTablePage.newBuilder().setKeyEpoch(page.getKeyEpoch()).setTotal(page.getTotal())
              .setOffset(page.getOffset()).setTags(whole ? page.getTags() : com.google.protobuf.ByteString.EMPTY).build();
        }));
  }

  @Override
  public void membership(MembershipRequest request, StreamObserver<MembershipResponse> responses) {
    AuditedCall call = trail.begin("Membership", request.getContext(), request.getResourceCode(), "");
    Hop hop;
    int length;
    try {
      hop = admitMembership(request.getContext(), request.getResourceCode(), request.getSuite(), call);
      length = PsiSuite.named(request.getSuite()).group().pointLength();
      if (request.getBlinded().size() != length) {
        throw Refusals.invalid("blinded must be one " + length + "-byte " + request.getSuite() + " element");
      }
    } catch (StatusRuntimeException e) {
      AuditedRelay.refuse(call, e, responses);
      return;
    }
    hop.psiStub().withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS).membership(request,
        new AuditedRelay<>(responses, hop.next(), call, r -> MembershipResponse.newBuilder()
            .setEvaluated(r.getEvaluated().size() == length ? r.getEvaluated() : com.google.protobuf.ByteString.EMPTY)
            .setKeyEpoch(r.getKeyEpoch()).build()));
  }

  /** Checks the request and the suite, routes it, and charges one subject to the grant. */
  private Hop admitMembership(RequestContext context, String resourceCode, String suiteName, AuditedCall call) {
    RequestChecks.context(context, "context");
    try {
      PsiSuite.forMembership(suiteName);
    } catch (IllegalArgumentException e) {
      throw Refusals.invalid("suite: " + e.getMessage());
    }
    Hop hop = routing.admit(resourceCode, context, call);
    Decision permit = hop.intersectCheck().check(1);
    if (permit != null) {
      call.grant(permit.grantId());
    }
    return hop;
  }
}
