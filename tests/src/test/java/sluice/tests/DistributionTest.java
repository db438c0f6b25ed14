package sluice.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sluice.tests.Fixtures.cmp;

import io.grpc.Status;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.bench.CatalogRig;
import sluice.catalog.ResourceCatalog;
import sluice.catalog.grant.AccessRequest;
import sluice.catalog.grant.Grant;
import sluice.catalog.snapshot.SnapshotVerifier;
import sluice.crypto.NodeId;
import sluice.crypto.pki.NodeCredentials;
import sluice.gateway.Gateway;
import sluice.gateway.NodeAddresses;
import sluice.gateway.NodeChannels;
import sluice.gateway.SluiceHeaders;
import sluice.gateway.client.ConsumerClient;
import sluice.v1.Operator;
import sluice.v1.RequestContext;
import sluice.v1.VerifyRequest;
import sluice.v1.VerifyServiceGrpc;

/**
 * The hub publishes the catalogue and grants from its database as signed snapshots; provincial
 * gateways watch, verify and enforce them. A grant approved or revoked at the hub takes effect
 * at gateways in other provinces without restarting anything, and a gateway cut off from the hub
 * keeps deciding from its last snapshot.
 */
class DistributionTest {
  static final String PURPOSE = "SOCIAL_ASSISTANCE_ELIGIBILITY";

  @TempDir static Path work;
  static CatalogRig rig;
  static ConsumerClient client;
  static VerifyRequest question;

  @BeforeAll
  static void start() throws Exception {
    rig = new CatalogRig(work, Path.of("../docs/examples/catalogue-entry.yaml"), Duration.ofMillis(200));
    client = rig.consumer(Fixtures.DEADLINE);
    question = VerifyRequest.newBuilder()
        .setContext(RequestContext.newBuilder().setPurposeCode(PURPOSE).setCaseReference("BJ-MZ-2026-9"))
        .setResourceCode(rig.entry.resourceCode())
        .setSubjectKey(rig.subject)
        .setPredicate(cmp("enrolled", Operator.EQ, Fixtures.bool(true)))
        .build();
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    rig.close();
  }

  @Test
  void grantsAndRevocationsAtTheHubReachEveryGateway() throws Exception {
    String first = Fixtures.awaitOutcome(client, question, o -> o.startsWith(Status.Code.PERMISSION_DENIED.name()));
    assertEquals(ServingStatus.SERVING, health(CatalogRig.BJ));
    assertTrue(first.contains("has no grant for resource 3-44-002-001-000001"), first);

    AccessRequest req = rig.access.request(CatalogRig.CONSUMER, rig.entry.resourceCode(), List.of("enrolled"),
        List.of(PURPOSE), "《社会救助暂行办法》第十一条", 30, 100);
    Grant grant = rig.access.approve(req.id(), "张敏", "dibao review");
    Fixtures.awaitOutcome(client, question, o -> o.startsWith("ANSWER"));

    rig.access.revoke(grant.id(), "case closed");
    String refused = Fixtures.awaitOutcome(client, question, o -> o.contains("was revoked"));
    assertTrue(refused.startsWith(Status.Code.PERMISSION_DENIED.name()), refused);

    // Cut off from the hub, the gateways keep deciding from the last snapshot they verified.
    rig.hub.close();
    String offline = Fixtures.awaitOutcome(client, question, o -> true);
    assertTrue(offline.contains("was revoked"), offline);
    assertTrue(rig.bjSnapshots.age(Instant.now()).orElseThrow().compareTo(Duration.ZERO) >= 0);
    assertEquals(1, rig.bjSnapshots.applied().orElseThrow().grants().size());
    assertEquals(ServingStatus.SERVING, health(CatalogRig.BJ), "a stale snapshot still decides");
    Thread.sleep(300);
    String basis = snapshotTrailer();
    long version = rig.bjSnapshots.applied().orElseThrow().version();
    java.util.regex.Matcher age = java.util.regex.Pattern.compile("^prov-11 v" + version + " issued \\S+ age (\\d+) ms$")
        .matcher(basis);
    assertTrue(age.matches(), basis);
    assertTrue(Long.parseLong(age.group(1)) >= 300, "every answer says how old the snapshot is: " + basis);

    // A gateway that never reached the hub holds no snapshot: health says NOT_SERVING (a call
    // reaching it anyway is UNAVAILABLE, see EnforcementTest).
    NodeId shanghai = NodeId.parse("prov-31");
    NodeCredentials national = rig.credentials(NodeId.NATIONAL);
    try (Gateway late = Gateway.builder().credentials(rig.credentials(shanghai))
            .catalog(ResourceCatalog.of(List.of(rig.entry.descriptor())))
            .addresses(NodeAddresses.single(rig.layout.addresses())).transport(rig.transport)
            .listen(rig.layout.addresses().get(shanghai)).audit(rig.layout.auditDir(shanghai), rig.auditKey())
            .watchCatalog(new SnapshotVerifier(national.trustRoots(), Clock.systemUTC())).start()) {
      assertEquals(ServingStatus.NOT_SERVING, health(shanghai));
    }
  }

  /** The catalogue snapshot Beijing's gateway says, in a refusal's trailers, it decided from. */
  static String snapshotTrailer() throws Exception {
    AtomicReference<Metadata> trailers = new AtomicReference<>();
    try (NodeChannels channels = new NodeChannels(rig.credentials(CatalogRig.CONSUMER),
        NodeAddresses.single(rig.layout.addresses()), rig.transport)) {
      VerifyServiceGrpc.VerifyServiceBlockingStub stub = VerifyServiceGrpc.newBlockingStub(channels.to(CatalogRig.BJ))
          .withDeadlineAfter(5, TimeUnit.SECONDS)
          .withInterceptors(MetadataUtils.newCaptureMetadataInterceptor(new AtomicReference<>(), trailers));
      try {
        stub.verify(question);
      } catch (StatusRuntimeException expected) {
        // Refused (the grant is revoked); the trailers still carry the snapshot.
      }
    }
    return trailers.get().get(SluiceHeaders.CATALOG_SNAPSHOT);
  }

  /** What gRPC health checking says of {@code node}, asked over mutual TLS as a department. */
  static ServingStatus health(NodeId node) throws Exception {
    try (NodeChannels channels = new NodeChannels(rig.credentials(CatalogRig.CONSUMER),
        NodeAddresses.single(rig.layout.addresses()), rig.transport)) {
      return HealthGrpc.newBlockingStub(channels.to(node)).withDeadlineAfter(5, TimeUnit.SECONDS)
          .check(HealthCheckRequest.getDefaultInstance()).getStatus();
    }
  }
}
