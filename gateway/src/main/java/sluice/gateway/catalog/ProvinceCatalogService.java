package sluice.gateway.catalog;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import sluice.crypto.NodeId;
import sluice.gateway.NodeChannels;
import sluice.gateway.Refusals;
import sluice.gateway.Relay;
import sluice.gateway.SluiceHeaders;
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
 * A provincial gateway's CatalogService: where its departments' stewards register entries and
 * decide on access. It admits only departments of its own province and forwards each call to
 * the national hub, naming the department, which holds the catalogue and decides.
 */
public final class ProvinceCatalogService extends CatalogServiceGrpc.CatalogServiceImplBase {
  private final NodeId self;
  private final NodeChannels channels;
  private final Duration defaultDeadline;

  /**
   * @param defaultDeadline for a unary call that arrives without a deadline
   */
  public ProvinceCatalogService(NodeId self, NodeChannels channels, Duration defaultDeadline) {
    if (!self.isProvince()) {
      throw new IllegalArgumentException(self + " is not a provincial gateway");
    }
    this.self = self;
    this.channels = channels;
    this.defaultDeadline = defaultDeadline;
  }

  @Override
  public void registerResource(RegisterResourceRequest req, StreamObserver<CatalogueEntryView> out) {
    unary(CatalogServiceGrpc.getRegisterResourceMethod(), req, out);
  }

  @Override
  public void updateResource(UpdateResourceRequest req, StreamObserver<CatalogueEntryView> out) {
    unary(CatalogServiceGrpc.getUpdateResourceMethod(), req, out);
  }

  @Override
  public void deprecateResource(DeprecateResourceRequest req, StreamObserver<CatalogueEntryView> out) {
    unary(CatalogServiceGrpc.getDeprecateResourceMethod(), req, out);
  }

  @Override
  public void getResource(GetResourceRequest req, StreamObserver<CatalogueEntryView> out) {
    unary(CatalogServiceGrpc.getGetResourceMethod(), req, out);
  }

  @Override
  public void listResources(ListResourcesRequest req, StreamObserver<ListResourcesResponse> out) {
    unary(CatalogServiceGrpc.getListResourcesMethod(), req, out);
  }

  @Override
  public void resourceHistory(ResourceHistoryRequest req, StreamObserver<ListResourcesResponse> out) {
    unary(CatalogServiceGrpc.getResourceHistoryMethod(), req, out);
  }

  @Override
  public void requestAccess(RequestAccessRequest req, StreamObserver<AccessRequestView> out) {
    unary(CatalogServiceGrpc.getRequestAccessMethod(), req, out);
  }

  @Override
  public void decideAccess(DecideAccessRequest req, StreamObserver<AccessRequestView> out) {
    unary(CatalogServiceGrpc.getDecideAccessMethod(), req, out);
  }

  @Override
  public void listAccessRequests(ListAccessRequestsRequest req, StreamObserver<ListAccessRequestsResponse> out) {
    unary(CatalogServiceGrpc.getListAccessRequestsMethod(), req, out);
  }

  @Override
  public void listGrants(ListGrantsRequest req, StreamObserver<ListGrantsResponse> out) {
    unary(CatalogServiceGrpc.getListGrantsMethod(), req, out);
  }

  @Override
  public void revokeGrant(RevokeGrantRequest req, StreamObserver<GrantView> out) {
    unary(CatalogServiceGrpc.getRevokeGrantMethod(), req, out);
  }

  @Override
  public void watchChanges(WatchChangesRequest req, StreamObserver<CatalogChange> out) {
    Channel hub = toHubOrRefuse(out);
    if (hub == null) {
      return;
    }
    // Made in this call's context: when the department cancels, the hub's stream is cancelled.
    ClientCalls.asyncServerStreamingCall(
        hub.newCall(CatalogServiceGrpc.getWatchChangesMethod(), CallOptions.DEFAULT), req, Relay.to(out, NodeId.NATIONAL, UnaryOperator.identity()));
  }

  private <Q, R> void unary(MethodDescriptor<Q, R> method, Q req, StreamObserver<R> out) {
    Channel hub = toHubOrRefuse(out);
    if (hub == null) {
      return;
    }
    CallOptions options = CallOptions.DEFAULT;
    if (Context.current().getDeadline() == null && !defaultDeadline.isZero()) {
      options = options.withDeadlineAfter(defaultDeadline.toMillis(), TimeUnit.MILLISECONDS);
    }
    ClientCalls.asyncUnaryCall(hub.newCall(method, options), req, Relay.to(out, NodeId.NATIONAL, UnaryOperator.identity()));
  }

  /** The hub as {@link #toHub}, or null after refusing the call on {@code out}. */
  private Channel toHubOrRefuse(StreamObserver<?> out) {
    try {
      return toHub();
    } catch (StatusRuntimeException e) {
      out.onError(e);
      return null;
    }
  }

  /** The hub, with the calling department named; refuses callers that are not its departments. */
  private Channel toHub() {
    NodeId peer = CallerIdentity.peer();
    if (!peer.isDepartment() || !peer.provinceOf().equals(self.provinceOf())) {
      throw Refusals.denied(
          "the catalogue service of " + self + " is for its own departments; " + peer + " must call "
              + peer.gateway().map(NodeId::toString).orElse("its own provincial gateway"));
    }
    if (CallerIdentity.assertedConsumer().filter(c -> !c.equals(peer.toString())).isPresent()) {
      throw Refusals.denied("department " + peer + " may not call on behalf of another department");
    }
    Metadata headers = new Metadata();
    headers.put(SluiceHeaders.CONSUMER, peer.toString());
    return ClientInterceptors.intercept(
        channels.to(NodeId.NATIONAL), MetadataUtils.newAttachHeadersInterceptor(headers));
  }
}
