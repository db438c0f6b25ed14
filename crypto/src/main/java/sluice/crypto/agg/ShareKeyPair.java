package sluice.crypto.agg;

import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * One participant's X25519 key pair for one secure-aggregation session: it agrees a pairwise mask
 * with each other participant, then is destroyed. Never reuse it across sessions.
 */
public final class ShareKeyPair {
  private final byte[] privateKey = new byte[X25519.SCALAR_SIZE];
  private final byte[] publicKey = new byte[X25519.POINT_SIZE];

  public ShareKeyPair(SecureRandom random) {
    X25519.generatePrivateKey(random, privateKey);
    X25519.generatePublicKey(privateKey, 0, publicKey, 0);
  }

  public byte[] publicKey() {
    return publicKey.clone();
  }

  /**
   * The X25519 shared secret with {@code peerPublicKey}.
   *
   * @throws IllegalArgumentException when the peer's key is malformed or of low order
   */
  byte[] agree(byte[] peerPublicKey) {
    if (peerPublicKey.length != X25519.POINT_SIZE) {
      throw new IllegalArgumentException("an X25519 public key is 32 bytes, not " + peerPublicKey.length);
    }
    byte[] shared = new byte[X25519.POINT_SIZE];
    if (!X25519.calculateAgreement(privateKey, 0, peerPublicKey, 0, shared, 0)) {
      throw new IllegalArgumentException("a low-order X25519 public key");
    }
    return shared;
  }

  /** Zeroes the private key. */
  public void destroy() {
    Arrays.fill(privateKey, (byte) 0);
  }
}
