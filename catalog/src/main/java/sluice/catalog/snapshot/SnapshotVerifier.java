package sluice.catalog.snapshot;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import sluice.crypto.NodeId;
import sluice.crypto.Sm2;
import sluice.crypto.pki.SigningChains;

/**
 * A gateway's side: applies a snapshot only if the national hub signed it (SM2, chain to a
 * federation root) and its version is newer than the one applied, so neither a forged nor a
 * replayed or rolled-back snapshot takes effect. Remembers the last applied snapshot, from which
 * the gateway keeps deciding while cut off from the hub. Thread-safe.
 */
public final class SnapshotVerifier {
  private final List<X509Certificate> roots;
  private final Clock clock;
  private volatile CatalogSnapshot applied;

  public SnapshotVerifier(List<X509Certificate> roots, Clock clock) {
    this.roots = List.copyOf(roots);
    this.clock = clock;
  }

  /**
   * Verifies {@code signed} and makes it the applied snapshot.
   *
   * @throws SnapshotRejectedException naming the failed check; the applied snapshot is unchanged
   */
  public synchronized CatalogSnapshot apply(SignedSnapshot signed) throws SnapshotRejectedException {
    List<X509Certificate> chain;
    NodeId signer;
    try {
      chain = SigningChains.parse(signed.signerChain());
      signer = SigningChains.validate(chain, roots, clock.instant());
    } catch (CertificateException e) {
      throw new SnapshotRejectedException("snapshot signer: " + e.getMessage());
    }
    if (!signer.isHub()) {
      throw new SnapshotRejectedException("snapshot was signed by " + signer + ", not by the national hub");
    }
    if (!Sm2.verifier(chain.get(0).getPublicKey()).verify(signed.body(), signed.signature())) {
      throw new SnapshotRejectedException("snapshot signature does not verify");
    }
    CatalogSnapshot next = SnapshotCodec.decode(signed.body());
    CatalogSnapshot current = applied;
    if (current != null && next.version() <= current.version()) {
      throw new SnapshotRejectedException(
          "snapshot version " + next.version() + " is not newer than the applied version " + current.version()
              + ": a replayed or rolled-back snapshot");
    }
    applied = next;
    return next;
  }

  /** The last snapshot applied, if any. */
  public Optional<CatalogSnapshot> applied() {
    return Optional.ofNullable(applied);
  }

  /** How old the applied snapshot is at {@code now}; empty before the first. */
  public Optional<Duration> age(Instant now) {
    CatalogSnapshot s = applied;
    return s == null ? Optional.empty() : Optional.of(Duration.between(s.issuedAt(), now));
  }
}
