package sluice.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sluice.tests.Fixtures.cmp;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import sluice.catalog.ResourceCatalog;
import sluice.catalog.entry.CatalogueEntries;
import sluice.catalog.entry.CatalogueEntry;
import sluice.catalog.grant.Grant;
import sluice.catalog.predicate.PredicateLimits;
import sluice.catalog.snapshot.CatalogSnapshot;
import sluice.catalog.snapshot.SnapshotRejectedException;
import sluice.catalog.snapshot.SnapshotSigner;
import sluice.catalog.snapshot.SnapshotVerifier;
import sluice.crypto.NodeId;
import sluice.crypto.Sm2;
import sluice.crypto.pki.NodeCredentials;
import sluice.gateway.Gateway;
import sluice.gateway.NodeAddresses;
import sluice.gateway.Transport;
import sluice.gateway.client.BatchResult;
import sluice.gateway.client.ConsumerClient;
import sluice.gateway.policy.SnapshotAccessPolicy;
import sluice.nodes.department.CsvRecords;
import sluice.nodes.department.DepartmentNode;
import sluice.nodes.run.FederationSetup;
import sluice.v1.Answer;
import sluice.v1.BatchHeader;
import sluice.v1.BatchItem;
import sluice.v1.BatchVerifyResponse;
import sluice.v1.Operator;
import sluice.v1.Predicate;
import sluice.gateway.audit.AuditKeyFile;
import sluice.v1.RequestContext;
import sluice.v1.VerifyRequest;

/**
 * Catalogue and grants enforced at both the consumer's and the provider's gateway, each deciding
 * from the last hub-signed snapshot it verified: no grant, fields and purposes outside the grant,
 * revocation at the provider's gateway first, daily quota, and per-item refusals in a batch.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EnforcementTest {
  static final NodeId BJ = NodeId.parse("prov-11");
  static final NodeId GD = NodeId.parse("prov-44");
  static final NodeId PROVIDER = NodeId.parse("prov-44/dept-hrss");
  static final NodeId CONSUMER = NodeId.parse("prov-11/dept-ca");
  static final String PURPOSE = "SOCIAL_ASSISTANCE_ELIGIBILITY";

  @TempDir static Path work;
  static FederationSetup.Layout layout;
  static Transport transport;
  static final List<AutoCloseable> nodes = new ArrayList<>();
  static CatalogueEntry entry;
  static SnapshotSigner hub;
  static SnapshotVerifier bjSnapshots;
  static SnapshotVerifier gdSnapshots;
  static ConsumerClient client;
  static String subject;

  @BeforeAll
  static void start() throws Exception {
    layout = Fixtures.beijingAndGuangdong(work, 60);
    transport = Transport.create();
    entry = CatalogueEntries.read(Path.of("../docs/examples/catalogue-entry.yaml"));
    ResourceCatalog catalog = ResourceCatalog.of(List.of(entry.descriptor()));
    NodeAddresses addresses = NodeAddresses.single(layout.addresses());
    var csv = layout.data().resource("3-44-002-001-000001").orElseThrow().csvFile();
    subject = layout.data().resource("3-44-002-001-000001").orElseThrow().sampleKeys().get(0);
    nodes.add(
        DepartmentNode.builder()
            .credentials(Fixtures.credentials(layout, PROVIDER))
            .transport(transport)
            .listen(layout.addresses().get(PROVIDER))
            .serve(new sluice.nodes.department.ServedResource(
                entry.descriptor(), CsvRecords.load(entry.descriptor(), csv), PredicateLimits.DEFAULT))
            .start());
    NodeCredentials national = Fixtures.credentials(layout, NodeId.NATIONAL);
    hub = new SnapshotSigner(Sm2.signer(national.signingKey()), national.signingChain());
    bjSnapshots = new SnapshotVerifier(national.trustRoots(), Clock.systemUTC());
    gdSnapshots = new SnapshotVerifier(national.trustRoots(), Clock.systemUTC());
    for (NodeId id : List.of(GD, BJ, NodeId.NATIONAL)) {
      Gateway.Builder b =
          Gateway.builder()
              .credentials(Fixtures.credentials(layout, id))
              .catalog(catalog)
              .addresses(addresses)
              .transport(transport)
              .listen(layout.addresses().get(id))
              .audit(layout.auditDir(id), AuditKeyFile.pseudonyms(layout.auditKey()));
      if (!id.isHub()) {
        b.policy(new SnapshotAccessPolicy(id.equals(BJ) ? bjSnapshots : gdSnapshots, Clock.systemUTC(), ZoneId.of("Asia/Shanghai")));
      }
      nodes.add(b.start());
    }
    client = new ConsumerClient(Fixtures.credentials(layout, CONSUMER), layout.addresses().get(BJ), transport, Fixtures.DEADLINE);
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    for (int i = nodes.size() - 1; i >= 0; i--) {
      nodes.get(i).close();
    }
    transport.close();
  }

  static Grant grant(String id, Set<String> fields, long quota) {
    Instant now = Instant.now();
    return new Grant(id, CONSUMER, entry.resourceCode(), fields, Set.of(PURPOSE), now.minusSeconds(60),
        now.plus(Duration.ofDays(30)), quota, null, null);
  }

  static void publish(long version, List<Grant> grants, SnapshotVerifier... to) throws Exception {
    var signed = hub.sign(new CatalogSnapshot(version, Instant.now(), List.of(entry), grants));
    for (SnapshotVerifier v : to) {
      v.apply(signed);
    }
  }

  static VerifyRequest ask(String purpose, Predicate p) {
    return VerifyRequest.newBuilder()
        .setContext(RequestContext.newBuilder().setPurposeCode(purpose).setCaseReference("BJ-MZ-2026-7"))
        .setResourceCode(entry.resourceCode())
        .setSubjectKey(subject)
        .setPredicate(p)
        .build();
  }

  static Status refusal(VerifyRequest r) {
    return assertThrows(StatusRuntimeException.class, () -> client.verify(r)).getStatus();
  }

  static final Predicate ENROLLED = cmp("enrolled", Operator.EQ, Fixtures.bool(true));

  @Test
  @Order(1)
  void theAccessCycleIsEnforcedAtBothGateways() throws Exception {
    Status s = refusal(ask(PURPOSE, ENROLLED));
    assertEquals(Status.Code.UNAVAILABLE, s.getCode());
    assertTrue(s.getDescription().contains("no verified catalogue snapshot"), s.getDescription());

    publish(1, List.of(), bjSnapshots, gdSnapshots);
    s = refusal(ask(PURPOSE, ENROLLED));
    assertEquals(Status.Code.PERMISSION_DENIED, s.getCode());
    assertEquals("prov-11 refused: prov-11/dept-ca has no grant for resource 3-44-002-001-000001: request access"
        + " (sluice access request) and wait for the provider's approval", s.getDescription());

    Grant g1 = grant("G-1", Set.of("id_number", "enrolled"), 0);
    publish(2, List.of(g1), bjSnapshots, gdSnapshots);
    assertEquals(PROVIDER.toString(), client.verify(ask(PURPOSE, ENROLLED)).receipt().getNodeId());
    assertEquals(Answer.TRUE, client.verify(ask(PURPOSE, cmp("id_number", Operator.EXISTS))).response().getAnswer());
    assertEquals("prov-11 refused: grant G-1 does not cover field monthly_contribution_base",
        refusal(ask(PURPOSE, cmp("monthly_contribution_base", Operator.GT, Fixtures.integer(1)))).getDescription());
    assertEquals("prov-11 refused: grant G-1 does not cover purpose TAX_ADMINISTRATION (it covers "
        + PURPOSE + ")", refusal(ask("TAX_ADMINISTRATION", ENROLLED)).getDescription());
    assertTrue(refusal(ask("MARKETING", ENROLLED)).getDescription().contains("purpose MARKETING is not allowed"));

    // Revoked at the provider's gateway first: the provider's enforcement point refuses alone.
    publish(3, List.of(g1.revoked(Instant.now(), "case closed")), gdSnapshots);
    s = refusal(ask(PURPOSE, ENROLLED));
    assertEquals(Status.Code.PERMISSION_DENIED, s.getCode());
    assertTrue(s.getDescription().startsWith("prov-44 refused: grant G-1 was revoked at"), s.getDescription());
    assertThrows(SnapshotRejectedException.class, () -> publish(2, List.of(g1), gdSnapshots), "no rollback");
  }

  @Test
  @Order(2)
  void dailyQuotaAndBatchItemsAreEnforced() throws Exception {
    publish(10, List.of(grant("G-Q", Set.of("enrolled"), 2)), bjSnapshots, gdSnapshots);
    client.verify(ask(PURPOSE, ENROLLED));
    client.verify(ask(PURPOSE, ENROLLED));
    Status s = refusal(ask(PURPOSE, ENROLLED));
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, s.getCode());
    assertEquals("prov-11 refused: grant G-Q has used its daily quota of 2 subjects; it renews at "
        + java.time.LocalDate.now(ZoneId.of("Asia/Shanghai")).plusDays(1) + "T00:00+08:00", s.getDescription());

    publish(11, List.of(grant("G-B", Set.of("enrolled"), 0)), bjSnapshots, gdSnapshots);
    BatchHeader header = BatchHeader.newBuilder()
        .setContext(RequestContext.newBuilder().setPurposeCode(PURPOSE).setCaseReference("BJ-MZ-2026-8"))
        .setResourceCode(entry.resourceCode()).build();
    BatchResult r = client.batchVerify(header, List.of(
        BatchItem.newBuilder().setSeq(1).setSubjectKey(subject).setPredicate(ENROLLED).build(),
        BatchItem.newBuilder().setSeq(2).setSubjectKey(subject).setPredicate(cmp("name", Operator.EXISTS)).build(),
        BatchItem.newBuilder().setSeq(3).setSubjectKey(subject).setPredicate(ENROLLED).build()));
    assertEquals(3, r.responses().size());
    assertEquals(2, r.receiptsVerified());
    BatchVerifyResponse refused = r.responses().stream().filter(x -> x.getSeq() == 2).findFirst().orElseThrow();
    assertEquals(Status.Code.PERMISSION_DENIED.value(), refused.getError().getCode());
    assertEquals("prov-11 refused: grant G-B does not cover field name", refused.getError().getMessage());
    assertEquals(1L, r.tally().get("ERROR"));
  }
}
