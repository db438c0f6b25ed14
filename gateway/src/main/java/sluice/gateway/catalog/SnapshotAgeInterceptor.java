package sluice.gateway.catalog;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.time.Clock;
import java.time.Duration;
import sluice.catalog.snapshot.CatalogSnapshot;
import sluice.catalog.snapshot.SnapshotVerifier;
import sluice.crypto.NodeId;
import sluice.gateway.SluiceHeaders;

/**
 * Tells every caller of an enforcing gateway which catalogue snapshot it decided from and how old
 * that snapshot is ({@link SluiceHeaders#CATALOG_SNAPSHOT} in the trailers), so a gateway cut
 * off from the hub says so on every answer rather than deciding silently from old grants.
 */
public final class SnapshotAgeInterceptor implements ServerInterceptor {
  private final NodeId self;
  private final SnapshotVerifier snapshots;
  private final Clock clock;

  public SnapshotAgeInterceptor(NodeId self, SnapshotVerifier snapshots, Clock clock) {
    this.self = self;
    this.snapshots = snapshots;
    this.clock = clock;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    return next.startCall(
        new SimpleForwardingServerCall<>(call) {
          @Override
          public void close(Status status, Metadata trailers) {
            snapshots.applied().ifPresent(s -> trailers.put(SluiceHeaders.CATALOG_SNAPSHOT, describe(s)));
            super.close(status, trailers);
          }
        },
        headers);
  }

  private String describe(CatalogSnapshot s) {
    Duration age = Duration.between(s.issuedAt(), clock.instant());
    return self + " v" + s.version() + " issued " + s.issuedAt() + " age " + Math.max(0, age.toMillis()) + " ms";
  }
}
