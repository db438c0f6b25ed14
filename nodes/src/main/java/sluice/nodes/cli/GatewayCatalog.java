package sluice.nodes.cli;

import java.util.concurrent.TimeUnit;
import sluice.crypto.NodeId;
import sluice.gateway.NodeChannels;
import sluice.gateway.Transport;
import sluice.v1.CatalogServiceGrpc;
import sluice.v1.CatalogServiceGrpc.CatalogServiceBlockingStub;
import sluice.v1.AccessRequestView;
import sluice.v1.CatalogueEntryView;
import sluice.v1.DecideAccessRequest;
import sluice.v1.DeprecateResourceRequest;
import sluice.v1.GetResourceRequest;
import sluice.v1.GrantView;
import sluice.v1.ListAccessRequestsRequest;
import sluice.v1.ListAccessRequestsResponse;
import sluice.v1.ListGrantsRequest;
import sluice.v1.ListGrantsResponse;
import sluice.v1.ListResourcesRequest;
import sluice.v1.ListResourcesResponse;
import sluice.v1.RegisterResourceRequest;
import sluice.v1.RequestAccessRequest;
import sluice.v1.ResourceHistoryRequest;
import sluice.v1.RevokeGrantRequest;
import sluice.v1.UpdateResourceRequest;

/** A steward's catalogue: CatalogService at the department's own provincial gateway, over mutual TLS. */
final class GatewayCatalog implements StewardCatalog {
  private final NodeChannels channels;
  private final NodeId gateway;
  private final long deadlineMs;
  private final Transport transport;

  /** Takes ownership of {@code channels} and {@code transport}. */
  GatewayCatalog(NodeChannels channels, NodeId gateway, long deadlineMs, Transport transport) {
    this.channels = channels;
    this.gateway = gateway;
    this.deadlineMs = deadlineMs;
    this.transport = transport;
  }

  private CatalogServiceBlockingStub stub() {
    return CatalogServiceGrpc.newBlockingStub(channels.to(gateway)).withDeadlineAfter(deadlineMs, TimeUnit.MILLISECONDS);
  }

  @Override
  public CatalogueEntryView registerResource(RegisterResourceRequest req) {
    return stub().registerResource(req);
  }

  @Override
  public CatalogueEntryView updateResource(UpdateResourceRequest req) {
    return stub().updateResource(req);
  }

  @Override
  public CatalogueEntryView deprecateResource(DeprecateResourceRequest req) {
    return stub().deprecateResource(req);
  }

  @Override
  public CatalogueEntryView getResource(GetResourceRequest req) {
    return stub().getResource(req);
  }

  @Override
  public ListResourcesResponse listResources(ListResourcesRequest req) {
    return stub().listResources(req);
  }

  @Override
  public ListResourcesResponse resourceHistory(ResourceHistoryRequest req) {
    return stub().resourceHistory(req);
  }

  @Override
  public AccessRequestView requestAccess(RequestAccessRequest req) {
    return stub().requestAccess(req);
  }

  @Override
  public AccessRequestView decideAccess(DecideAccessRequest req) {
    return stub().decideAccess(req);
  }

  @Override
  public ListAccessRequestsResponse listAccessRequests(ListAccessRequestsRequest req) {
    return stub().listAccessRequests(req);
  }

  @Override
  public ListGrantsResponse listGrants(ListGrantsRequest req) {
    return stub().listGrants(req);
  }

  @Override
  public GrantView revokeGrant(RevokeGrantRequest req) {
    return stub().revokeGrant(req);
  }

  @Override
  public void close() {
    channels.close();
    transport.close();
  }
}
