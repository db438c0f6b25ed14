package sluice.crypto.pki;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Objects;
import sluice.crypto.BouncyCastle;

/** Decoding of X.509 certificates. */
public final class Certificates {

  private Certificates() {}

  /**
   * Decodes one DER certificate. Certificates the JDK can represent (RSA, EC on the NIST curves)
   * are returned as JDK objects, so the JDK TLS stack and PKIX validator handle them natively;
   * others, notably those with an SM2 ({@code sm2p256v1}) subject key, which the JDK cannot
   * parse, are returned as BouncyCastle objects.
   *
   * @throws CertificateException if neither the JDK nor BouncyCastle can parse {@code der}
   */
  public static X509Certificate fromDer(byte[] der) throws CertificateException {
    Objects.requireNonNull(der, "der");
    try {
      return parse(CertificateFactory.getInstance("X.509"), der);
    } catch (CertificateException jdkFailure) {
      try {
        return parse(CertificateFactory.getInstance("X.509", BouncyCastle.provider()), der);
      } catch (CertificateException bcFailure) {
        bcFailure.addSuppressed(jdkFailure);
        throw bcFailure;
      }
    }
  }

  private static X509Certificate parse(CertificateFactory factory, byte[] der)
      throws CertificateException {
    Object cert = factory.generateCertificate(new ByteArrayInputStream(der));
    if (!(cert instanceof X509Certificate)) {
      throw new CertificateException("not an X.509 certificate (" + der.length + " bytes)");
    }
    return (X509Certificate) cert;
  }
}
