package sluice.gateway;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import io.grpc.Metadata;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.MetadataUtils;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import sluice.catalog.ResourceCatalog;
import sluice.catalog.ResourceDescriptor;
import sluice.crypto.NodeId;
import sluice.gateway.audit.AuditedCall;
import sluice.gateway.identity.CallerIdentity;
import sluice.gateway.policy.AccessPolicy;
import sluice.gateway.policy.ConsumerRateLimit;
import sluice.gateway.policy.Enforcement;
import sluice.v1.RequestContext;
import sluice.v1.RowScope;

/**
 * Admission, resource resolution and routing, shared by every service a gateway relays (Verify,
 * Query, BatchVerify, Intersect): who the consumer is, which resource and catalogue version the
 * call concerns, where it goes next with which headers, and the access checks it must pass there.
 */
final class CallRouting {
  private final NodeId self;
  private final Admission admission;
  private final Router router;
  private final ResourceCatalog catalog;
  private final NodeChannels channels;
  private final Enforcement enforcement;
  private final ConsumerRateLimit rateLimit;

  /**
   * @param enforcement the access policy to apply, or null for none (the hub: directory only)
   * @param rateLimit the burst limit per consumer on calls this gateway hands to its
   *     departments, or null for none
   */
  CallRouting(NodeId self, ResourceCatalog catalog, NodeChannels channels, Enforcement enforcement,
      ConsumerRateLimit rateLimit) {
    this.self = self;
    this.catalog = catalog;
    this.channels = channels;
    this.enforcement = self.isHub() ? null : enforcement;
    this.rateLimit = rateLimit;
    this.admission = new Admission(self);
    this.router = new Router(self);
  }

  /** The consumer a call is for: the calling department, or the one a forwarding node names. */
  NodeId consumer() {
    return admission.consumer(CallerIdentity.peer(), CallerIdentity.assertedConsumer());
  }

  NodeId self() {
    return self;
  }

  ResourceCatalog catalog() {
    return catalog;
  }

  /** Admits the caller of a call on {@code resourceCode} and opens its route, recording both in {@code call}. */
  Hop admit(String resourceCode, RequestContext context, AuditedCall call) {
    return admit(resourceCode, context, call, false);
  }

  /**
   * As {@link #admit(String, RequestContext, AuditedCall)}; with {@code hubOriginated}, for a call
   * only the hub makes (an aggregation round), whose consumer may be of this very province.
   */
  Hop admit(String resourceCode, RequestContext context, AuditedCall call, boolean hubOriginated) {
    NodeId peer = CallerIdentity.peer();
    call.caller(CallerIdentity.assertedConsumer().filter(c -> !peer.isDepartment()).orElse(peer.toString()));
    NodeId consumer = hubOriginated
        ? admission.consumerOfHubCall(peer, CallerIdentity.assertedConsumer())
        : admission.consumer(peer, CallerIdentity.assertedConsumer());
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
        channels.to(next),
        MetadataUtils.newAttachHeadersInterceptor(headers),
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
        },
        elements -> {
          limit(consumer, next);
          return enforcement == null
              ? null
              : enforcement.checkIntersect(consumer, resource.code(), context.getPurposeCode(), elements);
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

  /** The caller's request id when it gave a usable one, else a fresh one. */
  static String requestIdFor(RequestContext context) {
    String given = context.getRequestId();
    return given.isEmpty() || !given.chars().allMatch(c -> c > 0x20 && c < 0x7f)
        ? UUID.randomUUID().toString()
        : given;
  }
}
