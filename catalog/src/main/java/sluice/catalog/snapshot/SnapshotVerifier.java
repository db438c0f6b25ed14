package sluice.catalog.snapshot;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import sluice.catalog.entry.CatalogueEntry;
import sluice.catalog.grant.Grant;
import sluice.crypto.NodeId;
import sluice.crypto.Sm2;
import sluice.crypto.pki.SigningChains;

/**
 * A gateway's side: applies a snapshot only if the national hub signed it (SM2, chain to a
 * federation root) and its version is newer than the one applied, so neither a forged nor a
 * replayed or rolled-back snapshot takes effect. A delta applies only on top of the version it
 * was made from. Remembers the last applied snapshot, from which
 * the gateway keeps deciding while cut off from the hub. Thread-safe.
 */
public final class SnapshotVerifier {
  private final List<X509Certificate> roots;
  private final Clock clock;
  private volatile CatalogSnapshot applied;
  private List<byte[]> knownChain;
  private NodeId knownSigner;
  private Instant knownUntil;
  private sluice.crypto.pki.RevocationList knownAgainst;
  private final sluice.crypto.pki.Revocations revocations;

  public SnapshotVerifier(List<X509Certificate> roots, Clock clock) {
    this(roots, clock, sluice.crypto.pki.Revocations.none());
  }

  /** A verifier that also rejects snapshots signed under a certificate {@code revocations} lists. */
  public SnapshotVerifier(List<X509Certificate> roots, Clock clock, sluice.crypto.pki.Revocations revocations) {
    this.roots = List.copyOf(roots);
    this.clock = clock;
    this.revocations = revocations;
  }

  /**
   * Verifies {@code signed} and makes it the applied snapshot.
   *
   * @throws SnapshotRejectedException naming the failed check; the applied snapshot is unchanged
   */
  public synchronized CatalogSnapshot apply(SignedSnapshot signed) throws SnapshotRejectedException {
    List<X509Certificate> chain;
    try {
      chain = SigningChains.parse(signed.signerChain());
    } catch (CertificateException e) {
      throw new SnapshotRejectedException("snapshot signer: " + e.getMessage());
    }
    NodeId signer = validatedSigner(signed.signerChain(), chain);
    if (!signer.isHub()) {
      throw new SnapshotRejectedException("snapshot was signed by " + signer + ", not by the national hub");
    }
    if (!Sm2.verifier(chain.get(0).getPublicKey()).verify(signed.body(), signed.signature())) {
      throw new SnapshotRejectedException("snapshot signature does not verify");
    }
    SnapshotCodec.Decoded decoded = SnapshotCodec.decode(signed.body());
    CatalogSnapshot current = applied;
    CatalogSnapshot next = decoded.content();
    if (current != null && next.version() <= current.version()) {
      throw new SnapshotRejectedException(
          "snapshot version " + next.version() + " is not newer than the applied version " + current.version()
              + ": a replayed or rolled-back snapshot");
    }
    if (decoded.isDelta()) {
      if (current == null || current.version() != decoded.baseVersion()) {
        throw new SnapshotRejectedException(
            "delta snapshot " + next.version() + " changes version " + decoded.baseVersion() + ", but this gateway"
                + " holds " + (current == null ? "none" : "version " + current.version()) + "; it needs the whole snapshot",
            true);
      }
      next = merge(current, next);
    }
    applied = next;
    return next;
  }

  /** {@code base} with the entries and grants of {@code changes} put in (by code and by id). */
  private static CatalogSnapshot merge(CatalogSnapshot base, CatalogSnapshot changes) {
    Map<String, CatalogueEntry> entries = new LinkedHashMap<>();
    base.entries().forEach(e -> entries.put(e.resourceCode(), e));
    changes.entries().forEach(e -> entries.put(e.resourceCode(), e));
    Map<String, Grant> grants = new LinkedHashMap<>();
    base.grants().forEach(g -> grants.put(g.id(), g));
    changes.grants().forEach(g -> grants.put(g.id(), g));
    return new CatalogSnapshot(
        changes.version(), changes.issuedAt(), new ArrayList<>(entries.values()), new ArrayList<>(grants.values()));
  }

  /**
   * The node that signed with {@code chain}, validated up to a federation root; the result for
   * the chain seen last is reused until its first certificate expires.
   */
  private NodeId validatedSigner(List<byte[]> der, List<X509Certificate> chain) throws SnapshotRejectedException {
    Instant now = clock.instant();
    sluice.crypto.pki.RevocationList revoked = revocations.current();
    if (knownSigner != null && sameChain(der, knownChain) && now.isBefore(knownUntil) && knownAgainst == revoked) {
      return knownSigner;
    }
    NodeId signer;
    try {
      signer = SigningChains.validate(chain, roots, now);
      revoked.check(chain.toArray(new X509Certificate[0]), roots);
    } catch (CertificateException e) {
      throw new SnapshotRejectedException("snapshot signer: " + e.getMessage());
    }
    knownAgainst = revoked;
    knownChain = der;
    knownSigner = signer;
    knownUntil = chain.stream().map(c -> c.getNotAfter().toInstant()).min(Instant::compareTo).orElse(now);
    return signer;
  }

  private static boolean sameChain(List<byte[]> a, List<byte[]> b) {
    if (b == null || a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!Arrays.equals(a.get(i), b.get(i))) {
        return false;
      }
    }
    return true;
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
