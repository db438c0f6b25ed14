package sluice.gateway.catalog;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import sluice.catalog.entry.CatalogueEntries;
import sluice.catalog.entry.CatalogueEntry;
import sluice.catalog.entry.EntryStatus;
import sluice.catalog.entry.InvalidEntryException;
import sluice.catalog.grant.AccessException;
import sluice.catalog.grant.AccessRequest;
import sluice.catalog.grant.AccessService;
import sluice.catalog.grant.Grant;
import sluice.catalog.grant.GrantStore;
import sluice.catalog.snapshot.CatalogSnapshot;
import sluice.catalog.snapshot.SnapshotDiff;
import sluice.catalog.store.CatalogConflictException;
import sluice.catalog.store.CatalogStore;
import sluice.crypto.NodeId;
import sluice.gateway.Admission;
import sluice.gateway.Refusals;
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
 * the forwarded header, checked by {@link Admission}); the hub checks that this department may
 * make the change, stores it, and has the feed publish a new snapshot at once.
 */
public final class HubCatalogService extends CatalogServiceGrpc.CatalogServiceImplBase {
  private static final System.Logger LOG = System.getLogger(HubCatalogService.class.getName());

  /** Largest entry document accepted (an entry with hundreds of fields is a few tens of KiB). */
  static final int MAX_DOCUMENT_CHARS = 256 * 1024;

  static final int DEFAULT_PAGE = 100;
  static final int MAX_PAGE = 1000;

  private final Admission admission;
  private final CatalogStore catalog;
  private final GrantStore grants;
  private final AccessService access;
  private final CatalogPublisher publisher;
  private final Runnable changed;
  private final Clock clock;

  /**
   * @param changed called after every stored change (the feed publishes a snapshot)
   */
  public HubCatalogService(
      NodeId self,
      CatalogStore catalog,
      GrantStore grants,
      AccessService access,
      CatalogPublisher publisher,
      Runnable changed,
      Clock clock) {
    if (!self.isHub()) {
      throw new IllegalArgumentException(self + " is not the national hub");
    }
    this.admission = new Admission(self);
    this.catalog = catalog;
    this.grants = grants;
    this.access = access;
    this.publisher = publisher;
    this.changed = changed;
    this.clock = clock;
  }

  /** The department this call is made for, from the verified peer and the forwarded header. */
  private NodeId caller() {
    return admission.consumer(CallerIdentity.peer(), CallerIdentity.assertedConsumer());
  }

  @Override
  public void registerResource(RegisterResourceRequest req, StreamObserver<CatalogueEntryView> out) {
    unary(out, () -> {
      NodeId caller = caller();
      CatalogueEntry entry = parse(req.getDocument());
      requireProvider(caller, entry, "register");
      CatalogueEntry stored;
      try {
        stored = catalog.register(entry);
      } catch (CatalogConflictException e) {
        throw CatalogRefusals.of(e);
      }
      changed.run();
      return CatalogViews.of(stored);
    });
  }

  @Override
  public void updateResource(UpdateResourceRequest req, StreamObserver<CatalogueEntryView> out) {
    unary(out, () -> {
      NodeId caller = caller();
      CatalogueEntry entry = parse(req.getDocument());
      if (req.getBasedOnVersion() == 0) {
        throw Refusals.invalid("based_on_version: name the version you edited (see catalog show)");
      }
      requireProvider(caller, current(entry.resourceCode()), "update");
      requireProvider(caller, entry, "update");
      CatalogueEntry stored;
      try {
        stored = catalog.update(entry, req.getBasedOnVersion());
      } catch (CatalogConflictException e) {
        throw CatalogRefusals.of(e);
      }
      changed.run();
      return CatalogViews.of(stored);
    });
  }

  @Override
  public void deprecateResource(DeprecateResourceRequest req, StreamObserver<CatalogueEntryView> out) {
    unary(out, () -> {
      NodeId caller = caller();
      LocalDate sunset;
      try {
        sunset = LocalDate.parse(req.getSunsetOn());
      } catch (DateTimeParseException e) {
        throw Refusals.invalid("sunset_on: expected a date YYYY-MM-DD, got \"" + req.getSunsetOn() + "\"");
      }
      requireProvider(caller, current(req.getResourceCode()), "deprecate");
      CatalogueEntry stored;
      try {
        stored = catalog.deprecate(req.getResourceCode(), sunset);
      } catch (CatalogConflictException e) {
        throw CatalogRefusals.of(e);
      }
      changed.run();
      return CatalogViews.of(stored);
    });
  }

  @Override
  public void getResource(GetResourceRequest req, StreamObserver<CatalogueEntryView> out) {
    unary(out, () -> {
      caller();
      Optional<CatalogueEntry> e =
          req.getVersion() == 0
              ? catalog.get(req.getResourceCode())
              : catalog.get(req.getResourceCode(), req.getVersion());
      CatalogueEntry found =
          e.orElseThrow(
              () -> Refusals.notFound(
                  "resource " + req.getResourceCode()
                      + (req.getVersion() == 0 ? "" : " version " + req.getVersion())
                      + " is not in the catalogue"));
      return CatalogViews.of(found);
    });
  }

  @Override
  public void listResources(ListResourcesRequest req, StreamObserver<ListResourcesResponse> out) {
    unary(out, () -> {
      caller();
      EntryStatus status = null;
      if (!req.getStatus().isEmpty()) {
        try {
          status = EntryStatus.valueOf(req.getStatus());
        } catch (IllegalArgumentException e) {
          throw Refusals.invalid("status: expected ACTIVE or DEPRECATED, got \"" + req.getStatus() + "\"");
        }
      }
      if (req.getPageSize() > MAX_PAGE) {
        throw Refusals.invalid("page_size: at most " + MAX_PAGE + ", got " + req.getPageSize());
      }
      int size = req.getPageSize() == 0 ? DEFAULT_PAGE : req.getPageSize();
      String after = req.getPageToken();
      List<CatalogueEntry> matching =
          catalog.list(new CatalogStore.Filter(req.getProviderPrefix().isEmpty() ? null : req.getProviderPrefix(), status))
              .stream()
              .filter(e -> e.resourceCode().compareTo(after) > 0)
              .limit(size + 1L)
              .toList();
      ListResourcesResponse.Builder b = ListResourcesResponse.newBuilder();
      matching.stream().limit(size).map(CatalogViews::of).forEach(b::addResources);
      if (matching.size() > size) {
        b.setNextPageToken(matching.get(size - 1).resourceCode());
      }
      return b.build();
    });
  }

  @Override
  public void resourceHistory(ResourceHistoryRequest req, StreamObserver<ListResourcesResponse> out) {
    unary(out, () -> {
      caller();
      List<CatalogueEntry> versions = catalog.history(req.getResourceCode());
      if (versions.isEmpty()) {
        throw Refusals.notFound("resource " + req.getResourceCode() + " is not in the catalogue");
      }
      ListResourcesResponse.Builder b = ListResourcesResponse.newBuilder();
      versions.stream().map(CatalogViews::of).forEach(b::addResources);
      return b.build();
    });
  }

  @Override
  public void requestAccess(RequestAccessRequest req, StreamObserver<AccessRequestView> out) {
    unary(out, () -> {
      NodeId caller = caller();
      if (req.getDurationDays() > Integer.MAX_VALUE) {
        throw Refusals.invalid("duration_days: at most " + AccessService.MAX_DURATION_DAYS);
      }
      AccessRequest filed;
      try {
        filed =
            access.request(
                caller,
                req.getResourceCode(),
                req.getFieldsList(),
                req.getPurposesList(),
                req.getLegalBasis(),
                (int) req.getDurationDays(),
                req.getExpectedDailyVolume());
      } catch (AccessException e) {
        throw CatalogRefusals.of(e);
      }
      return CatalogViews.of(filed);
    });
  }

  @Override
  public void decideAccess(DecideAccessRequest req, StreamObserver<AccessRequestView> out) {
    unary(out, () -> {
      NodeId caller = caller();
      AccessRequest pending =
          grants.request(req.getRequestId())
              .orElseThrow(() -> Refusals.notFound("no access request " + req.getRequestId()));
      requireProvider(caller, current(pending.resourceCode()), req.getApprove() ? "approve" : "reject");
      if (req.getSteward().isBlank()) {
        throw Refusals.invalid("steward: name the person deciding; it is recorded with the decision");
      }
      String by = caller + " (" + req.getSteward().strip() + ")";
      try {
        if (req.getApprove()) {
          access.approve(req.getRequestId(), by, req.getReason());
        } else {
          access.reject(req.getRequestId(), by, req.getReason());
        }
      } catch (AccessException e) {
        throw CatalogRefusals.of(e);
      }
      changed.run();
      return CatalogViews.of(grants.request(req.getRequestId()).orElseThrow());
    });
  }

  @Override
  public void listAccessRequests(ListAccessRequestsRequest req, StreamObserver<ListAccessRequestsResponse> out) {
    unary(out, () -> {
      NodeId caller = caller();
      AccessRequest.Status status = null;
      if (!req.getStatus().isEmpty()) {
        try {
          status = AccessRequest.Status.valueOf(req.getStatus());
        } catch (IllegalArgumentException e) {
          throw Refusals.invalid(
              "status: expected PENDING, APPROVED or REJECTED, got \"" + req.getStatus() + "\"");
        }
      }
      Providers providers = new Providers();
      ListAccessRequestsResponse.Builder b = ListAccessRequestsResponse.newBuilder();
      grants.requests(req.getResourceCodePrefix(), status).stream()
          .filter(r -> r.consumer().equals(caller) || providers.of(r.resourceCode()).equals(Optional.of(caller)))
          .map(CatalogViews::of)
          .forEach(b::addRequests);
      return b.build();
    });
  }

  @Override
  public void listGrants(ListGrantsRequest req, StreamObserver<ListGrantsResponse> out) {
    unary(out, () -> {
      NodeId caller = caller();
      Providers providers = new Providers();
      java.time.Instant now = clock.instant();
      ListGrantsResponse.Builder b = ListGrantsResponse.newBuilder();
      grants.grants(req.getResourceCodePrefix()).stream()
          .filter(g -> concerns(g, caller, providers))
          .filter(g -> !req.getInForceOnly() || g.activeAt(now))
          .map(CatalogViews::of)
          .forEach(b::addGrants);
      return b.build();
    });
  }

  @Override
  public void revokeGrant(RevokeGrantRequest req, StreamObserver<GrantView> out) {
    unary(out, () -> {
      NodeId caller = caller();
      Grant g = grants.grant(req.getGrantId()).orElseThrow(() -> Refusals.notFound("no grant " + req.getGrantId()));
      requireProvider(caller, current(g.resourceCode()), "revoke grants on");
      Grant revoked;
      try {
        revoked = access.revoke(req.getGrantId(), req.getReason());
      } catch (AccessException e) {
        throw CatalogRefusals.of(e);
      }
      changed.run();
      return CatalogViews.of(revoked);
    });
  }

  @Override
  public void watchChanges(WatchChangesRequest req, StreamObserver<CatalogChange> out) {
    NodeId caller;
    try {
      caller = caller();
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

  private boolean concerns(Grant g, NodeId caller, Providers providers) {
    return g.consumer().equals(caller) || providers.of(g.resourceCode()).equals(Optional.of(caller));
  }

  private CatalogueEntry current(String resourceCode) {
    return catalog.get(resourceCode)
        .orElseThrow(() -> Refusals.notFound("resource " + resourceCode + " is not in the catalogue"));
  }

  private static void requireProvider(NodeId caller, CatalogueEntry entry, String what) {
    NodeId provider = entry.provider().node();
    if (!provider.equals(caller)) {
      throw Refusals.denied(
          caller + " may not " + what + " resource " + entry.resourceCode() + ": only its provider "
              + provider + " may");
    }
  }

  private static CatalogueEntry parse(String document) {
    if (document.isBlank()) {
      throw Refusals.invalid("document: send the catalogue entry, in YAML or JSON");
    }
    if (document.length() > MAX_DOCUMENT_CHARS) {
      throw Refusals.invalid(
          "document: " + document.length() + " characters, more than the " + MAX_DOCUMENT_CHARS + " allowed");
    }
    try {
      return CatalogueEntries.parse(document, "entry");
    } catch (InvalidEntryException e) {
      throw CatalogRefusals.of(e);
    }
  }

  /**
   * Answers a unary call with what {@code call} returns, or with the refusal it throws; any
   * other failure is INTERNAL, logged here rather than shown to the caller.
   */
  private static <T> void unary(StreamObserver<T> out, Supplier<T> call) {
    T value;
    try {
      value = call.get();
    } catch (StatusRuntimeException e) {
      out.onError(e);
      return;
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "catalogue service failed", e);
      out.onError(Status.INTERNAL.withDescription("the hub's catalogue failed; see its log").asRuntimeException());
      return;
    }
    out.onNext(value);
    out.onCompleted();
  }

  /** Provider nodes of resources, looked up once per call. */
  private final class Providers {
    private final Map<String, Optional<NodeId>> known = new HashMap<>();

    Optional<NodeId> of(String resourceCode) {
      return known.computeIfAbsent(resourceCode, c -> catalog.get(c).map(e -> e.provider().node()));
    }
  }
}
