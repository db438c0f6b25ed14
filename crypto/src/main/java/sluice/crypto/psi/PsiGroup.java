package sluice.crypto.psi;

import java.security.SecureRandom;

/**
 * The group operations of one ECDH-PSI suite: each party raises the hashed elements of its own
 * set, and the masked elements its peer sends, to its secret key; two elements match when both
 * keys were applied and the results are equal, which {@link #tag} compares in a short form.
 * Implementations are thread-safe.
 */
public interface PsiGroup {
  /** Bytes of a {@link #tag}: 96 bits, so n·m / 2^96 bounds the chance of a false match. */
  int TAG_LENGTH = 12;

  PsiSuite suite();

  /** Length of an encoded masked element on the wire. */
  int pointLength();

  /** A fresh key for one session. */
  PsiKey newKey(SecureRandom random);

  /**
   * H(element)^key, encoded: hashes one of this party's own elements to the group and applies
   * the key.
   */
  byte[] mask(PsiKey key, byte[] element);

  /**
   * point^key, encoded: applies the key to a masked element the peer sent, after checking it is
   * a valid encoding of a group element other than the identity.
   *
   * @throws InvalidPointException when {@code point} is not acceptable
   */
  byte[] remask(PsiKey key, byte[] point) throws InvalidPointException;

  /**
   * point^(1/key): removes a blinding key (for a private membership query, where the client
   * blinds H(x) with a fresh key and the server applies its own). Prime-order groups only.
   *
   * @throws InvalidPointException when {@code point} is not acceptable
   * @throws UnsupportedOperationException for a group where keys cannot be inverted (X25519)
   */
  byte[] unblind(PsiKey key, byte[] point) throws InvalidPointException;

  /** The short form of a doubly masked element that parties compare. */
  byte[] tag(byte[] point);
}
