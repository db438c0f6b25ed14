package sluice.gateway;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import sluice.gateway.audit.AuditTrail;
import sluice.v1.IntersectRequest;
import sluice.v1.IntersectResponse;
import sluice.v1.PsiServiceGrpc;

/**
 * The PSI service as a gateway serves it: each Intersect session is admitted, checked and
 * audited like any other call, then relayed message by message to the next hop ({@link PsiRelay}).
 */
final class GatewayPsiService extends PsiServiceGrpc.PsiServiceImplBase {
  private final CallRouting routing;
  private final AuditTrail trail;

  GatewayPsiService(CallRouting routing, AuditTrail trail) {
    this.routing = routing;
    this.trail = trail;
  }

  @Override
  public StreamObserver<IntersectRequest> intersect(StreamObserver<IntersectResponse> responses) {
    return new PsiRelay(routing, trail, (ServerCallStreamObserver<IntersectResponse>) responses);
  }
}
