package sluice.gateway.catalog;

import com.google.protobuf.ByteString;
import io.grpc.stub.ServerCallStreamObserver;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import sluice.catalog.entry.CatalogueEntry;
import sluice.catalog.grant.Grant;
import sluice.catalog.snapshot.CatalogSnapshot;
import sluice.catalog.snapshot.SignedSnapshot;
import sluice.catalog.snapshot.SnapshotSigner;
import sluice.v1.SignedCatalogSnapshot;

/**
 * The national hub's side of catalogue distribution: signs each new catalogue state as the next
 * snapshot and pushes it to every watching gateway, as a delta (only what changed) to gateways
 * that hold the previous version and whole to a gateway that connects. Versions never go back, across restarts too
 * (a version is at least the publication time in milliseconds). Thread-safe.
 */
public final class CatalogPublisher {
  private final SnapshotSigner signer;
  private final Clock clock;
  private final Set<ServerCallStreamObserver<SignedCatalogSnapshot>> watchers = ConcurrentHashMap.newKeySet();
  private final Set<BiConsumer<CatalogSnapshot, CatalogSnapshot>> listeners = ConcurrentHashMap.newKeySet();
  private long version;
  private SignedCatalogSnapshot current;
  private CatalogSnapshot latest;

  public CatalogPublisher(SnapshotSigner signer, Clock clock) {
    this.signer = signer;
    this.clock = clock;
  }

  /** Publishes the catalogue state as a new snapshot and returns its version. */
  public synchronized long publish(List<CatalogueEntry> entries, List<Grant> grants) {
    Instant now = clock.instant();
    version = Math.max(version + 1, now.toEpochMilli());
    CatalogSnapshot previous = latest;
    latest = new CatalogSnapshot(version, now, entries, grants);
    // Watchers hold the previous version: they get only what changed. The whole snapshot is
    // signed when a gateway that needs it connects.
    current = null;
    if (!watchers.isEmpty()) {
      SignedCatalogSnapshot update = previous == null ? full() : toWire(signer.signDelta(previous, latest));
      for (ServerCallStreamObserver<SignedCatalogSnapshot> w : watchers) {
        send(w, update);
      }
    }
    for (BiConsumer<CatalogSnapshot, CatalogSnapshot> l : listeners) {
      l.accept(previous, latest);
    }
    return version;
  }

  /**
   * Calls {@code start} with the snapshot published last (if any), then {@code each} with
   * (previous, new) for every snapshot published from now on, in order and never concurrently.
   * Close the returned handle to stop.
   */
  public synchronized AutoCloseableListener listen(
      Consumer<Optional<CatalogSnapshot>> start, BiConsumer<CatalogSnapshot, CatalogSnapshot> each) {
    start.accept(Optional.ofNullable(latest));
    listeners.add(each);
    return () -> listeners.remove(each);
  }

  /** A listener's registration; closing it stops the calls. */
  public interface AutoCloseableListener extends AutoCloseable {
    @Override
    void close();
  }

  /** Adds a watcher; it gets the current snapshot now if it is newer than {@code knownVersion}. */
  public synchronized void watch(long knownVersion, ServerCallStreamObserver<SignedCatalogSnapshot> watcher) {
    watcher.setOnCancelHandler(() -> watchers.remove(watcher));
    watchers.add(watcher);
    if (latest != null && version > knownVersion) {
      send(watcher, full());
    }
  }

  /** The whole latest snapshot, signed once per version. */
  private SignedCatalogSnapshot full() {
    if (current == null) {
      current = toWire(signer.sign(latest));
    }
    return current;
  }

  /**
   * Ends every watch cleanly (the hub is stopping): gateways see the stream complete rather than
   * fail, and keep deciding from what they hold until they reconnect.
   */
  public synchronized void endWatches() {
    for (ServerCallStreamObserver<SignedCatalogSnapshot> w : watchers) {
      if (!w.isCancelled()) {
        w.onCompleted();
      }
    }
    watchers.clear();
  }

  /** Gateways currently watching. */
  public int watchers() {
    return watchers.size();
  }

  private void send(ServerCallStreamObserver<SignedCatalogSnapshot> w, SignedCatalogSnapshot s) {
    if (w.isCancelled()) {
      watchers.remove(w);
      return;
    }
    w.onNext(s);
  }

  private static SignedCatalogSnapshot toWire(SignedSnapshot s) {
    SignedCatalogSnapshot.Builder b =
        SignedCatalogSnapshot.newBuilder()
            .setBody(ByteString.copyFrom(s.body()))
            .setSignature(ByteString.copyFrom(s.signature()));
    s.signerChain().forEach(c -> b.addSignerChain(ByteString.copyFrom(c)));
    return b.build();
  }
}
