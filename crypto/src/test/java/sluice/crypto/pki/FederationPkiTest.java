package sluice.crypto.pki;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.crypto.BouncyCastle;
import sluice.crypto.NodeId;
import sluice.crypto.Province;
import sluice.crypto.Sm2;

class FederationPkiTest {

  static final NodeId PROV_44 = Province.GUANGDONG.gatewayId();
  static final NodeId HRSS_44 = NodeId.parse("prov-44/dept-hrss");
  static final NodeId PROV_11 = Province.BEIJING.gatewayId();
  static final List<NodeId> NODES = List.of(NodeId.NATIONAL, PROV_44, HRSS_44, PROV_11);
  static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  static final SecureRandom RANDOM = new SecureRandom();

  @TempDir static Path dir;
  static FederationPki pki;

  @BeforeAll
  static void init() throws IOException {
    pki = FederationPki.init(dir, NODES, NOW, Duration.ofDays(365), RANDOM);
  }

  @Test
  void writesTheDirectoryLayout() {
    assertTrue(Files.isRegularFile(dir.resolve("ca/root.crt")));
    assertTrue(Files.isRegularFile(dir.resolve("ca/root.key")));
    for (Province p : Province.values()) {
      assertTrue(Files.isRegularFile(dir.resolve("ca/prov-" + p.codeString() + ".crt")), p.name());
      assertTrue(Files.isRegularFile(dir.resolve("ca/prov-" + p.codeString() + ".key")), p.name());
    }
    for (NodeId node : NODES) {
      Path nodeDir = dir.resolve("nodes").resolve(node.fileName());
      assertEquals(nodeDir, pki.nodeDir(node));
      for (String f : List.of("tls.crt", "tls.key", "sign.crt", "sign.key", "ca.crt")) {
        assertTrue(Files.isRegularFile(nodeDir.resolve(f)), nodeDir.resolve(f).toString());
      }
    }
    assertTrue(Files.isDirectory(dir.resolve("nodes/prov-44_dept-hrss")));
  }

  @Test
  void keyFilesAreOwnerOnly() throws IOException {
    if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      return;
    }
    for (Path key : List.of(dir.resolve("ca/root.key"), pki.nodeDir(HRSS_44).resolve("tls.key"),
        pki.nodeDir(HRSS_44).resolve("sign.key"))) {
      assertEquals("rw-------",
          PosixFilePermissions.toString(Files.getPosixFilePermissions(key)), key.toString());
    }
    assertTrue(Files.readString(pki.nodeDir(HRSS_44).resolve("tls.key"), StandardCharsets.US_ASCII)
        .startsWith("-----BEGIN PRIVATE KEY-----"));
  }

  @Test
  void loadsCredentialsBack() throws Exception {
    for (NodeId node : NODES) {
      NodeCredentials creds = NodeCredentials.load(pki.nodeDir(node));
      assertEquals(node, creds.id());
      assertEquals(List.of(pki.root()), creds.trustRoots());
      int expectedChain = node.isHub() ? 1 : 2;
      assertEquals(expectedChain, creds.tlsChain().size(), node.toString());
      assertEquals(expectedChain, creds.signingChain().size(), node.toString());
      assertTrue(Sm2.isSm2Key(creds.signingKey()));
      assertTrue(Sm2.isSm2Key(creds.signingCertificate().getPublicKey()));
      assertEquals("EC", creds.tlsKey().getAlgorithm());
      assertFalse(Sm2.isSm2Key(creds.tlsKey()));
      // the loaded signing key signs what the certificate's key verifies
      byte[] msg = "checkpoint".getBytes(StandardCharsets.US_ASCII);
      assertTrue(Sm2.verifier(creds.signingCertificate().getPublicKey())
          .verify(msg, Sm2.signer(creds.signingKey()).sign(msg)));
    }
  }

  @Test
  void reopenedPkiIssuesMoreNodes() throws Exception {
    FederationPki again = FederationPki.open(dir);
    assertEquals(pki.root(), again.root());
    NodeId tax = NodeId.parse("prov-11/dept-tax");
    NodeCredentials creds = again.issue(tax, NOW, Duration.ofDays(30), RANDOM);
    assertEquals(tax, NodeCredentials.load(again.nodeDir(tax)).id());
    assertEquals(creds.tlsCertificate(), NodeCredentials.load(again.nodeDir(tax)).tlsCertificate());
    validateJdk(creds.tlsChain());
    assertEquals(NOW.plus(Duration.ofDays(30)), creds.tlsCertificate().getNotAfter().toInstant());
  }

  @Test
  void refusesToOverwriteAnExistingPki() {
    IOException e = assertThrows(IOException.class,
        () -> FederationPki.init(dir, List.of(), NOW, Duration.ofDays(1), RANDOM));
    assertTrue(e.getMessage().contains("already"), e.getMessage());
  }

  @Test
  void tlsChainsValidateWithJdkPkix() throws Exception {
    for (NodeId node : NODES) {
      validateJdk(pki.load(node).tlsChain());
    }
  }

  @Test
  void signingChainsValidateWithPkix() throws Exception {
    for (NodeId node : NODES) {
      validate(pki.load(node).signingChain(), BouncyCastle.provider());
    }
  }

  /** A province's CA cannot certify another province's gateway DNS name: PKIX refuses the chain. */
  @Test
  void anotherProvincesGatewayDnsNameIsOutsideAnIntermediatesConstraints() throws Exception {
    CertificateAuthority ica = pki.authorityFor(HRSS_44);
    X509Certificate own = RawIssuer.leaf(ica.certificate(), ica.privateKey(), "prov-44",
        RawIssuer.p256().getPublic(), NOW, NOW.plus(Duration.ofDays(1)), "sluice://prov-44", "dns:prov-44");
    validateJdk(List.of(own, ica.certificate()));
    X509Certificate foreign = RawIssuer.leaf(ica.certificate(), ica.privateKey(), "prov-44",
        RawIssuer.p256().getPublic(), NOW, NOW.plus(Duration.ofDays(1)), "sluice://prov-44", "dns:prov-11");
    assertThrows(CertPathValidatorException.class, () -> validateJdk(List.of(foreign, ica.certificate())));
  }

  @Test
  void foreignRootDoesNotValidate(@TempDir Path other) throws Exception {
    FederationPki foreign = FederationPki.init(other, List.of(PROV_44), NOW, Duration.ofDays(1), RANDOM);
    List<X509Certificate> chain = foreign.load(PROV_44).tlsChain();
    assertThrows(CertPathValidatorException.class, () -> validateJdk(chain));
  }

  @Test
  void subjectAndSanAreExactlyTheNode() throws Exception {
    for (NodeId node : NODES) {
      NodeCredentials creds = pki.load(node);
      for (X509Certificate leaf : List.of(creds.tlsCertificate(), creds.signingCertificate())) {
        // From the signed bytes: the JDK's getSubjectAlternativeNames() may show a DNS name it
        // derived from the CN during a name-constraint check (certificates are cached by encoding).
        org.bouncycastle.asn1.x509.GeneralName[] sans =
            org.bouncycastle.asn1.x509.GeneralNames.fromExtensions(
                    new org.bouncycastle.cert.jcajce.JcaX509CertificateHolder(leaf).getExtensions(),
                    org.bouncycastle.asn1.x509.Extension.subjectAlternativeName)
                .getNames();
        // The URI is the identity; a gateway also carries its node id as a DNS name (for TLS
        // clients in other languages, which check DNS names), a department nothing else.
        assertEquals(node.isDepartment() ? 1 : 2, sans.length);
        assertEquals(org.bouncycastle.asn1.x509.GeneralName.uniformResourceIdentifier, sans[0].getTagNo());
        assertEquals(node.toUri(), sans[0].getName().toString());
        if (!node.isDepartment()) {
          assertEquals(org.bouncycastle.asn1.x509.GeneralName.dNSName, sans[1].getTagNo());
          assertEquals(node.toString(), sans[1].getName().toString());
        }
        assertEquals(node, PeerIdentity.nodeIdOf(leaf));
        assertEquals("CN=" + node + ",O=Sluice Federation",
            leaf.getSubjectX500Principal().getName());
        assertEquals(-1, leaf.getBasicConstraints());
      }
      assertEquals(List.of("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"),
          creds.tlsCertificate().getExtendedKeyUsage());
      assertTrue(creds.tlsCertificate().getKeyUsage()[0], "digitalSignature");
      assertFalse(creds.tlsCertificate().getKeyUsage()[1], "no nonRepudiation on TLS");
      assertEquals(null, creds.signingCertificate().getExtendedKeyUsage());
      assertTrue(creds.signingCertificate().getKeyUsage()[0], "digitalSignature");
      assertTrue(creds.signingCertificate().getKeyUsage()[1], "nonRepudiation");
    }
    assertEquals("CN=prov-44/dept-hrss,O=Sluice Federation",
        pki.load(HRSS_44).tlsCertificate().getSubjectX500Principal().getName());
    assertEquals("CN=Sluice CA prov-44,O=Sluice Federation",
        pki.load(HRSS_44).tlsCertificate().getIssuerX500Principal().getName());
    assertEquals(pki.root().getSubjectX500Principal(),
        pki.load(NodeId.NATIONAL).tlsCertificate().getIssuerX500Principal());
  }

  @Test
  void intermediatesCarryNameConstraintsAndPathLenZero() {
    X509Certificate ica = pki.authorityFor(HRSS_44).certificate();
    assertEquals("CN=Sluice CA prov-44,O=Sluice Federation", ica.getSubjectX500Principal().getName());
    assertEquals(0, ica.getBasicConstraints());
    assertTrue(ica.getCriticalExtensionOIDs().contains("2.5.29.30"));
    byte[] ext = ica.getExtensionValue("2.5.29.30");
    assertNotNull(ext);
    NameConstraints nc = NameConstraints.getInstance(ASN1OctetString.getInstance(ext).getOctets());
    GeneralSubtree[] permitted = nc.getPermittedSubtrees();
    assertEquals(2, permitted.length);
    assertEquals(GeneralName.uniformResourceIdentifier, permitted[0].getBase().getTagNo());
    assertEquals("prov-44", permitted[0].getBase().getName().toString());
    assertEquals(GeneralName.dNSName, permitted[1].getBase().getTagNo());
    assertEquals("prov-44", permitted[1].getBase().getName().toString());
    assertEquals(null, nc.getExcludedSubtrees());
    boolean[] usage = ica.getKeyUsage();
    assertTrue(usage[5] && usage[6], "keyCertSign and cRLSign");
    X509Certificate root = pki.root();
    assertEquals(Integer.MAX_VALUE, root.getBasicConstraints());
    assertArrayEquals(new boolean[] {false, false, false, false, false, true, true, false, false},
        root.getKeyUsage());
  }

  @Test
  void nameConstraintsStopAnIntermediateFromCertifyingAnotherProvince() throws Exception {
    // Bypass the CA's own refusal: raw-issue a prov-44 leaf from the prov-11 intermediate.
    CertificateAuthority prov11 = pki.authorityFor(PROV_11);
    X509Certificate rogue = RawIssuer.leaf(prov11.certificate(), prov11.privateKey(),
        "prov-44", RawIssuer.p256().getPublic(), NOW, NOW.plus(Duration.ofDays(1)),
        PROV_44.toUri());
    List<X509Certificate> chain = List.of(rogue, prov11.certificate());
    CertPathValidatorException jdk =
        assertThrows(CertPathValidatorException.class, () -> validateJdk(chain));
    assertTrue(jdk.getMessage().toLowerCase().contains("name constraint"), jdk.getMessage());
    assertThrows(CertPathValidatorException.class, () -> validate(chain, BouncyCastle.provider()));
  }

  @Test
  void intermediateRefusesOtherProvinces() {
    CertificateAuthority prov11 = pki.authorityFor(PROV_11);
    X509Certificate anyKey = prov11.certificate();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> prov11.issueTls(PROV_44, anyKey.getPublicKey(), NOW, NOW.plusSeconds(60)));
    assertTrue(e.getMessage().contains("prov-11") && e.getMessage().contains("prov-44"),
        e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> prov11.issueSigning(HRSS_44, Sm2.generateKeyPair(RANDOM).getPublic(), NOW,
            NOW.plusSeconds(60)));
    assertThrows(IllegalArgumentException.class,
        () -> prov11.issueTls(NodeId.NATIONAL, anyKey.getPublicKey(), NOW, NOW.plusSeconds(60)));
    assertThrows(IllegalArgumentException.class,
        () -> prov11.issueProvincialIntermediate(Province.HEBEI, NOW, NOW.plusSeconds(60), RANDOM));
  }

  @Test
  void rootCertifiesOnlyTheNationalNode() {
    CertificateAuthority root = pki.rootAuthority();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> root.issueTls(PROV_44, root.certificate().getPublicKey(), NOW, NOW.plusSeconds(60)));
    assertTrue(e.getMessage().contains("Sluice CA prov-44"), e.getMessage());
    assertNotNull(root.issueTls(NodeId.NATIONAL, root.certificate().getPublicKey(), NOW,
        NOW.plusSeconds(60)));
  }

  @Test
  void refusesWrongKeyTypesAndValidity() throws Exception {
    CertificateAuthority prov44 = pki.authorityFor(PROV_44);
    assertThrows(IllegalArgumentException.class,
        () -> prov44.issueTls(PROV_44, Sm2.generateKeyPair(RANDOM).getPublic(), NOW, NOW.plusSeconds(60)));
    assertThrows(IllegalArgumentException.class,
        () -> prov44.issueSigning(PROV_44, RawIssuer.p256().getPublic(), NOW, NOW.plusSeconds(60)));
    assertThrows(IllegalArgumentException.class,
        () -> prov44.issueTls(PROV_44, RawIssuer.p256().getPublic(), NOW, NOW));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> prov44.issueTls(PROV_44, RawIssuer.p256().getPublic(), NOW,
            NOW.plus(Duration.ofDays(400))));
    assertTrue(e.getMessage().contains("outside the validity"), e.getMessage());
  }

  @Test
  void serialsAreRandomPositive128Bit() throws Exception {
    CertificateAuthority prov44 = pki.authorityFor(PROV_44);
    Set<java.math.BigInteger> seen = new java.util.HashSet<>();
    for (int i = 0; i < 20; i++) {
      java.math.BigInteger serial = prov44.issueTls(PROV_44, RawIssuer.p256().getPublic(), NOW,
          NOW.plusSeconds(60)).getSerialNumber();
      assertTrue(serial.signum() > 0 && serial.bitLength() <= 128, serial.toString(16));
      seen.add(serial);
    }
    assertEquals(20, seen.size());
  }

  @Test
  void loadNamesTheBadFile() throws Exception {
    Path nodeDir = pki.nodeDir(PROV_11);
    Path copy = dir.resolve("broken");
    Files.createDirectories(copy);
    for (String f : List.of("tls.crt", "tls.key", "sign.crt", "sign.key", "ca.crt")) {
      Files.copy(nodeDir.resolve(f), copy.resolve(f));
    }
    Files.copy(pki.nodeDir(PROV_44).resolve("tls.key"), copy.resolve("tls.key"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    IOException mismatch = assertThrows(IOException.class, () -> NodeCredentials.load(copy));
    assertTrue(mismatch.getMessage().contains("tls.key") && mismatch.getMessage().contains("does not match"),
        mismatch.getMessage());

    Files.copy(nodeDir.resolve("tls.key"), copy.resolve("tls.key"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.copy(nodeDir.resolve("tls.key"), copy.resolve("sign.crt"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    IOException wrongKind = assertThrows(IOException.class, () -> NodeCredentials.load(copy));
    assertTrue(wrongKind.getMessage().contains("sign.crt"), wrongKind.getMessage());

    Files.delete(copy.resolve("ca.crt"));
    Files.copy(nodeDir.resolve("sign.crt"), copy.resolve("sign.crt"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    IOException missing = assertThrows(IOException.class, () -> NodeCredentials.load(copy));
    assertTrue(missing.getMessage().contains("ca.crt"), missing.getMessage());
  }

  @Test
  void issuesTwoHundredNodesQuickly(@TempDir Path big) throws Exception {
    List<NodeId> nodes = new ArrayList<>();
    nodes.add(NodeId.NATIONAL);
    for (Province p : Province.values()) {
      nodes.add(p.gatewayId());
      for (int i = 0; i < 5; i++) {
        nodes.add(NodeId.department(p, "d" + i));
      }
    }
    long start = System.nanoTime();
    FederationPki.init(big, nodes, NOW, Duration.ofDays(1), RANDOM);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertEquals(nodes.size(), Files.list(big.resolve("nodes")).count());
    assertTrue(took.compareTo(Duration.ofSeconds(30)) < 0, "took " + took);
    System.out.println("issued " + nodes.size() + " nodes in " + took.toMillis() + " ms");
  }

  static void validateJdk(List<X509Certificate> chain) throws Exception {
    validate(chain, null);
  }

  static void validate(List<X509Certificate> chain, Provider provider) throws Exception {
    CertificateFactory cf = provider == null ? CertificateFactory.getInstance("X.509")
        : CertificateFactory.getInstance("X.509", provider);
    CertPathValidator v = provider == null ? CertPathValidator.getInstance("PKIX")
        : CertPathValidator.getInstance("PKIX", provider);
    PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(pki.root(), null)));
    params.setRevocationEnabled(false);
    params.setDate(Date.from(NOW.plusSeconds(1)));
    v.validate(cf.generateCertPath(chain), params);
  }
}
