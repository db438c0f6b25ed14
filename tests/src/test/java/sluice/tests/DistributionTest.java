package sluice.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sluice.tests.Fixtures.cmp;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.bench.CatalogRig;
import sluice.catalog.grant.AccessRequest;
import sluice.catalog.grant.Grant;
import sluice.gateway.client.ConsumerClient;
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

    AccessRequest req = rig.access.request(CatalogRig.CONSUMER, rig.entry.resourceCode(), List.of("enrolled"),
        List.of(PURPOSE), "《社会救助暂行办法》第十一条", 30, 100);
    Grant grant = rig.access.approve(req.id(), "张敏", "dibao review");
    awaitOutcome(o -> o.startsWith("ANSWER"));

    rig.access.revoke(grant.id(), "case closed");
    String refused = awaitOutcome(o -> o.contains("was revoked"));
    assertTrue(refused.startsWith(Status.Code.PERMISSION_DENIED.name()), refused);

    // Cut off from the hub, the gateways keep deciding from the last snapshot they verified.
    rig.hub.close();
    String offline = awaitOutcome(o -> true);
    assertTrue(offline.contains("was revoked"), offline);
    assertTrue(rig.bjSnapshots.age(Instant.now()).orElseThrow().compareTo(Duration.ZERO) >= 0);
    assertEquals(1, rig.bjSnapshots.applied().orElseThrow().grants().size());
  }
}
