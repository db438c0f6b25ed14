package sluice.crypto.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.crypto.NodeId;

class PeerIdentityTest {

  static final NodeId PROV_44 = NodeId.parse("prov-44");
  static final NodeId PROV_11 = NodeId.parse("prov-11");
  static final NodeId HRSS_44 = NodeId.parse("prov-44/dept-hrss");
  static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  static final Instant LATER = NOW.plus(Duration.ofDays(1));

  @TempDir static Path dir;
  @TempDir static Path foreignDir;
  static FederationPki pki;
  static FederationPki foreign;

  @BeforeAll
  static void init() throws Exception {
    SecureRandom random = new SecureRandom();
    pki = FederationPki.init(dir, List.of(NodeId.NATIONAL, PROV_44, HRSS_44), NOW,
        Duration.ofDays(30), random);
    foreign = FederationPki.init(foreignDir, List.of(), NOW, Duration.ofDays(30), random);
  }

  private static X509Certificate[] array(List<X509Certificate> chain) {
    return chain.toArray(new X509Certificate[0]);
  }

  private static CertificateException rejects(X509Certificate... chain) {
    return assertThrows(CertificateException.class, () -> PeerIdentity.verify(chain));
  }

  private static void assertMentions(Exception e, String... parts) {
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), "\"" + e.getMessage() + "\" lacks " + part);
    }
  }

  @Test
  void acceptsGoodChains() throws Exception {
    for (NodeId node : List.of(NodeId.NATIONAL, PROV_44, HRSS_44)) {
      NodeCredentials creds = pki.load(node);
      assertEquals(node, PeerIdentity.verify(array(creds.tlsChain())));
      assertEquals(node, PeerIdentity.verify(array(creds.signingChain())));
    }
    // The national chain may also be presented together with the root.
    X509Certificate national = pki.load(NodeId.NATIONAL).tlsCertificate();
    assertEquals(NodeId.NATIONAL, PeerIdentity.verify(new X509Certificate[] {national, pki.root()}));
    // Extra certificates after the intermediate (e.g. the root) are fine.
    List<X509Certificate> dept = pki.load(HRSS_44).tlsChain();
    assertEquals(HRSS_44,
        PeerIdentity.verify(new X509Certificate[] {dept.get(0), dept.get(1), pki.root()}));
  }

  @Test
  void rejectsLeafWithoutSan() throws Exception {
    CertificateAuthority ica = pki.authorityFor(PROV_44);
    X509Certificate leaf = RawIssuer.leaf(ica.certificate(), ica.privateKey(), "prov-44",
        RawIssuer.p256().getPublic(), NOW, LATER);
    assertMentions(rejects(leaf, ica.certificate()), "no subjectAltName");
  }

  @Test
  void rejectsLeafWithTwoSans() throws Exception {
    CertificateAuthority ica = pki.authorityFor(PROV_44);
    X509Certificate leaf = RawIssuer.leaf(ica.certificate(), ica.privateKey(), "prov-44",
        RawIssuer.p256().getPublic(), NOW, LATER, PROV_44.toUri(), HRSS_44.toUri());
    assertMentions(rejects(leaf, ica.certificate()), "2 subjectAltNames");
  }

  @Test
  void aGatewayMayCarryItsOwnNodeIdAsADnsNameAndNothingElse() throws Exception {
    CertificateAuthority ica = pki.authorityFor(PROV_44);
    X509Certificate own = RawIssuer.leaf(ica.certificate(), ica.privateKey(), "prov-44",
        RawIssuer.p256().getPublic(), NOW, LATER, PROV_44.toUri(), "dns:prov-44");
    assertEquals(PROV_44, PeerIdentity.verify(new X509Certificate[] {own, ica.certificate()}));
    X509Certificate other = RawIssuer.leaf(ica.certificate(), ica.privateKey(), "prov-44",
        RawIssuer.p256().getPublic(), NOW, LATER, PROV_44.toUri(), "dns:national");
    assertMentions(rejects(other, ica.certificate()), "has the DNS name \"national\"");
    X509Certificate department = RawIssuer.leaf(ica.certificate(), ica.privateKey(), "prov-44/dept-hrss",
        RawIssuer.p256().getPublic(), NOW, LATER, HRSS_44.toUri(), "dns:prov-44");
    assertMentions(rejects(department, ica.certificate()), "only a gateway's certificate carries one");
    X509Certificate two = RawIssuer.leaf(ica.certificate(), ica.privateKey(), "prov-44",
        RawIssuer.p256().getPublic(), NOW, LATER, PROV_44.toUri(), "dns:prov-44", "dns:www.prov-44");
    assertMentions(rejects(two, ica.certificate()), "3 subjectAltNames");
  }

  @Test
  void rejectsMalformedUri() throws Exception {
    CertificateAuthority ica = pki.authorityFor(PROV_44);
    for (String uri : List.of("https://prov-44", "sluice://prov-99", "sluice://prov-44/hrss")) {
      X509Certificate leaf = RawIssuer.leaf(ica.certificate(), ica.privateKey(), "prov-44",
          RawIssuer.p256().getPublic(), NOW, LATER, uri);
      assertMentions(rejects(leaf, ica.certificate()), "not a Sluice node URI", uri);
    }
  }

  @Test
  void rejectsLeafOfAnotherProvincesIntermediate() throws Exception {
    CertificateAuthority prov11 = pki.authorityFor(PROV_11);
    X509Certificate leaf = RawIssuer.leaf(prov11.certificate(), prov11.privateKey(), "prov-44",
        RawIssuer.p256().getPublic(), NOW, LATER, PROV_44.toUri());
    assertMentions(rejects(leaf, prov11.certificate()),
        "prov-44", "must be issued by CN=Sluice CA prov-44", "Sluice CA prov-11");
  }

  @Test
  void rejectsGoodLeafPresentedWithWrongIntermediate() throws Exception {
    X509Certificate leaf = pki.load(PROV_44).tlsCertificate();
    assertMentions(rejects(leaf, pki.authorityFor(PROV_11).certificate()),
        "prov-44", "second certificate", "Sluice CA prov-11");
    assertMentions(rejects(leaf), "prov-44", "must be presented");
  }

  @Test
  void rejectsLookalikeIntermediateThatDidNotSign() throws Exception {
    // Same subject DN as the real prov-44 intermediate, different key (another federation's).
    X509Certificate leaf = pki.load(HRSS_44).tlsCertificate();
    assertMentions(rejects(leaf, foreign.authorityFor(PROV_44).certificate()),
        "prov-44/dept-hrss", "not signed by");
  }

  @Test
  void rejectsProvincialLeafIssuedByTheRoot() throws Exception {
    CertificateAuthority root = pki.rootAuthority();
    X509Certificate leaf = RawIssuer.leaf(root.certificate(), root.privateKey(),
        "prov-44/dept-hrss", RawIssuer.p256().getPublic(), NOW, LATER, HRSS_44.toUri());
    assertMentions(rejects(leaf, root.certificate()), "prov-44/dept-hrss",
        "must be issued by CN=Sluice CA prov-44");
  }

  @Test
  void rejectsNationalLeafIssuedByAProvince() throws Exception {
    CertificateAuthority prov44 = pki.authorityFor(PROV_44);
    X509Certificate leaf = RawIssuer.leaf(prov44.certificate(), prov44.privateKey(), "national",
        RawIssuer.p256().getPublic(), NOW, LATER, NodeId.NATIONAL.toUri());
    assertMentions(rejects(leaf, prov44.certificate()), "national", "federation root",
        "Sluice CA prov-44");
    assertMentions(rejects(leaf), "national", "Sluice CA prov-44");
  }

  @Test
  void rejectsNationalLeafFollowedByANonRoot() throws Exception {
    X509Certificate national = pki.load(NodeId.NATIONAL).tlsCertificate();
    assertMentions(rejects(national, foreign.root()), "national", "directly by the federation root");
  }

  @Test
  void rejectsEmptyChain() {
    assertMentions(rejects(), "no peer certificate");
    assertThrows(CertificateException.class, () -> PeerIdentity.verify((X509Certificate[]) null));
  }
}
