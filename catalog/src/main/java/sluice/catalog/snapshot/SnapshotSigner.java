package sluice.catalog.snapshot;

import java.security.cert.X509Certificate;
import java.util.List;
import sluice.crypto.Signer;
import sluice.crypto.pki.SigningChains;

/** The national hub's side: encodes a snapshot (or the changes since the last one) canonically and signs it with SM2. Thread-safe. */
public final class SnapshotSigner {
  private final Signer signer;
  private final List<byte[]> chain;

  /**
   * @param signer the hub's SM2 signer
   * @param chain the hub's signing certificate chain, leaf first, without the root
   */
  public SnapshotSigner(Signer signer, List<X509Certificate> chain) {
    this.signer = signer;
    this.chain = List.copyOf(SigningChains.encode(chain));
  }

  /** The whole snapshot, for a gateway that has none or has fallen behind. */
  public SignedSnapshot sign(CatalogSnapshot snapshot) {
    byte[] body = SnapshotCodec.encode(snapshot);
    return new SignedSnapshot(body, signer.sign(body), chain);
  }

  /**
   * Only what changed from {@code base} to {@code next}, for gateways that applied {@code base}:
   * a revocation travels as one grant, not the whole catalogue.
   */
  public SignedSnapshot signDelta(CatalogSnapshot base, CatalogSnapshot next) {
    if (next.version() <= base.version()) {
      throw new IllegalArgumentException("version " + next.version() + " does not follow " + base.version());
    }
    byte[] body = SnapshotCodec.encodeDelta(base, next);
    return new SignedSnapshot(body, signer.sign(body), chain);
  }
}
