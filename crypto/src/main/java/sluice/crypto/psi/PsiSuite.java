package sluice.crypto.psi;

import java.util.Arrays;
import sluice.crypto.curve.ExpandMessageXmd;
import sluice.crypto.curve.SswuHashToCurve;
import sluice.crypto.curve.TryAndIncrement;

/**
 * The ECDH-PSI cipher suites Sluice offers: a group, a hash to it, and the hash that shortens
 * doubly masked elements to tags. Both parties of a session use the same suite.
 */
public enum PsiSuite {
  /** SM2 curve, SM3, RFC 9380 simplified SWU (random oracle) with Z = -9; the default. */
  SM2_SM3_SSWU("SM2_XMD:SM3_SSWU_RO_"),
  /**
   * SM2 curve, SM3, try-and-increment: the suite the SecretFlow interconnection ECDH-PSI
   * protocol recommends, for peers that speak it.
   */
  SM2_SM3_TAI("SM2_SM3_TRY_AND_INCREMENT"),
  /** NIST P-256, SHA-256, RFC 9380 P256_XMD:SHA-256_SSWU_RO_. */
  P256_SHA256_SSWU("P256_XMD:SHA-256_SSWU_RO_"),
  /** Curve25519 through X25519, SHA-256 of the element taken directly as the u-coordinate. */
  X25519_SHA256("X25519_SHA256_DIRECT_HASH");

  /** Domain separation tag prefix for the RFC 9380 suites (the suite id follows). */
  static final String DST_PREFIX = "SLUICE-PSI-V01-CS01-with-";

  private final String id;
  private volatile PsiGroup group;

  PsiSuite(String id) {
    this.id = id;
  }

  /** The suite's identifier as recorded in audit entries, e.g. "SM2_XMD:SM3_SSWU_RO_". */
  public String id() {
    return id;
  }

  /** The suite named {@code name} (its enum name, case-insensitive), for the CLI and the wire. */
  public static PsiSuite named(String name) {
    for (PsiSuite s : values()) {
      if (s.name().equalsIgnoreCase(name) || s.id.equals(name)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown PSI suite \"" + name + "\"; one of "
        + Arrays.toString(values()));
  }

  /**
   * The suite named {@code name}, for a private membership query: only a prime-order group's
   * keys can be inverted to unblind, so X25519 is refused.
   *
   * @throws IllegalArgumentException naming the suites that serve
   */
  public static PsiSuite forMembership(String name) {
    PsiSuite suite = named(name);
    if (suite == X25519_SHA256) {
      throw new IllegalArgumentException(
          "membership needs a prime-order suite (SM2_SM3_SSWU, SM2_SM3_TAI, P256_SHA256_SSWU), not " + suite);
    }
    return suite;
  }

  /** The suite's group operations. */
  public PsiGroup group() {
    PsiGroup g = group;
    if (g == null) {
      synchronized (this) {
        g = group;
        if (g == null) {
          g = create();
          group = g;
        }
      }
    }
    return g;
  }

  private PsiGroup create() {
    byte[] dst = ExpandMessageXmd.tag(DST_PREFIX + id);
    return switch (this) {
      case SM2_SM3_SSWU -> new WeierstrassGroup(this, SswuHashToCurve.SM2.curve(),
          e -> SswuHashToCurve.SM2.hash(e, dst), WeierstrassGroup.sm3());
      case SM2_SM3_TAI -> new WeierstrassGroup(this, TryAndIncrement.SM2.curve(),
          TryAndIncrement.SM2::hash, WeierstrassGroup.sm3());
      case P256_SHA256_SSWU -> new WeierstrassGroup(this, SswuHashToCurve.P256.curve(),
          e -> SswuHashToCurve.P256.hash(e, dst), WeierstrassGroup.sha256());
      case X25519_SHA256 -> new X25519Group(this, X25519Engines.preferred());
    };
  }

  /**
   * This suite's group with X25519 computed by {@code engine} instead of the preferred one (for
   * comparisons: both give the same bytes).
   *
   * @throws IllegalArgumentException for a suite other than X25519_SHA256
   */
  public PsiGroup group(X25519Engine engine) {
    if (this != X25519_SHA256) {
      throw new IllegalArgumentException(this + " does not use X25519");
    }
    return new X25519Group(this, engine);
  }
}
