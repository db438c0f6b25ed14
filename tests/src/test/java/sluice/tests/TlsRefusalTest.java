package sluice.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static sluice.tests.Fixtures.cmp;
import static sluice.tests.Fixtures.request;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.crypto.NodeId;
import sluice.crypto.Province;
import sluice.crypto.pki.CertificateAuthority;
import sluice.crypto.pki.FederationPki;
import sluice.crypto.pki.NodeCredentials;
import sluice.gateway.Transport;
import sluice.nodes.run.FederationSetup;
import sluice.nodes.run.LocalFederation;
import sluice.v1.Answer;
import sluice.v1.Operator;
import sluice.v1.VerifyRequest;

/**
 * Mutual TLS refuses every caller without a valid federation certificate, and every client
 * refuses a server that is not the node it meant to reach.
 */
class TlsRefusalTest {
  static final NodeId CONSUMER = NodeId.parse("prov-44/dept-ca");
  static final NodeId GATEWAY = NodeId.parse("prov-44");

  @TempDir static Path work;
  static Transport transport;
  static LocalFederation federation;
  static FederationSetup.Layout layout;
  static VerifyRequest question;

  @BeforeAll
  static void start() throws Exception {
    layout =
        Fixtures.beijingAndGuangdong(work, 30);
    transport = Transport.create();
    federation =
        LocalFederation.start(
            layout,
            transport,
            Fixtures::inBeijingOrGuangdong);
    String subject = layout.data().resource("3-44-001-001-000001").orElseThrow().sampleKeys().get(0);
    question = request("3-44-001-001-000001", subject, cmp("id_number", Operator.EXISTS));
  }

  @AfterAll
  static void stop() {
    federation.close();
    transport.close();
  }

  static InetSocketAddress gateway() {
    return layout.addresses().get(GATEWAY);
  }

  static Answer callWith(NodeCredentials creds, NodeId expected, InetSocketAddress address)
      throws Exception {
    ManagedChannel ch = Fixtures.channel(transport, creds, expected, address);
    try {
      return Fixtures.stub(ch).verify(question).getAnswer();
    } finally {
      Fixtures.shutdown(ch);
    }
  }

  static void assertRefusedAtHandshake(NodeCredentials creds) {
    StatusRuntimeException e =
        assertThrows(StatusRuntimeException.class, () -> callWith(creds, GATEWAY, gateway()));
    assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.getStatus().toString());
  }

  @Test
  void theRealCertificateIsAccepted() throws Exception {
    assertEquals(Answer.TRUE, callWith(Fixtures.credentials(layout, CONSUMER), GATEWAY, gateway()));
  }

  @Test
  void noClientCertificateIsRefused() throws Exception {
    ManagedChannel ch =
        transport
            .channelBuilder(
                gateway(),
                GrpcSslContexts.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build())
            .build();
    try {
      // A gateway lets the handshake finish so that it can audit the attempt, then refuses the call.
      StatusRuntimeException e =
          assertThrows(StatusRuntimeException.class, () -> Fixtures.stub(ch).verify(question));
      assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode(), e.getStatus().toString());
    } finally {
      Fixtures.shutdown(ch);
    }
  }

  /** A department node, which records no refusals, leaves the TLS stack to refuse it outright. */
  @Test
  void aDepartmentRefusesNoClientCertificateInTheHandshake() throws Exception {
    org.junit.jupiter.api.Assertions.assertTrue(federation.running().containsKey(NodeId.parse("prov-44/dept-psb")));
    ManagedChannel ch =
        transport
            .channelBuilder(
                layout.addresses().get(NodeId.parse("prov-44/dept-psb")),
                GrpcSslContexts.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build())
            .build();
    try {
      StatusRuntimeException e =
          assertThrows(StatusRuntimeException.class, () -> Fixtures.stub(ch).verify(question));
      assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.getStatus().toString());
      org.junit.jupiter.api.Assertions.assertFalse(String.valueOf(e.getCause()).contains("Connection refused"),
          "refused in the handshake, not for want of a listener: " + e);
    } finally {
      Fixtures.shutdown(ch);
    }
  }

  @Test
  void aCertificateFromAForeignCaIsRefused() throws Exception {
    SecureRandom random = new SecureRandom();
    Instant now = Instant.now();
    CertificateAuthority foreignRoot =
        CertificateAuthority.createRoot("Impostor Root", now.minusSeconds(60), now.plus(Duration.ofDays(1)), random);
    CertificateAuthority foreignProvince =
        foreignRoot.issueProvincialIntermediate(Province.GUANGDONG, now.minusSeconds(60), now.plus(Duration.ofDays(1)), random);
    NodeCredentials real = Fixtures.credentials(layout, CONSUMER);
    KeyPair key = Fixtures.p256();
    X509Certificate cert = foreignProvince.issueTls(CONSUMER, key.getPublic(), now.minusSeconds(60), now.plus(Duration.ofDays(1)));
    NodeCredentials impostor =
        new NodeCredentials(
            CONSUMER, key.getPrivate(), List.of(cert, foreignProvince.certificate()),
            real.signingKey(), real.signingChain(), real.trustRoots());
    assertRefusedAtHandshake(impostor);
  }

  @Test
  void anExpiredCertificateIsRefused() throws Exception {
    FederationPki pki = FederationPki.open(layout.pkiDir());
    CertificateAuthority province = pki.authorityFor(CONSUMER);
    NodeCredentials real = Fixtures.credentials(layout, CONSUMER);
    KeyPair key = Fixtures.p256();
    Instant now = Instant.now();
    X509Certificate expired =
        province.issueTls(CONSUMER, key.getPublic(), now.minus(Duration.ofHours(20)), now.minus(Duration.ofHours(1)));
    NodeCredentials stale =
        new NodeCredentials(
            CONSUMER, key.getPrivate(), List.of(expired, province.certificate()),
            real.signingKey(), real.signingChain(), real.trustRoots());
    assertRefusedAtHandshake(stale);
  }

  @Test
  void aServerPresentingAnotherNodesCertificateIsRefused() throws Exception {
    NodeCredentials creds = Fixtures.credentials(layout, CONSUMER);
    // Expecting prov-44 but reaching prov-11: the client refuses the handshake.
    StatusRuntimeException e =
        assertThrows(
            StatusRuntimeException.class,
            () -> callWith(creds, GATEWAY, layout.addresses().get(NodeId.parse("prov-11"))));
    assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
    // Expecting prov-11 there, the handshake succeeds and the gateway itself refuses the caller.
    e =
        assertThrows(
            StatusRuntimeException.class,
            () -> callWith(creds, NodeId.parse("prov-11"), layout.addresses().get(NodeId.parse("prov-11"))));
    assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode());
  }

  @Test
  void anotherNodesKeyCannotBorrowADepartmentCertificate() throws Exception {
    // A node that copies prov-44/dept-ca's certificate but holds only its own key cannot
    // complete the handshake: the certificate is useless without its private key.
    NodeCredentials victim = Fixtures.credentials(layout, CONSUMER);
    NodeCredentials thief = Fixtures.credentials(layout, NodeId.parse("prov-44/dept-tax"));
    NodeCredentials borrowed =
        new NodeCredentials(
            CONSUMER, thief.tlsKey(), victim.tlsChain(), thief.signingKey(), thief.signingChain(), thief.trustRoots());
    assertRefusedAtHandshake(borrowed);
  }
}
