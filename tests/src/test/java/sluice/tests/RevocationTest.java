package sluice.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sluice.tests.Fixtures.cmp;
import static sluice.tests.Fixtures.request;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.crypto.NodeId;
import sluice.crypto.pki.TlsContexts;
import sluice.gateway.Transport;
import sluice.nodes.run.FederationSetup;
import sluice.nodes.run.LocalFederation;
import sluice.v1.Answer;
import sluice.v1.AuditEntry;
import sluice.v1.Operator;
import sluice.v1.VerifyRequest;

/**
 * `sluice pki revoke` takes a node out of the federation within seconds: its connections, new and
 * already open, are refused by its gateway, and a gateway no longer reaches a revoked department;
 * every other node goes on as before.
 */
class RevocationTest {
  static final NodeId GATEWAY = NodeId.parse("prov-44");
  static final NodeId REVOKED_CONSUMER = NodeId.parse("prov-44/dept-ca");
  static final NodeId CONSUMER = NodeId.parse("prov-44/dept-tax");

  @TempDir static Path work;
  static Transport transport;
  static LocalFederation federation;
  static FederationSetup.Layout layout;
  static VerifyRequest toPsb;
  static VerifyRequest toHrss;

  @BeforeAll
  static void start() throws Exception {
    layout = Fixtures.beijingAndGuangdong(work, 30);
    transport = Transport.create(layout.revocations());
    federation = LocalFederation.start(layout, transport, Fixtures::inBeijingOrGuangdong);
    toPsb = request("3-44-001-001-000001",
        layout.data().resource("3-44-001-001-000001").orElseThrow().sampleKeys().get(0), cmp("id_number", Operator.EXISTS));
    toHrss = request("3-44-002-001-000001",
        layout.data().resource("3-44-002-001-000001").orElseThrow().sampleKeys().get(0), cmp("id_number", Operator.EXISTS));
  }

  @AfterAll
  static void stop() {
    federation.close();
    transport.close();
  }

  static ManagedChannel channel(NodeId consumer) throws Exception {
    // The consumer's own client does not check revocations: the gateway must refuse it alone.
    return transport.channelBuilder(layout.addresses().get(GATEWAY),
        TlsContexts.client(Fixtures.credentials(layout, consumer), GATEWAY)).build();
  }

  static void revoke(NodeId node) {
    StewardServiceTest.Cli cli = new StewardServiceTest.Cli();
    assertEquals(0, cli.run(new String[] {"pki", "revoke", "--dir", layout.pkiDir().toString(), "--node", node.toString()}),
        cli.err());
    assertTrue(cli.out().startsWith("revoked " + node + ": certificates "), cli.out());
  }

  /** Asks {@code question} on {@code channel} until it is refused (within the fixtures' wait), and returns the refusal. */
  static StatusRuntimeException firstRefusal(ManagedChannel channel, VerifyRequest question) throws InterruptedException {
    return Fixtures.awaitValue(() -> {
      try {
        Fixtures.stub(channel).verify(question);
        return null;
      } catch (StatusRuntimeException e) {
        return e;
      }
    }, e -> e != null);
  }

  /** The entries {@code gateway} wrote for attempts refused before authentication, as the hub (an auditor) reads them. */
  static List<AuditEntry> deniedBefore(NodeId gateway) {
    try (sluice.gateway.NodeChannels asHub = federation.channelsAs(NodeId.NATIONAL)) {
      return Fixtures.denied(asHub.to(gateway)).stream().filter(e -> e.getStatus().equals("UNAUTHENTICATED")).toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void aRevokedNodeIsRefusedOnOpenAndNewConnectionsAndNoOneElseIs() throws Exception {
    ManagedChannel open = channel(REVOKED_CONSUMER);
    ManagedChannel other = channel(CONSUMER);
    try {
      assertEquals(Answer.TRUE, Fixtures.stub(open).verify(toPsb).getAnswer());
      sluice.v1.VerifyResponse fromPsb = Fixtures.stub(other).verify(toPsb);
      sluice.v1.VerifyResponse fromHrss = Fixtures.stub(other).verify(toHrss);
      assertEquals(Answer.TRUE, fromPsb.getAnswer());
      sluice.gateway.receipt.ReceiptVerifier receipts = new sluice.gateway.receipt.ReceiptVerifier(
          Fixtures.credentials(layout, CONSUMER).trustRoots(), transport.revocations());
      receipts.verify(fromPsb.getReceipt(), toPsb, Answer.TRUE);

      revoke(REVOKED_CONSUMER);
      // The connection opened before the revocation: refused at its next call, once the gateway read the list.
      StatusRuntimeException refused = firstRefusal(open, toPsb);
      assertEquals(Status.Code.UNAUTHENTICATED, refused.getStatus().getCode(), refused.getStatus().toString());
      assertTrue(refused.getStatus().getDescription().contains("was revoked"), refused.getStatus().toString());
      // A new connection: refused at the handshake.
      ManagedChannel fresh = channel(REVOKED_CONSUMER);
      try {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> Fixtures.stub(fresh).verify(toPsb));
        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.getStatus().toString());
      } finally {
        Fixtures.shutdown(fresh);
      }
      assertEquals(Answer.TRUE, Fixtures.stub(other).verify(toPsb).getAnswer(), "other departments are unaffected");
      // Both refusals are in the gateway's audit log, with their reasons.
      List<AuditEntry> refusals = Fixtures.awaitValue(() -> deniedBefore(GATEWAY),
          l -> l.stream().anyMatch(e -> e.getOperation().equals("Handshake"))
              && l.stream().anyMatch(e -> e.getOperation().equals("Verify")));
      AuditEntry call = refusals.stream().filter(e -> e.getOperation().equals("Verify")).findFirst().orElseThrow();
      assertEquals(REVOKED_CONSUMER.toString(), call.getConsumerNodeId());
      assertTrue(call.getReason().contains("was revoked"), call.toString());
      AuditEntry handshake = refusals.stream().filter(e -> e.getOperation().equals("Handshake")).findFirst().orElseThrow();
      assertTrue(handshake.getReason().startsWith("TLS handshake refused: ") && handshake.getReason().contains("revoked"),
          handshake.toString());

      // A revoked department: its gateway no longer reaches it, on the connection it had open either.
      revoke(NodeId.parse("prov-44/dept-psb"));
      StatusRuntimeException unreachable = firstRefusal(other, toPsb);
      assertEquals(Status.Code.UNAVAILABLE, unreachable.getStatus().getCode(), unreachable.getStatus().toString());
      assertEquals(Answer.TRUE, Fixtures.stub(other).verify(toHrss).getAnswer(), "the province's other departments answer");
      // Its receipts no longer verify (its signing certificate is revoked too); others' still do.
      sluice.gateway.receipt.InvalidReceiptException bad = assertThrows(sluice.gateway.receipt.InvalidReceiptException.class,
          () -> receipts.verify(fromPsb.getReceipt(), toPsb, Answer.TRUE));
      assertTrue(bad.getMessage().contains("was revoked"), bad.getMessage());
      receipts.verify(fromHrss.getReceipt(), toHrss, fromHrss.getAnswer());
    } finally {
      Fixtures.shutdown(open);
      Fixtures.shutdown(other);
    }
  }
}
