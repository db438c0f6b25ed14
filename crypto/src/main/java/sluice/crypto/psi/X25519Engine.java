package sluice.crypto.psi;

/**
 * An implementation of the X25519 function of RFC 7748, used by the {@link
 * PsiSuite#X25519_SHA256} suite: BouncyCastle's, or the system's OpenSSL 3 where it loads (see
 * {@link X25519Engines}). Every implementation clamps the scalar and masks the top bit of u as the
 * RFC says, so any two give the same bytes and the two parties of a session may use different
 * ones.
 */
public interface X25519Engine {
  /** Who computes, for logs and benchmarks, e.g. "OpenSSL 3.0.19 27 Jan 2026 (libcrypto.so.3)". */
  String name();

  /** Prepares a 32-byte scalar for many multiplications; {@code scalar} is copied, not kept. */
  Key prepare(byte[] scalar);

  /** One session's scalar, ready to use from any number of threads at once. */
  interface Key extends AutoCloseable {
    /**
     * X25519(scalar, u) into {@code out} (32 bytes each), in time that does not depend on the
     * scalar.
     *
     * @return false when the result is all zeros (u was a low-order point); {@code out} is then
     *     all zeros
     * @throws IllegalStateException once the key is closed
     */
    boolean multiply(byte[] u, byte[] out);

    /** Clears the scalar and releases what holds it; multiplications after this are refused. */
    @Override
    void close();
  }
}
