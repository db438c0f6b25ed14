package sluice.crypto.psi;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.BigIntegers;

/**
 * A PSI group on a prime-order short Weierstrass curve (SM2, P-256), elements encoded as SEC 1
 * compressed points (33 bytes).
 *
 * <p>BouncyCastle's variable-base multiplication (wNAF) takes time that depends on the scalar,
 * and here the peer chooses the points. So every multiplication uses a blinded scalar
 * k + r·n with a fresh 64-bit r: the result is the same, and the timing no longer follows k.
 */
final class WeierstrassGroup implements PsiGroup {
  private static final int BLIND_BITS = 64;
  private static final ThreadLocal<SecureRandom> BLINDING = ThreadLocal.withInitial(SecureRandom::new);

  private final PsiSuite suite;
  private final ECCurve curve;
  private final BigInteger n;
  private final Function<byte[], ECPoint> hashToCurve;
  private final Supplier<Digest> tagDigest;
  private final int pointLength;

  WeierstrassGroup(PsiSuite suite, ECCurve curve, Function<byte[], ECPoint> hashToCurve, Supplier<Digest> tagDigest) {
    this.suite = suite;
    this.curve = curve;
    this.n = curve.getOrder();
    this.hashToCurve = hashToCurve;
    this.tagDigest = tagDigest;
    this.pointLength = 1 + (curve.getFieldSize() + 7) / 8;
    if (!BigInteger.ONE.equals(curve.getCofactor())) {
      throw new IllegalArgumentException("a PSI curve here must have prime order");
    }
  }

  static Supplier<Digest> sm3() {
    return SM3Digest::new;
  }

  static Supplier<Digest> sha256() {
    return SHA256Digest::new;
  }

  @Override
  public PsiSuite suite() {
    return suite;
  }

  @Override
  public int pointLength() {
    return pointLength;
  }

  @Override
  public PsiKey newKey(SecureRandom random) {
    return new PsiKey(suite, BigIntegers.createRandomInRange(BigInteger.ONE, n.subtract(BigInteger.ONE), random));
  }

  @Override
  public byte[] mask(PsiKey key, byte[] element) {
    return multiply(hashToCurve.apply(element), key);
  }

  @Override
  public byte[] remask(PsiKey key, byte[] point) throws InvalidPointException {
    return multiply(decode(point), key);
  }

  @Override
  public byte[] unblind(PsiKey key, byte[] point) throws InvalidPointException {
    checkSuite(key);
    return multiply(decode(point), new PsiKey(suite, key.scalar().modInverse(n)));
  }

  private ECPoint decode(byte[] point) throws InvalidPointException {
    if (point.length != pointLength || (point[0] != 0x02 && point[0] != 0x03)) {
      throw new InvalidPointException("a " + suite + " element is " + pointLength
          + " bytes, SEC 1 compressed (first byte 02 or 03); got " + point.length + " bytes");
    }
    ECPoint p;
    try {
      p = curve.decodePoint(point);
    } catch (IllegalArgumentException e) {
      throw new InvalidPointException("not a point of the " + suite + " curve: " + e.getMessage());
    }
    if (p.isInfinity()) {
      throw new InvalidPointException("the identity is not an acceptable " + suite + " element");
    }
    return p;
  }

  private byte[] multiply(ECPoint p, PsiKey key) {
    checkSuite(key);
    BigInteger r = new BigInteger(BLIND_BITS, BLINDING.get()).add(BigInteger.ONE);
    ECPoint q = p.multiply(key.scalar().add(r.multiply(n))).normalize();
    if (q.isInfinity()) {
      throw new IllegalStateException("a multiple of a valid point by a key in [1, n-1] was the identity");
    }
    return q.getEncoded(true);
  }

  private void checkSuite(PsiKey key) {
    if (key.suite() != suite) {
      throw new IllegalArgumentException("a " + key.suite() + " key used with the " + suite + " suite");
    }
  }

  @Override
  public byte[] tag(byte[] point) {
    return Tags.of(tagDigest.get(), point);
  }
}
