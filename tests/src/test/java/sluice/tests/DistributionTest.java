package sluice.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sluice.tests.Fixtures.cmp;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.catalog.ResourceCatalog;
import sluice.catalog.entry.CatalogueEntries;
import sluice.catalog.entry.CatalogueEntry;
import sluice.catalog.grant.AccessRequest;
import sluice.catalog.grant.AccessService;
import sluice.catalog.grant.Grant;
import sluice.catalog.predicate.PredicateLimits;
import sluice.catalog.snapshot.SnapshotSigner;
import sluice.catalog.snapshot.SnapshotVerifier;
import sluice.catalog.store.Database;
import sluice.catalog.store.JdbcCatalogStore;
import sluice.catalog.store.JdbcGrantStore;
import sluice.crypto.NodeId;
import sluice.crypto.Sm2;
import sluice.crypto.pki.NodeCredentials;
import sluice.gateway.Gateway;
import sluice.gateway.NodeAddresses;
import sluice.gateway.Transport;
import sluice.gateway.catalog.CatalogFeed;
import sluice.gateway.catalog.CatalogPublisher;
import sluice.gateway.client.ConsumerClient;
import sluice.nodes.department.CsvRecords;
import sluice.nodes.department.DepartmentNode;
import sluice.nodes.department.ServedResource;
import sluice.nodes.run.FederationSetup;
import sluice.v1.Operator;
import sluice.v1.RequestContext;
import sluice.v1.VerifyRequest;

/**
 * The hub publishes the catalogue and grants from its database as signed snapshots; provincial
 * gateways watch, verify and enforce them. A grant approved or revoked at the hub takes effect
 * at gateways in other provinces without restarting anything, and a gateway cut off from the hub
 * keeps deciding from its last snapshot.
 */
class DistributionTest {
  static final NodeId BJ = NodeId.parse("prov-11");
  static final NodeId GD = NodeId.parse("prov-44");
  static final NodeId PROVIDER = NodeId.parse("prov-44/dept-hrss");
  static final NodeId CONSUMER = NodeId.parse("prov-11/dept-ca");
  static final String PURPOSE = "SOCIAL_ASSISTANCE_ELIGIBILITY";

  @TempDir static Path work;
  static Transport transport;
  static Database db;
  static CatalogFeed feed;
  static AccessService access;
  static CatalogueEntry entry;
  static SnapshotVerifier bjSnapshots;
  static Gateway hub;
  static final List<AutoCloseable> nodes = new ArrayList<>();
  static ConsumerClient client;
  static VerifyRequest question;

  @BeforeAll
  static void start() throws Exception {
    FederationSetup.Layout layout = Fixtures.beijingAndGuangdong(work, 60);
    transport = Transport.create();
    entry = CatalogueEntries.read(Path.of("../docs/examples/catalogue-entry.yaml"));
    db = Database.h2(work.resolve("hub-catalog"));
    JdbcCatalogStore catalog = new JdbcCatalogStore(db, Clock.systemUTC());
    JdbcGrantStore grants = new JdbcGrantStore(db);
    catalog.register(entry);
    access = new AccessService(catalog, grants, Clock.systemUTC(), new SecureRandom());

    var csv = layout.data().resource("44.hrss.social-insurance").orElseThrow();
    nodes.add(
        DepartmentNode.builder()
            .credentials(Fixtures.credentials(layout, PROVIDER))
            .transport(transport)
            .listen(layout.addresses().get(PROVIDER))
            .serve(new ServedResource(entry.descriptor(), CsvRecords.load(entry.descriptor(), csv.csvFile()), PredicateLimits.DEFAULT))
            .start());
    NodeCredentials national = Fixtures.credentials(layout, NodeId.NATIONAL);
    CatalogPublisher publisher =
        new CatalogPublisher(new SnapshotSigner(Sm2.signer(national.signingKey()), national.signingChain()), Clock.systemUTC());
    feed = new CatalogFeed(db, catalog, grants, publisher).start(Duration.ofMillis(200));
    ResourceCatalog directory = ResourceCatalog.of(List.of(entry.descriptor()));
    NodeAddresses addresses = new NodeAddresses(layout.addresses());
    hub = Gateway.builder().credentials(national).catalog(directory).addresses(addresses).transport(transport)
        .listen(layout.addresses().get(NodeId.NATIONAL)).publishCatalog(publisher).start();
    bjSnapshots = new SnapshotVerifier(national.trustRoots(), Clock.systemUTC());
    for (NodeId id : List.of(GD, BJ)) {
      nodes.add(Gateway.builder().credentials(Fixtures.credentials(layout, id)).catalog(directory).addresses(addresses)
          .transport(transport).listen(layout.addresses().get(id))
          .watchCatalog(id.equals(BJ) ? bjSnapshots : new SnapshotVerifier(national.trustRoots(), Clock.systemUTC()))
          .start());
    }
    client = new ConsumerClient(Fixtures.credentials(layout, CONSUMER), layout.addresses().get(BJ), transport, Fixtures.DEADLINE);
    question = VerifyRequest.newBuilder()
        .setContext(RequestContext.newBuilder().setPurposeCode(PURPOSE).setCaseReference("BJ-MZ-2026-9"))
        .setResourceCode(entry.resourceCode())
        .setSubjectKey(csv.sampleKeys().get(0))
        .setPredicate(cmp("enrolled", Operator.EQ, Fixtures.bool(true)))
        .build();
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    hub.close();
    for (int i = nodes.size() - 1; i >= 0; i--) {
      nodes.get(i).close();
    }
    feed.close();
    db.close();
    transport.close();
  }

  /** Asks until the outcome satisfies {@code done} (the gateways apply snapshots asynchronously). */
  static String awaitOutcome(Predicate<String> done) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      try {
        last = "ANSWER " + client.verify(question).response().getAnswer();
      } catch (StatusRuntimeException e) {
        last = e.getStatus().getCode() + " " + e.getStatus().getDescription();
      }
      if (done.test(last)) {
        return last;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("outcome never came; last was: " + last);
  }

  @Test
  void grantsAndRevocationsAtTheHubReachEveryGateway() throws Exception {
    String first = awaitOutcome(o -> o.startsWith(Status.Code.PERMISSION_DENIED.name()));
    assertTrue(first.contains("has no grant for resource 3-44-002-001-000001"), first);

    AccessRequest req = access.request(CONSUMER, entry.resourceCode(), List.of("enrolled"), List.of(PURPOSE),
        "《社会救助暂行办法》第十一条", 30, 100);
    Grant grant = access.approve(req.id(), "张敏", "dibao review");
    awaitOutcome(o -> o.startsWith("ANSWER"));

    Instant revoked = Instant.now();
    access.revoke(grant.id(), "case closed");
    String refused = awaitOutcome(o -> o.contains("was revoked"));
    long ms = Duration.between(revoked, Instant.now()).toMillis();
    assertTrue(refused.startsWith(Status.Code.PERMISSION_DENIED.name()), refused);
    System.out.println("revocation at the hub to refusal at prov-11: " + ms + " ms (poll interval 200 ms)");

    // Cut off from the hub, the gateways keep deciding from the last snapshot they verified.
    hub.close();
    String offline = awaitOutcome(o -> true);
    assertTrue(offline.contains("was revoked"), offline);
    assertTrue(bjSnapshots.age(Instant.now()).orElseThrow().compareTo(Duration.ZERO) >= 0);
    assertEquals(1, bjSnapshots.applied().orElseThrow().grants().size());
  }
}
