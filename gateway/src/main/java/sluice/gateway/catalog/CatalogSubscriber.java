package sluice.gateway.catalog;

import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import sluice.catalog.snapshot.SignedSnapshot;
import sluice.catalog.snapshot.SnapshotRejectedException;
import sluice.catalog.snapshot.SnapshotVerifier;
import sluice.crypto.NodeId;
import sluice.gateway.NodeChannels;
import sluice.v1.FederationServiceGrpc;
import sluice.v1.SignedCatalogSnapshot;
import sluice.v1.WatchCatalogRequest;

/**
 * A provincial gateway's side of catalogue distribution: watches the hub's snapshots, applies
 * each one that verifies, and reconnects after a pause when the hub is unreachable, meanwhile
 * deciding from the last snapshot applied. {@code onApplied} runs after each snapshot applied.
 */
public final class CatalogSubscriber implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(CatalogSubscriber.class.getName());

  private final NodeId self;
  private final NodeChannels channels;
  private final SnapshotVerifier verifier;
  private final ScheduledExecutorService scheduler;
  private final Duration retry;
  private final Runnable onApplied;
  private volatile Context.CancellableContext watch;
  private volatile boolean closed;
  private volatile long warnedAt;
  private final long createdAt = System.nanoTime();

  public CatalogSubscriber(
      NodeId self,
      NodeChannels channels,
      SnapshotVerifier verifier,
      ScheduledExecutorService scheduler,
      Duration retry,
      Runnable onApplied) {
    this.self = self;
    this.onApplied = onApplied;
    this.channels = channels;
    this.verifier = verifier;
    this.scheduler = scheduler;
    this.retry = retry;
  }

  /** Starts watching; returns at once. */
  public void start() {
    if (closed) {
      return;
    }
    Context.CancellableContext ctx = Context.ROOT.withCancellation();
    watch = ctx;
    long known = verifier.applied().map(s -> s.version()).orElse(0L);
    try {
      ctx.run(
        () ->
            FederationServiceGrpc.newStub(channels.to(NodeId.NATIONAL))
                .watchCatalog(
                    WatchCatalogRequest.newBuilder().setKnownVersion(known).build(),
                    new StreamObserver<>() {
                      @Override
                      public void onNext(SignedCatalogSnapshot s) {
                        try {
                          verifier.apply(
                              new SignedSnapshot(
                                  s.getBody().toByteArray(),
                                  s.getSignature().toByteArray(),
                                  s.getSignerChainList().stream().map(b -> b.toByteArray()).toList()));
                          onApplied.run();
                        } catch (SnapshotRejectedException e) {
                          LOG.log(Level.WARNING, self + ": catalogue snapshot rejected: " + e.getMessage());
                          if (e.needsFull()) {
                            // Missed a version: watch again from what is applied; the hub
                            // answers with the whole current snapshot.
                            ctx.cancel(null);
                          }
                        }
                      }

                      @Override
                      public void onError(Throwable t) {
                        io.grpc.Status st = io.grpc.Status.fromThrowable(t);
                        lost(st.getCode() + (st.getDescription() == null ? "" : ": " + st.getDescription()));
                        again();
                      }

                      @Override
                      public void onCompleted() {
                        again();
                      }
                    }));
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, self + ": cannot watch the hub's catalogue: " + e.getMessage());
      again();
    }
  }

  /** Says (at most once a minute) that the gateway decides from an aging snapshot, and how old. */
  private void lost(String why) {
    long now = System.nanoTime();
    if (closed || (warnedAt != 0 && now - warnedAt < 60_000_000_000L)) {
      return;
    }
    if (verifier.applied().isEmpty() && now - createdAt < 10_000_000_000L) {
      return; // Starting up: the hub may simply not be up yet.
    }
    warnedAt = now;
    String basis =
        verifier.applied()
            .map(a -> "snapshot v" + a.version() + " issued " + a.issuedAt() + " ("
                + verifier.age(java.time.Instant.now()).orElseThrow().toSeconds() + " s old)")
            .orElse("no snapshot");
    LOG.log(Level.WARNING, self + ": lost the hub's catalogue feed (" + why + "); deciding from " + basis
        + " until it is back; every answer's trailers say how old it is");
  }

  private void again() {
    if (!closed) {
      scheduler.schedule(this::start, retry.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void close() {
    closed = true;
    Context.CancellableContext ctx = watch;
    if (ctx != null) {
      ctx.cancel(null);
    }
  }
}
