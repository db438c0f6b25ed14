package sluice.gateway;

import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import sluice.catalog.ResourceCatalog;
import sluice.catalog.ResourceDescriptor;
import sluice.crypto.NodeId;
import sluice.gateway.catalog.CatalogPublisher;
import sluice.gateway.identity.CallerIdentity;
import sluice.v1.FederationServiceGrpc;
import sluice.v1.LocateResourceRequest;
import sluice.v1.ResourceLocation;
import sluice.v1.SignedCatalogSnapshot;
import sluice.v1.WatchCatalogRequest;

/** The national hub's federation service: where each resource lives. Gateways only. */
final class HubFederationService extends FederationServiceGrpc.FederationServiceImplBase {
  private final ResourceCatalog catalog;
  private final CatalogPublisher publisher;

  /** @param publisher the catalogue snapshots to serve, or null when the hub publishes none */
  HubFederationService(ResourceCatalog catalog, CatalogPublisher publisher) {
    this.catalog = catalog;
    this.publisher = publisher;
  }

  @Override
  public void watchCatalog(
      WatchCatalogRequest request, StreamObserver<SignedCatalogSnapshot> responses) {
    NodeId peer = CallerIdentity.peer();
    if (!peer.isProvince()) {
      responses.onError(Refusals.denied("only provincial gateways watch the catalogue; caller is " + peer));
      return;
    }
    if (publisher == null) {
      responses.onError(
          io.grpc.Status.UNIMPLEMENTED
              .withDescription("this hub publishes no catalogue snapshots")
              .asRuntimeException());
      return;
    }
    publisher.watch(
        request.getKnownVersion(), (io.grpc.stub.ServerCallStreamObserver<SignedCatalogSnapshot>) responses);
  }

  @Override
  public void locateResource(
      LocateResourceRequest request, StreamObserver<ResourceLocation> responses) {
    try {
      NodeId peer = CallerIdentity.peer();
      if (!peer.isProvince()) {
        throw Refusals.denied("only provincial gateways may locate resources; caller is " + peer);
      }
      ResourceDescriptor r =
          catalog
              .find(request.getResourceCode())
              .orElseThrow(
                  () ->
                      Refusals.notFound(
                          "resource " + request.getResourceCode() + " is not in the catalogue"));
      responses.onNext(
          ResourceLocation.newBuilder()
              .setResourceCode(r.code())
              .setProvinceNodeId(r.provider().gateway().orElseThrow().toString())
              .setProviderNodeId(r.provider().toString())
              .build());
      responses.onCompleted();
    } catch (StatusRuntimeException e) {
      responses.onError(e);
    }
  }
}
