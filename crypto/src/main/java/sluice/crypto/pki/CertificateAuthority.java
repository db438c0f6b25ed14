package sluice.crypto.pki;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import sluice.crypto.NodeId;
import sluice.crypto.Province;

/**
 * A certificate authority of the federation: the national root, or the intermediate of one
 * province. Holds an EC P-256 key pair (so the JDK TLS stack can validate chains) and signs with
 * SHA256withECDSA.
 *
 * <p>Issuance rules, enforced by every {@code issue*} method with an {@link
 * IllegalArgumentException}: the root issues provincial intermediates and leaves for {@link
 * NodeId#NATIONAL} only; the intermediate of province CC issues leaves only for {@code prov-CC}
 * and {@code prov-CC/dept-*}, and no CA certificates. Validity periods must be non-empty and lie
 * within the issuing CA's own validity.
 *
 * <p>Immutable and thread-safe. Serial numbers are random positive 128-bit integers.
 */
public final class CertificateAuthority {

  private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";
  private static final String ROOT_DEFAULT_NAME = "Sluice Federation Root CA";

  private final X509Certificate certificate;
  private final PrivateKey privateKey;
  /** Issuers of {@link #certificate}, nearest first, ending with the root; empty for the root. */
  private final List<X509Certificate> issuers;
  /** The province of an intermediate; null for the root. */
  private final Province province;
  private final SecureRandom random;

  private CertificateAuthority(
      X509Certificate certificate,
      PrivateKey privateKey,
      List<X509Certificate> issuers,
      Province province,
      SecureRandom random) {
    this.certificate = certificate;
    this.privateKey = privateKey;
    this.issuers = List.copyOf(issuers);
    this.province = province;
    this.random = random;
  }

  /**
   * Creates a self-signed root CA with subject {@code CN=<commonName>,O=Sluice Federation},
   * basicConstraints CA and keyUsage keyCertSign|cRLSign. {@code random} is kept for later
   * serial numbers and signatures.
   */
  public static CertificateAuthority createRoot(
      String commonName, Instant notBefore, Instant notAfter, SecureRandom random) {
    Objects.requireNonNull(commonName, "commonName");
    Objects.requireNonNull(random, "random");
    if (commonName.isBlank()) {
      throw new IllegalArgumentException("root CA common name must not be blank");
    }
    requireOrdered(notBefore, notAfter, "root CA " + commonName);
    KeyPair keys = generateP256(random);
    X500Principal subject = FederationNames.withCommonName(commonName);
    X509v3CertificateBuilder b =
        builder(subject, notBefore, notAfter, subject, keys.getPublic(), random);
    try {
      JcaX509ExtensionUtils ext = extensionUtils();
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      b.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      b.addExtension(
          Extension.subjectKeyIdentifier, false,
          ext.createSubjectKeyIdentifier(keys.getPublic()));
    } catch (CertIOException e) {
      throw new IllegalStateException("cannot encode root CA extensions", e);
    }
    X509Certificate cert = sign(b, keys.getPrivate(), random);
    return new CertificateAuthority(cert, keys.getPrivate(), List.of(), null, random);
  }

  /** {@link #createRoot} with the common name {@code Sluice Federation Root CA}. */
  public static CertificateAuthority createRoot(
      Instant notBefore, Instant notAfter, SecureRandom random) {
    return createRoot(ROOT_DEFAULT_NAME, notBefore, notAfter, random);
  }

  /**
   * Issues the intermediate CA of {@code province}: subject {@code CN=Sluice CA prov-CC,O=Sluice
   * Federation}, pathLen 0, keyUsage keyCertSign|cRLSign, and a critical NameConstraints
   * extension permitting only URI names with host {@code prov-CC}. Only the root may do this.
   */
  public CertificateAuthority issueProvincialIntermediate(
      Province province, Instant notBefore, Instant notAfter, SecureRandom random) {
    Objects.requireNonNull(province, "province");
    Objects.requireNonNull(random, "random");
    if (!isRoot()) {
      throw new IllegalArgumentException(
          name() + " is an intermediate CA and cannot issue CA certificates (pathLen 0); only"
              + " the root issues provincial intermediates");
    }
    requireWithinValidity(notBefore, notAfter, "intermediate CA of " + province.gatewayId());
    KeyPair keys = generateP256(random);
    X500Principal subject = FederationNames.intermediate(province);
    X509v3CertificateBuilder b =
        builder(
            certificate.getSubjectX500Principal(), notBefore, notAfter, subject,
            keys.getPublic(), random);
    GeneralSubtree permitted =
        new GeneralSubtree(
            new GeneralName(GeneralName.uniformResourceIdentifier,
                province.gatewayId().toString()));
    // The DNS name a provincial gateway carries (its node id) is constrained too, so that no
    // other province's CA can issue one that TLS clients checking DNS names would take for it.
    GeneralSubtree permittedDns =
        new GeneralSubtree(new GeneralName(GeneralName.dNSName, province.gatewayId().toString()));
    try {
      JcaX509ExtensionUtils ext = extensionUtils();
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      b.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      b.addExtension(
          Extension.nameConstraints, true,
          new NameConstraints(new GeneralSubtree[] {permitted, permittedDns}, null));
      b.addExtension(
          Extension.subjectKeyIdentifier, false,
          ext.createSubjectKeyIdentifier(keys.getPublic()));
      b.addExtension(
          Extension.authorityKeyIdentifier, false,
          ext.createAuthorityKeyIdentifier(certificate.getPublicKey()));
    } catch (CertIOException e) {
      throw new IllegalStateException("cannot encode intermediate CA extensions", e);
    }
    X509Certificate cert = sign(b, privateKey, random);
    List<X509Certificate> chain = new ArrayList<>();
    chain.add(certificate);
    chain.addAll(issuers);
    return new CertificateAuthority(cert, keys.getPrivate(), chain, province, random);
  }

  /**
   * Issues a TLS certificate for {@code node}: subject {@code CN=<node>,O=Sluice Federation},
   * the single subjectAltName URI {@code node.toUri()}, keyUsage digitalSignature and extended
   * key usages serverAuth and clientAuth.
   *
   * @param key an EC (P-256 recommended) or RSA public key; SM2 keys are refused because the
   *     JDK TLS stack cannot use them
   * @throws IllegalArgumentException if this CA may not certify {@code node} (see class doc), or
   *     for a bad key or validity period
   */
  public X509Certificate issueTls(
      NodeId node, PublicKey key, Instant notBefore, Instant notAfter) {
    Objects.requireNonNull(key, "key");
    requireMayCertify(node);
    KeyChecks.requireTlsKey(key);
    return issueLeaf(
        node, key, notBefore, notAfter, new KeyUsage(KeyUsage.digitalSignature),
        new ExtendedKeyUsage(
            new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
  }

  /**
   * Issues a certificate for {@code node}'s application signatures: same subject and
   * subjectAltName as {@link #issueTls}, keyUsage digitalSignature|nonRepudiation and no extended
   * key usage (so it cannot serve for TLS).
   *
   * @param sm2Key an SM2 public key (curve {@code sm2p256v1})
   * @throws IllegalArgumentException if this CA may not certify {@code node}, or for a bad key or
   *     validity period
   */
  public X509Certificate issueSigning(
      NodeId node, PublicKey sm2Key, Instant notBefore, Instant notAfter) {
    Objects.requireNonNull(sm2Key, "sm2Key");
    requireMayCertify(node);
    KeyChecks.requireSigningKey(sm2Key);
    return issueLeaf(
        node, sm2Key, notBefore, notAfter,
        new KeyUsage(KeyUsage.digitalSignature | KeyUsage.nonRepudiation), null);
  }

  /**
   * A certificate revocation list signed by this CA: {@code revoked} (serial number to the time
   * it was revoked), numbered {@code number} (a CRL number that grows with each list), in force
   * from {@code thisUpdate}, due for replacement at {@code nextUpdate}.
   */
  public java.security.cert.X509CRL revocationList(
      java.util.Map<BigInteger, Instant> revoked, BigInteger number, Instant thisUpdate, Instant nextUpdate) {
    requireOrdered(thisUpdate, nextUpdate, "revocation list of " + certificate.getSubjectX500Principal().getName());
    try {
      org.bouncycastle.cert.X509v2CRLBuilder b = new org.bouncycastle.cert.X509v2CRLBuilder(
          org.bouncycastle.asn1.x500.X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()),
          Date.from(thisUpdate));
      b.setNextUpdate(Date.from(nextUpdate));
      for (var e : new java.util.TreeMap<>(revoked).entrySet()) {
        b.addCRLEntry(e.getKey(), Date.from(e.getValue()), org.bouncycastle.asn1.x509.CRLReason.unspecified);
      }
      b.addExtension(Extension.cRLNumber, false, new org.bouncycastle.asn1.x509.CRLNumber(number));
      b.addExtension(Extension.authorityKeyIdentifier, false,
          extensionUtils().createAuthorityKeyIdentifier(certificate));
      ContentSigner signer = new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).setSecureRandom(random).build(privateKey);
      return new org.bouncycastle.cert.jcajce.JcaX509CRLConverter().getCRL(b.build(signer));
    } catch (CertIOException | OperatorCreationException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign a revocation list: " + e.getMessage(), e);
    }
  }

  /** This CA's certificate. */
  public X509Certificate certificate() {
    return certificate;
  }

  /** This CA's private key. */
  public PrivateKey privateKey() {
    return privateKey;
  }

  /**
   * This CA's certificate followed by its issuers, up to <b>and including</b> the root. For the
   * root it is just the root certificate.
   */
  public List<X509Certificate> chain() {
    List<X509Certificate> chain = new ArrayList<>();
    chain.add(certificate);
    chain.addAll(issuers);
    return List.copyOf(chain);
  }

  /**
   * The certificates a leaf issued by this CA should present after itself: {@link #chain()}
   * without the root. Empty for the root; {@code [this intermediate]} for a provincial CA.
   */
  public List<X509Certificate> issuingChain() {
    List<X509Certificate> chain = chain();
    return chain.subList(0, chain.size() - 1);
  }

  /** The root certificate this CA chains to (its own certificate for the root). */
  public X509Certificate rootCertificate() {
    return issuers.isEmpty() ? certificate : issuers.get(issuers.size() - 1);
  }

  /** Whether this is the self-signed root. */
  public boolean isRoot() {
    return province == null;
  }

  /** The province of an intermediate CA; empty for the root. */
  public Optional<Province> province() {
    return Optional.ofNullable(province);
  }

  /** Writes the certificate (PEM) and private key (PKCS#8 PEM, mode 0600). */
  public void write(Path certFile, Path keyFile) throws IOException {
    PemFiles.writeCertificate(certFile, certificate);
    PemFiles.writePrivateKey(keyFile, privateKey);
  }

  /**
   * Loads a root CA written by {@link #write}. The certificate must be self-signed and match the
   * key. New serial numbers and signatures use a fresh {@link SecureRandom}.
   */
  public static CertificateAuthority loadRoot(Path certFile, Path keyFile) throws IOException {
    X509Certificate cert = PemFiles.readCertificate(certFile);
    PrivateKey key = PemFiles.readPrivateKey(keyFile);
    if (!cert.getSubjectX500Principal().equals(cert.getIssuerX500Principal())
        || !signedBy(cert, cert.getPublicKey())) {
      throw new IOException(certFile + ": not a self-signed root certificate (subject "
          + cert.getSubjectX500Principal() + ", issuer " + cert.getIssuerX500Principal() + ")");
    }
    requireCa(cert, certFile);
    requirePair(key, cert, keyFile, certFile);
    return new CertificateAuthority(cert, key, List.of(), null, new SecureRandom());
  }

  /**
   * Loads a provincial intermediate CA written by {@link #write}, issued by {@code issuer}. The
   * subject must be that of a provincial intermediate, the certificate must be signed by {@code
   * issuer} and match the key.
   */
  public static CertificateAuthority load(Path certFile, Path keyFile, CertificateAuthority issuer)
      throws IOException {
    Objects.requireNonNull(issuer, "issuer");
    X509Certificate cert = PemFiles.readCertificate(certFile);
    PrivateKey key = PemFiles.readPrivateKey(keyFile);
    Province province =
        FederationNames.provinceOfIntermediate(cert.getSubjectX500Principal())
            .orElseThrow(
                () ->
                    new IOException(
                        certFile + ": subject " + cert.getSubjectX500Principal()
                            + " is not a provincial intermediate (CN=Sluice CA prov-CC,O="
                            + FederationNames.ORGANIZATION + ")"));
    if (!cert.getIssuerX500Principal().equals(issuer.certificate.getSubjectX500Principal())
        || !signedBy(cert, issuer.certificate.getPublicKey())) {
      throw new IOException(
          certFile + ": not issued by " + issuer.name() + " (its issuer is "
              + cert.getIssuerX500Principal() + ")");
    }
    requireCa(cert, certFile);
    requirePair(key, cert, keyFile, certFile);
    return new CertificateAuthority(cert, key, issuer.chain(), province, new SecureRandom());
  }

  @Override
  public String toString() {
    return "CertificateAuthority[" + name() + "]";
  }

  private String name() {
    return certificate.getSubjectX500Principal().getName();
  }

  private X509Certificate issueLeaf(
      NodeId node, PublicKey key, Instant notBefore, Instant notAfter, KeyUsage usage,
      ExtendedKeyUsage extendedUsage) {
    requireWithinValidity(notBefore, notAfter, "certificate for " + node);
    X509v3CertificateBuilder b =
        builder(
            certificate.getSubjectX500Principal(), notBefore, notAfter,
            FederationNames.node(node), key, random);
    try {
      JcaX509ExtensionUtils ext = extensionUtils();
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(Extension.keyUsage, true, usage);
      if (extendedUsage != null) {
        b.addExtension(Extension.extendedKeyUsage, false, extendedUsage);
      }
      // Identity is the URI. The hub and provincial gateways, which clients in any language
      // call, also carry their node id as a DNS name, the name standard TLS clients check.
      GeneralName uri = new GeneralName(GeneralName.uniformResourceIdentifier, node.toUri());
      b.addExtension(
          Extension.subjectAlternativeName, false,
          node.isDepartment() ? new GeneralNames(uri)
              : new GeneralNames(new GeneralName[] {uri, new GeneralName(GeneralName.dNSName, node.toString())}));
      b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(key));
      b.addExtension(
          Extension.authorityKeyIdentifier, false,
          ext.createAuthorityKeyIdentifier(certificate.getPublicKey()));
    } catch (CertIOException e) {
      throw new IllegalStateException("cannot encode certificate extensions for " + node, e);
    }
    return sign(b, privateKey, random);
  }

  private void requireMayCertify(NodeId node) {
    Objects.requireNonNull(node, "node");
    if (province == null) {
      if (!node.isHub()) {
        throw new IllegalArgumentException(
            "the root CA certifies only the national node; " + node
                + " must be certified by the intermediate CA of its province ("
                + FederationNames.intermediate(node.provinceOf().orElseThrow()).getName() + ")");
      }
    } else if (!node.provinceOf().equals(Optional.of(province))) {
      throw new IllegalArgumentException(
          name() + " certifies only " + province.gatewayId() + " and its departments, not "
              + node);
    }
  }

  private void requireWithinValidity(Instant requestedFrom, Instant requestedTo, String what) {
    requireOrdered(requestedFrom, requestedTo, what);
    // Certificates hold whole seconds: compare as they will be written.
    Instant notBefore = requestedFrom.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    Instant notAfter = requestedTo.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    Instant caFrom = certificate.getNotBefore().toInstant();
    Instant caTo = certificate.getNotAfter().toInstant();
    if (notBefore.isBefore(caFrom) || notAfter.isAfter(caTo)) {
      throw new IllegalArgumentException(
          what + ": validity " + notBefore + " .. " + notAfter + " is outside the validity of "
              + name() + " (" + caFrom + " .. " + caTo + ")");
    }
  }

  private static void requireOrdered(Instant notBefore, Instant notAfter, String what) {
    Objects.requireNonNull(notBefore, "notBefore");
    Objects.requireNonNull(notAfter, "notAfter");
    if (!notBefore.isBefore(notAfter)) {
      throw new IllegalArgumentException(
          what + ": notBefore " + notBefore + " must be before notAfter " + notAfter);
    }
  }

  private static X509v3CertificateBuilder builder(
      X500Principal issuer, Instant notBefore, Instant notAfter, X500Principal subject,
      PublicKey key, SecureRandom random) {
    return new JcaX509v3CertificateBuilder(
        FederationNames.toBc(issuer), serialNumber(random), Date.from(notBefore),
        Date.from(notAfter), FederationNames.toBc(subject), key);
  }

  private static X509Certificate sign(
      X509v3CertificateBuilder builder, PrivateKey key, SecureRandom random) {
    try {
      ContentSigner signer =
          new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).setSecureRandom(random).build(key);
      return Certificates.fromDer(builder.build(signer).getEncoded());
    } catch (OperatorCreationException | IOException | CertificateException e) {
      throw new IllegalStateException("cannot sign certificate: " + e.getMessage(), e);
    }
  }

  private static BigInteger serialNumber(SecureRandom random) {
    BigInteger serial;
    do {
      serial = new BigInteger(128, random);
    } while (serial.signum() == 0);
    return serial;
  }

  private static KeyPair generateP256(SecureRandom random) {
    try {
      KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
      gen.initialize(new ECGenParameterSpec("secp256r1"), random);
      return gen.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot generate EC P-256 keys: " + e, e);
    }
  }

  static KeyPair generateTlsKeyPair(SecureRandom random) {
    return generateP256(random);
  }

  private static JcaX509ExtensionUtils extensionUtils() {
    try {
      return new JcaX509ExtensionUtils();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-1 for key identifiers is unavailable: " + e, e);
    }
  }

  static boolean signedBy(X509Certificate cert, PublicKey issuerKey) {
    try {
      cert.verify(issuerKey);
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static void requireCa(X509Certificate cert, Path certFile) throws IOException {
    if (cert.getBasicConstraints() < 0) {
      throw new IOException(certFile + ": certificate " + cert.getSubjectX500Principal()
          + " is not a CA certificate (basicConstraints CA is not true)");
    }
  }

  private static void requirePair(
      PrivateKey key, X509Certificate cert, Path keyFile, Path certFile) throws IOException {
    if (!KeyChecks.isPair(key, cert.getPublicKey())) {
      throw new IOException(keyFile + ": private key does not match the certificate in "
          + certFile);
    }
  }
}
