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
 * refused.
 */
final class X25519Group implements PsiGroup {
  private final PsiSuite suite;

  X25519Group(PsiSuite suite) {
    this.suite = suite;
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
    PsiKey key = new PsiKey(suite, k);
    Arrays.fill(k, (byte) 0);
    return key;
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
    X25519.scalarMult(key.bytes(), 0, u, 0, out, 0);
    int any = 0;
    for (byte b : out) {
      any |= b;
    }
    return any == 0 ? null : out;
  }

  @Override
  public byte[] tag(byte[] point) {
    return Tags.of(new SHA256Digest(), point);
  }
}
