package sluice.crypto.psi;

import java.math.BigInteger;
import java.util.Objects;

/**
 * One party's secret exponent for one PSI session of one suite: a uniform scalar in [1, n-1]
 * (Weierstrass suites) or 32 random bytes that X25519 clamps, held by an {@link X25519Engine}.
 * Never reuse a key across sessions: the same key would let peers link the elements of two
 * sessions. {@link #destroy} clears it.
 */
public final class PsiKey {
  private final PsiSuite suite;
  private BigInteger scalar;
  private final X25519Engine.Key x25519;

  PsiKey(PsiSuite suite, BigInteger scalar) {
    this.suite = Objects.requireNonNull(suite);
    this.scalar = Objects.requireNonNull(scalar);
    this.x25519 = null;
  }

  PsiKey(PsiSuite suite, X25519Engine.Key x25519) {
    this.suite = Objects.requireNonNull(suite);
    this.scalar = null;
    this.x25519 = Objects.requireNonNull(x25519);
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

  X25519Engine.Key x25519() {
    if (x25519 == null) {
      throw new IllegalStateException("this " + suite + " key is not an X25519 key");
    }
    return x25519;
  }

  /** Clears the key (an X25519 key is closed; the scalar reference dropped). */
  public void destroy() {
    scalar = null;
    if (x25519 != null) {
      x25519.close();
    }
  }

  @Override
  public String toString() {
    return "PsiKey[" + suite + ", secret]";
  }
}
