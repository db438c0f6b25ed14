package sluice.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sluice.tests.Fixtures.cmp;
import static sluice.tests.Fixtures.request;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.crypto.NodeId;
import sluice.crypto.Province;
import sluice.gateway.NodeChannels;
import sluice.gateway.Transport;
import sluice.gateway.client.ConsumerClient;
import sluice.gateway.receipt.InvalidReceiptException;
import sluice.nodes.run.FederationSetup;
import sluice.nodes.run.LocalFederation;
import sluice.v1.AccessRequestView;
import sluice.v1.Answer;
import sluice.v1.AuditQuery;
import sluice.v1.AuditServiceGrpc;
import sluice.v1.CatalogServiceGrpc;
import sluice.v1.DecideAccessRequest;
import sluice.v1.ListGrantsRequest;
import sluice.v1.Operator;
import sluice.v1.RequestAccessRequest;
import sluice.v1.VerifyRequest;

/**
 * PostgreSQL restarted under a federation that keeps its stores there (issue 8): the hub's
 * catalogue and grants, and every gateway's audit index, are in a PostgreSQL server of this
 * test's own, which it crashes ({@code pg_ctl stop -m immediate}) under load and starts again.
 * Guangdong's gateway runs as a separate OS process ({@code sluice node --config}).
 *
 * <p>While the database is down: calls are answered and refused exactly as before (gateways
 * enforce the last signed snapshot; the audit log is files, not the database); a steward's
 * change is refused UNAVAILABLE with a message saying why; auditors' queries are refused
 * UNAVAILABLE within seconds. Once it is back: the stores reconnect by themselves, stewards'
 * changes go through and reach the gateways, every grant decided before is still in force, and
 * every call answered across the outage is found by the auditors' query in both gateways' indexes.
 */
class PostgresRestartTest {
  static final NodeId GD_GATEWAY = NodeId.parse("prov-44");
  static final NodeId BJ_GATEWAY = NodeId.parse("prov-11");
  static final NodeId GRANTED = NodeId.parse("prov-11/dept-ca");
  /** Asks for a grant while the database is down, and again once it is back. */
  static final NodeId LATECOMER = NodeId.parse("prov-11/dept-psb");
  static final NodeId STEWARD = NodeId.parse("prov-44/dept-hrss");
  static final String RESOURCE = "3-44-002-001-000001";
  static final String PURPOSE = "SOCIAL_ASSISTANCE_ELIGIBILITY";

  @TempDir static Path work;
  static ScratchPostgres postgres;
  static Transport transport;
  static FederationSetup.Layout layout;
  static LocalFederation federation;
  static Process guangdong;

  @BeforeAll
  static void start() throws Exception {
    postgres = ScratchPostgres.startOrSkip();
    layout = FederationSetup.create(work, FederationSetup.Options.defaults()
        .withDataProvinces(Set.of(Province.BEIJING, Province.GUANGDONG))
        .withPersonsPerProvince(40)
        .withCatalogue(List.of(new FederationSetup.DemoGrant(GRANTED, RESOURCE, List.of("enrolled"), PURPOSE)))
        .withStorage(new FederationSetup.Storage(postgres.url(), ScratchPostgres.USER, "")));
    transport = Transport.create();
    guangdong = NodeProcess.launch(layout.nodeConfigs().get(GD_GATEWAY), GD_GATEWAY);
    federation = LocalFederation.start(layout, transport,
        n -> n.isHub() || n.equals(BJ_GATEWAY) || n.equals(GRANTED) || n.equals(LATECOMER) || n.equals(STEWARD)
            || n.equals(NodeId.parse("prov-44/dept-ca")));
    federation.awaitReady(Duration.ofSeconds(60));
  }

  @AfterAll
  static void stop() throws Exception {
    if (federation != null) {
      federation.close();
    }
    if (guangdong != null) {
      guangdong.destroy();
      if (!guangdong.waitFor(10, TimeUnit.SECONDS)) {
        guangdong.destroyForcibly();
      }
    }
    if (transport != null) {
      transport.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  static VerifyRequest question(String requestId) {
    String subject = layout.data().resource(RESOURCE).orElseThrow().sampleKeys().get(0);
    VerifyRequest q = request(RESOURCE, subject, cmp("enrolled", Operator.EQ, Fixtures.bool(true)));
    return q.toBuilder().setContext(q.getContext().toBuilder().setRequestId(requestId)).build();
  }

  static RequestAccessRequest accessRequest() {
    return RequestAccessRequest.newBuilder().setResourceCode(RESOURCE).addFields("enrolled").addPurposes(PURPOSE)
        .setLegalBasis("《社会救助暂行办法》第十一条").setDurationDays(30).setExpectedDailyVolume(100).build();
  }

  /** A CatalogService stub for {@code department}, at its own gateway (which forwards to the hub). */
  static CatalogServiceGrpc.CatalogServiceBlockingStub steward(NodeChannels as, NodeId department) {
    return CatalogServiceGrpc.newBlockingStub(as.to(department.gateway().orElseThrow()))
        .withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  /** Request ids of {@code consumer}'s entries in {@code gateway}'s index, as the hub (an auditor) reads them. */
  static Set<String> indexed(NodeChannels asHub, NodeId gateway, NodeId consumer) {
    Set<String> out = new HashSet<>();
    AuditServiceGrpc.newBlockingStub(asHub.to(gateway)).withDeadlineAfter(30, TimeUnit.SECONDS)
        .queryEntries(AuditQuery.newBuilder().setConsumerNodeId(consumer.toString()).setPageSize(10_000).build())
        .forEachRemaining(page -> page.getRecordsList().forEach(r -> out.add(r.getDecoded().getRequestId())));
    return out;
  }

  @Test
  void aCrashedDatabaseCostsNoAnswersNoGrantsAndNoIndexedEntries() throws Exception {
    Set<String> answered = ConcurrentHashMap.newKeySet();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    AtomicInteger sent = new AtomicInteger();
    AtomicBoolean done = new AtomicBoolean();
    try (ConsumerClient bj = federation.consumer(GRANTED, Duration.ofSeconds(20));
        ConsumerClient ungranted = federation.consumer(LATECOMER, Duration.ofSeconds(20));
        NodeChannels asHub = federation.channelsAs(NodeId.NATIONAL);
        NodeChannels asLatecomer = federation.channelsAs(LATECOMER);
        NodeChannels asSteward = federation.channelsAs(STEWARD)) {
      Fixtures.awaitValue(() -> {
        try {
          return bj.verify(question("pg-warm")).response().getAnswer();
        } catch (StatusRuntimeException | InvalidReceiptException e) {
          return null;
        }
      }, a -> a == Answer.TRUE);

      // Beijing's civil affairs asks Guangdong's social insurance from 4 threads throughout.
      List<Thread> callers = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        Thread th = new Thread(() -> {
          while (!done.get()) {
            String id = "pg-" + sent.incrementAndGet();
            try {
              bj.verify(question(id));
              answered.add(id);
            } catch (RuntimeException | InvalidReceiptException e) {
              failures.add(id + ": " + e.getMessage());
            }
          }
        });
        th.start();
        callers.add(th);
      }
      Fixtures.awaitValue(answered::size, n -> n >= 100);

      postgres.crash();
      long down = System.nanoTime();
      int beforeOutage = answered.size();

      // A steward's change fails clearly while the database is away.
      long asked = System.nanoTime();
      StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
          () -> steward(asLatecomer, LATECOMER).requestAccess(accessRequest()));
      long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - asked);
      assertEquals(Status.Code.UNAVAILABLE, refused.getStatus().getCode(), refused.getStatus().toString());
      assertTrue(refused.getStatus().getDescription().contains("the hub's catalogue database cannot be reached"),
          refused.getStatus().getDescription());
      assertTrue(waitedMillis < 15_000, "refused within the pool's connection timeout, not the call's deadline: " + waitedMillis + " ms");

      // Auditors' queries too: the index is in the database.
      StatusRuntimeException query = assertThrows(StatusRuntimeException.class, () -> indexed(asHub, GD_GATEWAY, GRANTED));
      assertEquals(Status.Code.UNAVAILABLE, query.getStatus().getCode(), query.getStatus().toString());
      assertTrue(query.getStatus().getDescription().contains("the audit index cannot be read"), query.getStatus().getDescription());

      // Decisions do not change: the ungranted consumer is still refused, the granted one answered.
      StatusRuntimeException denied = assertThrows(StatusRuntimeException.class, () -> ungranted.verify(question("pg-denied")));
      assertEquals(Status.Code.PERMISSION_DENIED, denied.getStatus().getCode(), denied.getStatus().toString());
      Fixtures.awaitValue(answered::size, n -> n >= beforeOutage + 200);
      int duringOutage = answered.size() - beforeOutage;

      postgres.begin();
      long outageMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - down);
      int afterRestart = answered.size();

      // The first change after the restart goes through, and the grant reaches the gateways.
      AccessRequestView filed = steward(asLatecomer, LATECOMER).requestAccess(accessRequest());
      AccessRequestView approved = steward(asSteward, STEWARD).decideAccess(DecideAccessRequest.newBuilder()
          .setRequestId(filed.getRequestId()).setApprove(true).setReason("after the restart").setSteward("张敏").build());
      assertEquals(filed.getRequestId(), approved.getRequestId());
      Fixtures.awaitValue(() -> {
        try {
          return ungranted.verify(question("pg-latecomer")).response().getAnswer();
        } catch (StatusRuntimeException | InvalidReceiptException e) {
          return null;
        }
      }, a -> a == Answer.TRUE);
      Fixtures.awaitValue(answered::size, n -> n >= afterRestart + 100);
      done.set(true);
      for (Thread th : callers) {
        th.join();
      }
      assertEquals(List.of(), new ArrayList<>(failures), "no call failed across the outage (" + answered.size()
          + " answered, " + duringOutage + " of them while the database was down)");

      // Grants decided before the crash are in force and listed, beside the new one.
      Set<String> holders = new HashSet<>();
      steward(asSteward, STEWARD).listGrants(ListGrantsRequest.newBuilder().setResourceCodePrefix(RESOURCE).setInForceOnly(true).build())
          .getGrantsList().forEach(g -> holders.add(g.getConsumerNodeId()));
      assertEquals(Set.of(GRANTED.toString(), LATECOMER.toString()), holders);

      // Every answered call is in both gateways' indexes, those made while the database was down too.
      for (NodeId gateway : List.of(BJ_GATEWAY, GD_GATEWAY)) {
        Set<String> missing = Fixtures.awaitValue(() -> {
          Set<String> m = new HashSet<>(answered);
          try {
            m.removeAll(indexed(asHub, gateway, GRANTED));
          } catch (StatusRuntimeException e) {
            return m;
          }
          return m;
        }, Set::isEmpty);
        assertTrue(missing.isEmpty(), gateway + "'s index lacks " + missing.size() + " of " + answered.size()
            + " answered calls, among them " + missing.stream().sorted().limit(10).toList());
      }
      assertTrue(guangdong.isAlive());
      System.out.printf("PostgreSQL crashed for %d ms under load: %d calls answered (%d while it was down), 0 failed;"
          + " steward's change refused UNAVAILABLE after %d ms; first change after the restart accepted; every"
          + " answered call in both gateways' indexes%n", outageMillis, answered.size(), duringOutage, waitedMillis);
    }
  }
}
