package sluice.crypto.psi;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Objects;

/**
 * One party's secret exponent for one PSI session of one suite: a uniform scalar in [1, n-1]
 * (Weierstrass suites) or 32 random bytes that X25519 clamps. Never reuse a key across sessions:
 * the same key would let peers link the elements of two sessions. {@link #destroy} clears it.
 */
public final class PsiKey {
  private final PsiSuite suite;
  private BigInteger scalar;
  private final byte[] bytes;

  PsiKey(PsiSuite suite, BigInteger scalar) {
    this.suite = Objects.requireNonNull(suite);
    this.scalar = Objects.requireNonNull(scalar);
    this.bytes = null;
  }

  PsiKey(PsiSuite suite, byte[] bytes) {
    this.suite = Objects.requireNonNull(suite);
    this.scalar = null;
    this.bytes = bytes.clone();
  }

  public PsiSuite suite() {
    return suite;
  }

  BigInteger scalar() {
    if (scalar == null) {
      throw new IllegalStateException("this " + suite + " key was destroyed or is not a scalar");
    }
    return scalar;
  }

  byte[] bytes() {
    if (bytes == null) {
      throw new IllegalStateException("this " + suite + " key is not a byte string");
    }
    return bytes;
  }

  /** Clears the key (the byte form is zeroed; the scalar reference dropped). */
  public void destroy() {
    scalar = null;
    if (bytes != null) {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  @Override
  public String toString() {
    return "PsiKey[" + suite + ", secret]";
  }
}
