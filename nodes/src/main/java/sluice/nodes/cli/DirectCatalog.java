package sluice.nodes.cli;

import java.security.SecureRandom;
import java.time.Clock;
import sluice.catalog.grant.AccessService;
import sluice.catalog.store.Database;
import sluice.catalog.store.JdbcCatalogStore;
import sluice.catalog.store.JdbcGrantStore;
import sluice.gateway.catalog.Actor;
import sluice.gateway.catalog.CatalogOperations;
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
 * The hub operator's catalogue: CatalogService's operations run directly on the hub's database
 * (a running hub notices the change at its next poll and publishes it).
 */
final class DirectCatalog implements StewardCatalog {
  private final Database db;
  private final CatalogOperations ops;
  private final Actor actor;

  DirectCatalog(Database db, Actor actor) {
    this.db = db;
    Clock clock = Clock.systemUTC();
    JdbcCatalogStore catalog = new JdbcCatalogStore(db, clock);
    JdbcGrantStore grants = new JdbcGrantStore(db);
    this.ops =
        new CatalogOperations(catalog, grants, new AccessService(catalog, grants, clock, new SecureRandom()), () -> {}, clock);
    this.actor = actor;
  }

  @Override
  public CatalogueEntryView registerResource(RegisterResourceRequest req) {
    return ops.registerResource(actor, req);
  }

  @Override
  public CatalogueEntryView updateResource(UpdateResourceRequest req) {
    return ops.updateResource(actor, req);
  }

  @Override
  public CatalogueEntryView deprecateResource(DeprecateResourceRequest req) {
    return ops.deprecateResource(actor, req);
  }

  @Override
  public CatalogueEntryView getResource(GetResourceRequest req) {
    return ops.getResource(actor, req);
  }

  @Override
  public ListResourcesResponse listResources(ListResourcesRequest req) {
    return ops.listResources(actor, req);
  }

  @Override
  public ListResourcesResponse resourceHistory(ResourceHistoryRequest req) {
    return ops.resourceHistory(actor, req);
  }

  @Override
  public AccessRequestView requestAccess(RequestAccessRequest req) {
    return ops.requestAccess(actor, req);
  }

  @Override
  public AccessRequestView decideAccess(DecideAccessRequest req) {
    return ops.decideAccess(actor, req);
  }

  @Override
  public ListAccessRequestsResponse listAccessRequests(ListAccessRequestsRequest req) {
    return ops.listAccessRequests(actor, req);
  }

  @Override
  public ListGrantsResponse listGrants(ListGrantsRequest req) {
    return ops.listGrants(actor, req);
  }

  @Override
  public GrantView revokeGrant(RevokeGrantRequest req) {
    return ops.revokeGrant(actor, req);
  }

  @Override
  public void close() {
    db.close();
  }
}
