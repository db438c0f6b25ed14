package sluice.crypto.curve;

import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECFieldElement;
import org.bouncycastle.math.ec.ECPoint;

/**
 * Hashing to a short Weierstrass curve with cofactor 1 by the simplified SWU map, random-oracle
 * variant (RFC 9380 sections 3, 5 and 6.6.2): two field elements from {@link ExpandMessageXmd},
 * each mapped to the curve, the points added. {@link #P256} is the RFC's suite
 * P256_XMD:SHA-256_SSWU_RO_; {@link #SM2} the same on SM2's curve with SM3.
 *
 * <p>This follows the RFC's straight-line description (section 6.6.2) on BouncyCastle's field
 * arithmetic; the square root and the inversion are BouncyCastle's, which do not promise constant
 * time, so an element's hashing time may depend on it.
 */
public final class SswuHashToCurve {
  /** P256_XMD:SHA-256_SSWU_RO_: Z = -10, L = 48. */
  public static final SswuHashToCurve P256 =
      new SswuHashToCurve(CustomNamedCurves.getByName("secp256r1"), BigInteger.valueOf(-10), 48,
          new ExpandMessageXmd(SHA256Digest::new));

  /**
   * SM2_XMD:SM3_SSWU_RO_, the same construction on sm2p256v1 with SM3: Z = -9, the value RFC 9380
   * Appendix H.2's find_z_sswu gives for this curve (the tests recompute it, and -10 for P-256);
   * L = 48 (256-bit field, 128-bit security). No published test vectors exist for this suite;
   * both parties of a PSI session must use the same domain separation tag.
   */
  public static final SswuHashToCurve SM2 =
      new SswuHashToCurve(CustomNamedCurves.getByName("sm2p256v1"), BigInteger.valueOf(-9), 48,
          new ExpandMessageXmd(SM3Digest::new));

  private final ECCurve curve;
  private final ECFieldElement a;
  private final ECFieldElement b;
  private final ECFieldElement z;
  private final int l;
  private final ExpandMessageXmd expand;
  private final BigInteger p;

  SswuHashToCurve(X9ECParameters params, BigInteger z, int l, ExpandMessageXmd expand) {
    this.curve = params.getCurve();
    this.p = curve.getField().getCharacteristic();
    this.a = curve.getA();
    this.b = curve.getB();
    this.z = curve.fromBigInteger(z.mod(p));
    this.l = l;
    this.expand = expand;
    if (a.isZero() || b.isZero()) {
      throw new IllegalArgumentException("the simplified SWU map needs A and B both non-zero");
    }
  }

  public ECCurve curve() {
    return curve;
  }

  /** The suite's Z, as a field element's value in [0, p). */
  BigInteger z() {
    return z.toBigInteger();
  }

  /** hash_to_curve(msg) under the domain separation tag {@code dst}, normalized. */
  public ECPoint hash(byte[] msg, byte[] dst) {
    byte[] uniform = expand.expand(msg, dst, 2 * l);
    ECFieldElement u0 = curve.fromBigInteger(new BigInteger(1, Arrays.copyOfRange(uniform, 0, l)).mod(p));
    ECFieldElement u1 = curve.fromBigInteger(new BigInteger(1, Arrays.copyOfRange(uniform, l, 2 * l)).mod(p));
    return map(u0).add(map(u1)).normalize();
  }

  /** map_to_curve_simple_swu(u) (RFC 9380 section 6.6.2). */
  ECPoint map(ECFieldElement u) {
    ECFieldElement u2 = u.square();
    ECFieldElement zu2 = z.multiply(u2);
    ECFieldElement den = zu2.square().add(zu2); // Z^2 u^4 + Z u^2
    ECFieldElement x1;
    if (den.isZero()) {
      x1 = b.divide(z.multiply(a));
    } else {
      x1 = b.negate().divide(a).multiply(curve.fromBigInteger(BigInteger.ONE).add(den.invert()));
    }
    ECFieldElement gx1 = x1.square().add(a).multiply(x1).add(b);
    ECFieldElement x;
    ECFieldElement y = gx1.sqrt();
    if (y != null) {
      x = x1;
    } else {
      x = zu2.multiply(x1);
      y = x.square().add(a).multiply(x).add(b).sqrt();
    }
    if (u.testBitZero() != y.testBitZero()) {
      y = y.negate();
    }
    return curve.createPoint(x.toBigInteger(), y.toBigInteger());
  }
}
