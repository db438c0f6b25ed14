package sluice.crypto.pki;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Issues TLS-style leaf certificates with raw BouncyCastle, bypassing every rule of
 * {@link CertificateAuthority}, so tests can build chains the federation CA would refuse.
 */
final class RawIssuer {

  private static final SecureRandom RANDOM = new SecureRandom();

  private RawIssuer() {}

  static KeyPair p256() throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
    gen.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return gen.generateKeyPair();
  }

  /** A leaf for {@code subjectCn} with the given URI SANs (none if empty; {@code dns:NAME} for a DNS name). */
  static X509Certificate leaf(
      X509Certificate issuer, PrivateKey issuerKey, String subjectCn, PublicKey key,
      Instant notBefore, Instant notAfter, String... uris) throws Exception {
    X500Principal subject = new X500Principal("CN=" + subjectCn + ",O=Sluice Federation");
    X509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            issuer.getSubjectX500Principal(), new BigInteger(128, RANDOM).add(BigInteger.ONE),
            Date.from(notBefore), Date.from(notAfter), subject, key);
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
    b.addExtension(
        Extension.extendedKeyUsage, false,
        new ExtendedKeyUsage(
            new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
    if (uris.length > 0) {
      GeneralName[] names = new GeneralName[uris.length];
      for (int i = 0; i < uris.length; i++) {
        names[i] = uris[i].startsWith("dns:") ? new GeneralName(GeneralName.dNSName, uris[i].substring(4))
            : new GeneralName(GeneralName.uniformResourceIdentifier, uris[i]);
      }
      b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
    }
    return Certificates.fromDer(
        b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)).getEncoded());
  }
}
