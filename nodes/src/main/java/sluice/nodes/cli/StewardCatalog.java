package sluice.nodes.cli;

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

/**
 * The catalogue as the {@code catalog} and {@code access} commands use it: CatalogService through
 * the steward's provincial gateway, or the same operations on the hub's own database for its
 * operator. Refusals are thrown as {@link io.grpc.StatusRuntimeException}, either way.
 */
interface StewardCatalog extends AutoCloseable {
  CatalogueEntryView registerResource(RegisterResourceRequest req);

  CatalogueEntryView updateResource(UpdateResourceRequest req);

  CatalogueEntryView deprecateResource(DeprecateResourceRequest req);

  CatalogueEntryView getResource(GetResourceRequest req);

  ListResourcesResponse listResources(ListResourcesRequest req);

  ListResourcesResponse resourceHistory(ResourceHistoryRequest req);

  AccessRequestView requestAccess(RequestAccessRequest req);

  AccessRequestView decideAccess(DecideAccessRequest req);

  ListAccessRequestsResponse listAccessRequests(ListAccessRequestsRequest req);

  ListGrantsResponse listGrants(ListGrantsRequest req);

  GrantView revokeGrant(RevokeGrantRequest req);

  @Override
  void close();
}
