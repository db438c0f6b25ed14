package sluice.crypto.pki;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import sluice.crypto.Sm2;

/** Checks on keys used by the PKI. */
final class KeyChecks {

  private static final byte[] PROBE =
      "sluice key pair probe".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private KeyChecks() {}

  /** Whether {@code privateKey} and {@code publicKey} form a pair (by signing a probe). */
  static boolean isPair(PrivateKey privateKey, PublicKey publicKey) {
    try {
      if (Sm2.isSm2Key(publicKey)) {
        return Sm2.isSm2Key(privateKey)
            && Sm2.verifier(publicKey).verify(PROBE, Sm2.signer(privateKey).sign(PROBE));
      }
      String alg = signatureAlgorithm(publicKey);
      Signature signer = Signature.getInstance(alg);
      signer.initSign(privateKey, new SecureRandom());
      signer.update(PROBE);
      byte[] sig = signer.sign();
      Signature verifier = Signature.getInstance(alg);
      verifier.initVerify(publicKey);
      verifier.update(PROBE);
      return verifier.verify(sig);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * Requires {@code key} to be usable by the JDK TLS stack: an EC key on a NIST curve or an RSA
   * key, not SM2.
   */
  static void requireTlsKey(PublicKey key) {
    String alg = key.getAlgorithm();
    if (Sm2.isSm2Key(key) || !(alg.equals("EC") || alg.equals("RSA"))) {
      throw new IllegalArgumentException(
          "a TLS certificate needs an EC P-256 (or RSA) key that the JDK TLS stack supports; got "
              + (Sm2.isSm2Key(key) ? "an SM2 key" : "a " + alg + " key"));
    }
  }

  /** Requires {@code key} to be an SM2 public key. */
  static void requireSigningKey(PublicKey key) {
    if (!Sm2.isSm2Key(key)) {
      throw new IllegalArgumentException(
          "a signing certificate needs an SM2 key (curve " + Sm2.CURVE + "); got a "
              + key.getAlgorithm() + " key on another curve or of another type");
    }
  }

  private static String signatureAlgorithm(PublicKey key) throws GeneralSecurityException {
    switch (key.getAlgorithm()) {
      case "EC":
        return "SHA256withECDSA";
      case "RSA":
        return "SHA256withRSA";
      default:
        throw new GeneralSecurityException("unsupported key algorithm " + key.getAlgorithm());
    }
  }
}
