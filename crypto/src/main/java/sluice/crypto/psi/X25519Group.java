package sluice.crypto.psi;

import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * The PSI group of X25519 (RFC 7748): an element hashes to 32 bytes of SHA-256 taken directly as
 * a u-coordinate (the DIRECT_HASH_AS_POINT_X of the SecretFlow interconnection protocol), and a
 * key is applied by X25519's constant-time Montgomery ladder with the key clamped. Clamping makes
 * every key a multiple of the cofactor, so [a][b]P = [b][a]P holds for u on the curve or its
 * twist, and small-subgroup components vanish; a result of all zeros (a low-order input) is
 * refused. The ladder is an {@link X25519Engine}'s: OpenSSL's where it loads, else BouncyCastle's.
 */
final class X25519Group implements PsiGroup {
  private final PsiSuite suite;
  private final X25519Engine engine;

  X25519Group(PsiSuite suite, X25519Engine engine) {
    this.suite = suite;
    this.engine = engine;
  }

  /** Who computes the ladder. */
  X25519Engine engine() {
    return engine;
  }

  @Override
  public PsiSuite suite() {
    return suite;
  }

  @Override
  public int pointLength() {
    return X25519.POINT_SIZE;
  }

  @Override
  public PsiKey newKey(SecureRandom random) {
    byte[] k = new byte[X25519.SCALAR_SIZE];
    X25519.generatePrivateKey(random, k);
    try {
      return new PsiKey(suite, engine.prepare(k));
    } finally {
      Arrays.fill(k, (byte) 0);
    }
  }

  @Override
  public byte[] mask(PsiKey key, byte[] element) {
    SHA256Digest sha = new SHA256Digest();
    sha.update(element, 0, element.length);
    byte[] u = new byte[32];
    sha.doFinal(u, 0);
    byte[] out = ladder(key, u);
    if (out == null) {
      throw new IllegalStateException("an element hashed to a low-order u-coordinate");
    }
    return out;
  }

  @Override
  public byte[] remask(PsiKey key, byte[] point) throws InvalidPointException {
    if (point.length != X25519.POINT_SIZE) {
      throw new InvalidPointException("an X25519 element is 32 bytes; got " + point.length);
    }
    byte[] out = ladder(key, point);
    if (out == null) {
      throw new InvalidPointException("a low-order X25519 element (the result would be all zeros)");
    }
    return out;
  }

  @Override
  public byte[] unblind(PsiKey key, byte[] point) {
    throw new UnsupportedOperationException(
        "X25519 keys are clamped multiples of the cofactor and cannot be inverted; use a prime-order suite for membership");
  }

  private byte[] ladder(PsiKey key, byte[] u) {
    if (key.suite() != suite) {
      throw new IllegalArgumentException("a " + key.suite() + " key used with the " + suite + " suite");
    }
    byte[] out = new byte[X25519.POINT_SIZE];
    return key.x25519().multiply(u, out) ? out : null;
  }

  @Override
  public byte[] tag(byte[] point) {
    return Tags.of(new SHA256Digest(), point);
  }
}
