package sluice.gateway.catalog;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import sluice.catalog.entry.CatalogueEntries;
import sluice.catalog.entry.CatalogueEntry;
import sluice.catalog.entry.EntryStatus;
import sluice.catalog.entry.InvalidEntryException;
import sluice.catalog.entry.Mask;
import sluice.catalog.grant.AccessException;
import sluice.catalog.grant.AccessRequest;
import sluice.catalog.grant.AccessService;
import sluice.catalog.grant.Grant;
import sluice.catalog.grant.GrantStore;
import sluice.catalog.store.CatalogConflictException;
import sluice.catalog.store.CatalogStore;
import sluice.crypto.NodeId;
import sluice.gateway.Refusals;
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
 * What the stewards' CatalogService does, on the hub's catalogue and grant stores, for one
 * {@link Actor}: a department (only a resource's provider may change it or decide on access to
 * it) or the hub's operator. Refusals are thrown as StatusRuntimeException with a message a
 * person can act on. The hub serves this over gRPC ({@link HubCatalogService}); the hub
 * operator's CLI calls it directly.
 */
public final class CatalogOperations {
  /** Largest entry document accepted (an entry with hundreds of fields is a few tens of KiB). */
  static final int MAX_DOCUMENT_CHARS = 256 * 1024;

  static final int DEFAULT_PAGE = 100;
  static final int MAX_PAGE = 1000;

  private final CatalogStore catalog;
  private final GrantStore grants;
  private final AccessService access;
  private final Runnable changed;
  private final Clock clock;

  /**
   * @param changed called after every stored change (the hub's feed publishes a snapshot)
   */
  public CatalogOperations(
      CatalogStore catalog, GrantStore grants, AccessService access, Runnable changed, Clock clock) {
    this.catalog = catalog;
    this.grants = grants;
    this.access = access;
    this.changed = changed;
    this.clock = clock;
  }

  public CatalogueEntryView registerResource(Actor actor, RegisterResourceRequest req) {
    CatalogueEntry entry = parse(req.getDocument());
    requireProvider(actor, entry, "register");
    CatalogueEntry stored;
    try {
      stored = catalog.register(entry);
    } catch (CatalogConflictException e) {
      throw CatalogRefusals.of(e);
    }
    changed.run();
    return CatalogViews.of(stored);
  }

  public CatalogueEntryView updateResource(Actor actor, UpdateResourceRequest req) {
    CatalogueEntry entry = parse(req.getDocument());
    if (req.getBasedOnVersion() == 0) {
      throw Refusals.invalid("based_on_version: name the version you edited (see catalog show)");
    }
    requireProvider(actor, current(entry.resourceCode()), "update");
    requireProvider(actor, entry, "update");
    CatalogueEntry stored;
    try {
      stored = catalog.update(entry, req.getBasedOnVersion());
    } catch (CatalogConflictException e) {
      throw CatalogRefusals.of(e);
    }
    changed.run();
    return CatalogViews.of(stored);
  }

  public CatalogueEntryView deprecateResource(Actor actor, DeprecateResourceRequest req) {
    LocalDate sunset;
    try {
      sunset = LocalDate.parse(req.getSunsetOn());
    } catch (DateTimeParseException e) {
      throw Refusals.invalid("sunset_on: expected a date YYYY-MM-DD, got \"" + req.getSunsetOn() + "\"");
    }
    requireProvider(actor, current(req.getResourceCode()), "deprecate");
    CatalogueEntry stored;
    try {
      stored = catalog.deprecate(req.getResourceCode(), sunset);
    } catch (CatalogConflictException e) {
      throw CatalogRefusals.of(e);
    }
    changed.run();
    return CatalogViews.of(stored);
  }

  public CatalogueEntryView getResource(Actor actor, GetResourceRequest req) {
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
  }

  public ListResourcesResponse listResources(Actor actor, ListResourcesRequest req) {
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
  }

  public ListResourcesResponse resourceHistory(Actor actor, ResourceHistoryRequest req) {
    List<CatalogueEntry> versions = catalog.history(req.getResourceCode());
    if (versions.isEmpty()) {
      throw Refusals.notFound("resource " + req.getResourceCode() + " is not in the catalogue");
    }
    ListResourcesResponse.Builder b = ListResourcesResponse.newBuilder();
    versions.stream().map(CatalogViews::of).forEach(b::addResources);
    return b.build();
  }

  public AccessRequestView requestAccess(Actor actor, RequestAccessRequest req) {
    if (req.getDurationDays() > Integer.MAX_VALUE) {
      throw Refusals.invalid("duration_days: at most " + AccessService.MAX_DURATION_DAYS);
    }
    AccessRequest filed;
    try {
      filed =
          access.request(
              actor.consumer(),
              req.getResourceCode(),
              req.getFieldsList(),
              req.getPurposesList(),
              req.getLegalBasis(),
              (int) req.getDurationDays(),
              req.getExpectedDailyVolume(),
              req.getQuery(),
              masks(req.getMasksMap()));
    } catch (AccessException e) {
      throw CatalogRefusals.of(e);
    }
    if (filed.status() == AccessRequest.Status.APPROVED) {
      changed.run(); // the entry needs no approval: its grant was issued as the request was filed
    }
    return CatalogViews.of(filed);
  }

  public AccessRequestView decideAccess(Actor actor, DecideAccessRequest req) {
    AccessRequest pending =
        grants.request(req.getRequestId())
            .orElseThrow(() -> Refusals.notFound("no access request " + req.getRequestId()));
    requireProvider(actor, current(pending.resourceCode()), req.getApprove() ? "approve" : "reject");
    if (req.getSteward().isBlank()) {
      throw Refusals.invalid("steward: name the person deciding; it is recorded with the decision");
    }
    String by = actor.name() + " (" + req.getSteward().strip() + ")";
    try {
      if (req.getApprove()) {
        access.approve(
            req.getRequestId(), by, req.getReason(),
            req.getSameProvinceField().isEmpty() ? null : req.getSameProvinceField());
      } else {
        access.reject(req.getRequestId(), by, req.getReason());
      }
    } catch (AccessException e) {
      throw CatalogRefusals.of(e);
    }
    changed.run();
    return CatalogViews.of(grants.request(req.getRequestId()).orElseThrow());
  }

  public ListAccessRequestsResponse listAccessRequests(Actor actor, ListAccessRequestsRequest req) {
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
        .filter(r -> actor.concerned(r.consumer(), providers.of(r.resourceCode())))
        .map(CatalogViews::of)
        .forEach(b::addRequests);
    return b.build();
  }

  public ListGrantsResponse listGrants(Actor actor, ListGrantsRequest req) {
    Providers providers = new Providers();
    Instant now = clock.instant();
    ListGrantsResponse.Builder b = ListGrantsResponse.newBuilder();
    grants.grants(req.getResourceCodePrefix()).stream()
        .filter(g -> actor.concerned(g.consumer(), providers.of(g.resourceCode())))
        .filter(g -> !req.getInForceOnly() || g.activeAt(now))
        .map(CatalogViews::of)
        .forEach(b::addGrants);
    return b.build();
  }

  public GrantView revokeGrant(Actor actor, RevokeGrantRequest req) {
    Grant g = grants.grant(req.getGrantId()).orElseThrow(() -> Refusals.notFound("no grant " + req.getGrantId()));
    requireProvider(actor, current(g.resourceCode()), "revoke grants on");
    Grant revoked;
    try {
      revoked = access.revoke(req.getGrantId(), req.getReason());
    } catch (AccessException e) {
      throw CatalogRefusals.of(e);
    }
    changed.run();
    return CatalogViews.of(revoked);
  }

  private static Map<String, Mask> masks(Map<String, String> names) {
    Map<String, Mask> out = new HashMap<>();
    names.forEach(
        (field, name) -> {
          try {
            out.put(field, Mask.valueOf(name));
          } catch (IllegalArgumentException e) {
            throw Refusals.invalid("masks[" + field + "]: unknown mask \"" + name + "\"");
          }
        });
    return out;
  }

  private CatalogueEntry current(String resourceCode) {
    return catalog.get(resourceCode)
        .orElseThrow(() -> Refusals.notFound("resource " + resourceCode + " is not in the catalogue"));
  }

  private static void requireProvider(Actor actor, CatalogueEntry entry, String what) {
    NodeId provider = entry.provider().node();
    if (!actor.mayActFor(provider)) {
      throw Refusals.denied(
          actor.name() + " may not " + what + " resource " + entry.resourceCode() + ": only its provider "
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

  /** Provider nodes of resources, looked up once per call. */
  private final class Providers {
    private final Map<String, Optional<NodeId>> known = new HashMap<>();

    Optional<NodeId> of(String resourceCode) {
      return known.computeIfAbsent(resourceCode, c -> catalog.get(c).map(e -> e.provider().node()));
    }
  }
}
