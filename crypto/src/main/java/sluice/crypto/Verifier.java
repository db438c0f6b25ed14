package sluice.crypto;

/** Checks signatures against one public key. Implementations are thread-safe. */
public interface Verifier {

  /** Name of the signature algorithm, e.g. {@link Sm2#ALGORITHM}. */
  String algorithm();

  /**
   * Whether {@code signature} is a valid signature of {@code message}. Returns {@code false}, and
   * never throws, for a wrong, truncated or malformed signature.
   */
  boolean verify(byte[] message, byte[] signature);
}
