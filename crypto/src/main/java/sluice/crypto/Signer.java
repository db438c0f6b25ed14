package sluice.crypto;

/** Produces signatures with one private key. Implementations are thread-safe. */
public interface Signer {

  /** Name of the signature algorithm, e.g. {@link Sm2#ALGORITHM}. */
  String algorithm();

  /** Signs {@code message}; the signature encoding is defined by {@link #algorithm()}. */
  byte[] sign(byte[] message);
}
