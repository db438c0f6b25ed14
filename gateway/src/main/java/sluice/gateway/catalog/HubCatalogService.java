package sluice.gateway.catalog;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import sluice.catalog.store.DatabaseUnavailableException;
import sluice.catalog.grant.Grant;
import sluice.catalog.snapshot.CatalogSnapshot;
import sluice.catalog.snapshot.SnapshotDiff;
import sluice.crypto.NodeId;
import sluice.gateway.Admission;
import sluice.gateway.identity.CallerIdentity;
import sluice.v1.AccessRequestView;
import sluice.v1.CatalogChange;
import sluice.v1.CatalogServiceGrpc;
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
import sluice.v1.WatchChangesRequest;

/**
 * The national hub's CatalogService: the one place catalogue entries, access requests and grants
 * change. Each call comes from a department through its provincial gateway (which names it in
 * the forwarded header, checked by {@link Admission}); {@link CatalogOperations} checks that this
 * department may make the change and stores it, and the feed publishes a new snapshot at once.
 */
public final class HubCatalogService extends CatalogServiceGrpc.CatalogServiceImplBase {
  private static final System.Logger LOG = System.getLogger(HubCatalogService.class.getName());

  private final Admission admission;
  private final CatalogOperations operations;
  private final CatalogPublisher publisher;

  /**
   * @param publisher whose snapshots {@code WatchChanges} describes
   */
  public HubCatalogService(NodeId self, CatalogOperations operations, CatalogPublisher publisher) {
    if (!self.isHub()) {
      throw new IllegalArgumentException(self + " is not the national hub");
    }
    this.admission = new Admission(self);
    this.operations = operations;
    this.publisher = publisher;
  }

  /** The department this call is made for, from the verified peer and the forwarded header. */
  private Actor actor() {
    return Actor.department(admission.consumer(CallerIdentity.peer(), CallerIdentity.assertedConsumer()));
  }

  @Override
  public void registerResource(RegisterResourceRequest req, StreamObserver<CatalogueEntryView> out) {
    unary(out, () -> operations.registerResource(actor(), req));
  }

  @Override
  public void updateResource(UpdateResourceRequest req, StreamObserver<CatalogueEntryView> out) {
    unary(out, () -> operations.updateResource(actor(), req));
  }

  @Override
  public void deprecateResource(DeprecateResourceRequest req, StreamObserver<CatalogueEntryView> out) {
    unary(out, () -> operations.deprecateResource(actor(), req));
  }

  @Override
  public void getResource(GetResourceRequest req, StreamObserver<CatalogueEntryView> out) {
    unary(out, () -> operations.getResource(actor(), req));
  }

  @Override
  public void listResources(ListResourcesRequest req, StreamObserver<ListResourcesResponse> out) {
    unary(out, () -> operations.listResources(actor(), req));
  }

  @Override
  public void resourceHistory(ResourceHistoryRequest req, StreamObserver<ListResourcesResponse> out) {
    unary(out, () -> operations.resourceHistory(actor(), req));
  }

  @Override
  public void requestAccess(RequestAccessRequest req, StreamObserver<AccessRequestView> out) {
    unary(out, () -> operations.requestAccess(actor(), req));
  }

  @Override
  public void decideAccess(DecideAccessRequest req, StreamObserver<AccessRequestView> out) {
    unary(out, () -> operations.decideAccess(actor(), req));
  }

  @Override
  public void listAccessRequests(ListAccessRequestsRequest req, StreamObserver<ListAccessRequestsResponse> out) {
    unary(out, () -> operations.listAccessRequests(actor(), req));
  }

  @Override
  public void listGrants(ListGrantsRequest req, StreamObserver<ListGrantsResponse> out) {
    unary(out, () -> operations.listGrants(actor(), req));
  }

  @Override
  public void revokeGrant(RevokeGrantRequest req, StreamObserver<GrantView> out) {
    unary(out, () -> operations.revokeGrant(actor(), req));
  }

  @Override
  public void watchChanges(WatchChangesRequest req, StreamObserver<CatalogChange> out) {
    NodeId caller;
    try {
      caller = actor().department();
    } catch (StatusRuntimeException e) {
      out.onError(e);
      return;
    }
    ServerCallStreamObserver<CatalogChange> stream = (ServerCallStreamObserver<CatalogChange>) out;
    AtomicReference<CatalogPublisher.AutoCloseableListener> registered = new AtomicReference<>();
    stream.setOnCancelHandler(() -> registered.get().close());
    // The publisher calls both under its lock, so messages never interleave.
    registered.set(
        publisher.listen(
            latest -> {
              CatalogChange.Builder first = CatalogChange.newBuilder();
              latest.ifPresent(s -> first.setSnapshotVersion(s.version()).setIssuedAt(s.issuedAt().toString()));
              stream.onNext(first.build());
            },
            (before, after) -> {
              if (!stream.isCancelled()) {
                change(caller, SnapshotDiff.between(before, after), after).ifPresent(stream::onNext);
              }
            }));
  }

  /** What {@code caller} is told of one snapshot's changes; empty when none concern it. */
  private static Optional<CatalogChange> change(NodeId caller, SnapshotDiff diff, CatalogSnapshot after) {
    Map<String, NodeId> providers = new HashMap<>();
    after.entries().forEach(e -> providers.put(e.resourceCode(), e.provider().node()));
    List<Grant> mine =
        diff.grants().stream()
            .filter(g -> g.consumer().equals(caller) || caller.equals(providers.get(g.resourceCode())))
            .toList();
    if (diff.entries().isEmpty() && mine.isEmpty()) {
      return Optional.empty();
    }
    CatalogChange.Builder b =
        CatalogChange.newBuilder().setSnapshotVersion(after.version()).setIssuedAt(after.issuedAt().toString());
    diff.entries().stream().map(CatalogViews::of).forEach(b::addResources);
    mine.stream().map(CatalogViews::of).forEach(b::addGrants);
    return Optional.of(b.build());
  }

  /**
   * Answers a unary call with what {@code call} returns, or with the refusal it throws; a
   * database out of reach is UNAVAILABLE (worth retrying); any other failure is INTERNAL, logged
   * here rather than shown to the caller.
   */
  private static <T> void unary(StreamObserver<T> out, Supplier<T> call) {
    T value;
    try {
      value = call.get();
    } catch (StatusRuntimeException e) {
      out.onError(e);
      return;
    } catch (DatabaseUnavailableException e) {
      LOG.log(System.Logger.Level.WARNING, "catalogue service: " + e.getMessage());
      out.onError(Status.UNAVAILABLE.withDescription("the hub's catalogue database cannot be reached (" + e.getMessage()
          + "); a change may or may not have been made: read it back, and try again").asRuntimeException());
      return;
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "catalogue service failed", e);
      out.onError(Status.INTERNAL.withDescription("the hub's catalogue failed; see its log").asRuntimeException());
      return;
    }
    out.onNext(value);
    out.onCompleted();
  }
}
