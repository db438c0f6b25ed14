package sluice.crypto.curve;

import java.math.BigInteger;
import java.util.function.Supplier;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECFieldElement;
import org.bouncycastle.math.ec.ECPoint;

/**
 * Hashing to a prime-order short Weierstrass curve by try-and-increment, the TRY_AND_INCREMENT
 * hash-to-curve of the SecretFlow interconnection ECDH-PSI protocol (隐私计算跨平台互联互通
 * ECDH-PSI, suite SM2 + SM3 + TRY_AND_INCREMENT): x = H(msg) read big-endian, reduced mod p;
 * while x³ + ax + b is not a square, x = x + 1; the point is (x, y) with y even.
 *
 * <p>The number of tries depends on the message, so the time taken does too: use it only on
 * a party's own elements, never on a secret the peer chooses. No published vectors exist; the
 * tests check the points are on the curve, deterministic and distinct.
 */
public final class TryAndIncrement {
  /** SM2 (sm2p256v1) with SM3. */
  public static final TryAndIncrement SM2 =
      new TryAndIncrement(CustomNamedCurves.getByName("sm2p256v1"), SM3Digest::new);

  private final ECCurve curve;
  private final Supplier<Digest> digest;
  private final BigInteger p;

  TryAndIncrement(X9ECParameters params, Supplier<Digest> digest) {
    this.curve = params.getCurve();
    this.p = curve.getField().getCharacteristic();
    this.digest = digest;
    if (!params.getH().equals(BigInteger.ONE)) {
      throw new IllegalArgumentException("try-and-increment here assumes cofactor 1");
    }
  }

  public ECCurve curve() {
    return curve;
  }

  /** The point of {@code msg}, normalized. */
  public ECPoint hash(byte[] msg) {
    Digest d = digest.get();
    d.update(msg, 0, msg.length);
    byte[] h = new byte[d.getDigestSize()];
    d.doFinal(h, 0);
    ECFieldElement one = curve.fromBigInteger(BigInteger.ONE);
    ECFieldElement x = curve.fromBigInteger(new BigInteger(1, h).mod(p));
    while (true) {
      ECFieldElement y = x.square().add(curve.getA()).multiply(x).add(curve.getB()).sqrt();
      if (y != null) {
        if (y.testBitZero()) {
          y = y.negate();
        }
        return curve.createPoint(x.toBigInteger(), y.toBigInteger());
      }
      x = x.add(one);
    }
  }
}
