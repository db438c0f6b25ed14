package sluice.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sluice.tests.Fixtures.cmp;
import static sluice.tests.Fixtures.request;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import sluice.crypto.NodeId;
import sluice.crypto.Province;
import sluice.crypto.pki.NodeCredentials;
import sluice.crypto.pki.TlsContexts;
import sluice.gateway.Transport;
import sluice.gateway.audit.BundleVerifier;
import sluice.gateway.client.ConsumerClient;
import sluice.nodes.config.FederationFile;
import sluice.nodes.run.FederationSetup;
import sluice.nodes.run.FreePorts;
import sluice.nodes.run.LocalFederation;
import sluice.v1.Answer;
import sluice.v1.AuditPage;
import sluice.v1.AuditQuery;
import sluice.v1.AuditRecord;
import sluice.v1.AuditServiceGrpc;
import sluice.v1.ExportChunk;
import sluice.v1.ExportRequest;
import sluice.v1.Operator;
import sluice.v1.VerifyRequest;

/**
 * Guangdong's gateway scaled out (issue 9): two instances, {@code a} and {@code b}, each a
 * separate OS process ({@code sluice node --config}) with an audit log of its own, sharing a
 * PostgreSQL server (this test's own) with the hub's catalogue and grants and every gateway's
 * audit index. The federation file lists both; Guangdong's departments and the hub spread calls
 * over them round robin. One instance is killed ({@code kill -9}) under load: calls go on through
 * the other, and the killed one rejoins when restarted. A grant's daily quota holds across the
 * instances. Each instance's log is witnessed by the hub on its own and verifies; an auditor's
 * query at either instance finds every answered call in both logs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScaleOutTest {
  static final NodeId GD = NodeId.parse("prov-44");
  static final NodeId GD_CA = NodeId.parse("prov-44/dept-ca");
  static final NodeId GD_PSB = NodeId.parse("prov-44/dept-psb");
  static final NodeId BJ_CA = NodeId.parse("prov-11/dept-ca");
  static final String RESOURCE = "3-44-002-001-000001";
  static final String PURPOSE = "SOCIAL_ASSISTANCE_ELIGIBILITY";
  static final long SMALL_QUOTA = 30;
  static final List<String> INSTANCES = List.of("a", "b");

  @TempDir static Path work;
  static ScratchPostgres postgres;
  static Transport transport;
  static FederationSetup.Layout layout;
  static LocalFederation federation;
  static final Map<String, Path> configs = new LinkedHashMap<>();
  static final Map<String, InetSocketAddress> addresses = new LinkedHashMap<>();
  static final Map<String, Process> processes = new ConcurrentHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    postgres = ScratchPostgres.startOrSkip();
    layout = FederationSetup.create(work, FederationSetup.Options.defaults()
        .withDataProvinces(Set.of(Province.BEIJING, Province.GUANGDONG))
        .withPersonsPerProvince(40)
        .withCatalogue(List.of(
            new FederationSetup.DemoGrant(GD_CA, RESOURCE, List.of("enrolled"), PURPOSE),
            new FederationSetup.DemoGrant(BJ_CA, RESOURCE, List.of("enrolled"), PURPOSE),
            new FederationSetup.DemoGrant(GD_PSB, RESOURCE, List.of("enrolled"), PURPOSE, SMALL_QUOTA)))
        .withStorage(new FederationSetup.Storage(postgres.url(), ScratchPostgres.USER, "")));
    // Two instances where the layout had one: each its own address, audit folder and name.
    Path single = layout.nodeConfigs().get(GD);
    List<Integer> ports = FreePorts.choose(InetAddress.getLoopbackAddress(), INSTANCES.size());
    for (int i = 0; i < INSTANCES.size(); i++) {
      String name = INSTANCES.get(i);
      InetSocketAddress at = new InetSocketAddress("127.0.0.1", ports.get(i));
      addresses.put(name, at);
      Path config = single.resolveSibling("prov-44-" + name + ".yaml");
      Files.writeString(config, Files.readString(single)
          .replaceAll("(?m)^listen: .*$", "listen: 127.0.0.1:" + at.getPort())
          .replaceAll("(?m)^audit: .*$", "audit: ../audit/prov-44-" + name)
          + "instance: " + name + "\n");
      configs.put(name, config);
    }
    FederationFile.read(layout.federationFile()).withInstances(GD, addresses).write(layout.federationFile());
    transport = Transport.create();
    for (String name : INSTANCES) {
      processes.put(name, NodeProcess.launch(configs.get(name), GD, "prov-44-" + name));
    }
    federation = LocalFederation.start(layout, transport, n -> !n.equals(GD));
    federation.awaitReady(Duration.ofSeconds(60));
    for (String name : INSTANCES) {
      awaitServing(name);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (federation != null) {
      federation.close();
    }
    for (Process p : processes.values()) {
      p.destroy();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    if (transport != null) {
      transport.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  /** A channel to one instance only, as {@code as}. */
  static ManagedChannel toInstance(String name, NodeId as) throws Exception {
    NodeCredentials creds = NodeCredentials.load(layout.credentials(as));
    return transport.channelBuilder(addresses.get(name), TlsContexts.client(creds, GD)).build();
  }

  static void awaitServing(String name) throws Exception {
    ManagedChannel ch = toInstance(name, NodeId.NATIONAL);
    try {
      Fixtures.awaitValue(() -> {
        try {
          return HealthGrpc.newBlockingStub(ch).withDeadlineAfter(2, TimeUnit.SECONDS)
              .check(HealthCheckRequest.getDefaultInstance()).getStatus() == HealthCheckResponse.ServingStatus.SERVING;
        } catch (StatusRuntimeException e) {
          return false;
        }
      }, serving -> serving);
    } finally {
      ch.shutdownNow();
    }
  }

  static VerifyRequest question(String requestId) {
    String subject = layout.data().resource(RESOURCE).orElseThrow().sampleKeys().get(0);
    VerifyRequest q = request(RESOURCE, subject, cmp("enrolled", Operator.EQ, Fixtures.bool(true)));
    return q.toBuilder().setContext(q.getContext().toBuilder().setRequestId(requestId)).build();
  }

  /** Every record in the shared index matching {@code q}, as instance {@code name} answers. */
  static List<AuditRecord> query(String name, AuditQuery q) throws Exception {
    ManagedChannel ch = toInstance(name, GD);
    try {
      List<AuditRecord> out = new ArrayList<>();
      Iterator<AuditPage> pages = AuditServiceGrpc.newBlockingStub(ch).withDeadlineAfter(60, TimeUnit.SECONDS)
          .queryEntries(q.toBuilder().setPageSize(1000).build());
      pages.forEachRemaining(p -> out.addAll(p.getRecordsList()));
      return out;
    } finally {
      ch.shutdownNow();
    }
  }

  /** Instance name -> request ids of {@code consumer}'s entries in that instance's log. */
  static Map<String, Set<String>> logged(NodeId consumer) throws Exception {
    Map<String, Set<String>> byInstance = new HashMap<>();
    for (AuditRecord r : query("b", AuditQuery.newBuilder().setConsumerNodeId(consumer.toString()).build())) {
      assertEquals(GD.toString(), r.getLogNodeId());
      byInstance.computeIfAbsent(r.getLogInstance(), k -> new HashSet<>()).add(r.getDecoded().getRequestId());
    }
    return byInstance;
  }

  @Test
  @Order(1)
  void aQuotaHoldsAcrossTheInstances() throws Exception {
    int answered = 0;
    int overQuota = 0;
    try (ConsumerClient psb = federation.consumer(GD_PSB, Fixtures.DEADLINE)) {
      for (int i = 0; i < SMALL_QUOTA + 10; i++) {
        try {
          assertEquals(Answer.TRUE, psb.verify(question("quota-" + i)).response().getAnswer());
          answered++;
        } catch (StatusRuntimeException e) {
          assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode(), e.getStatus().toString());
          overQuota++;
        }
      }
    }
    assertEquals(SMALL_QUOTA, answered, "a quota of " + SMALL_QUOTA + " a day across both instances");
    assertEquals(10, overQuota);
    Map<String, Set<String>> logged = logged(GD_PSB);
    assertEquals(Set.of("a", "b"), logged.keySet(), "calls went to both instances: " + logged);
  }

  @Test
  @Order(2)
  void callsGoOnThroughTheOtherInstanceWhenOneIsKilled() throws Exception {
    Set<String> answered = ConcurrentHashMap.newKeySet();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    AtomicInteger sent = new AtomicInteger();
    AtomicInteger answeredAfterKill = new AtomicInteger();
    AtomicBoolean killed = new AtomicBoolean();
    AtomicInteger inFlight = new AtomicInteger();
    java.util.concurrent.atomic.AtomicLong firstAfterKill = new java.util.concurrent.atomic.AtomicLong();
    AtomicBoolean done = new AtomicBoolean();
    try (ConsumerClient gd = federation.consumer(GD_CA, Fixtures.DEADLINE)) {
      List<Thread> callers = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        Thread th = new Thread(() -> {
          while (!done.get()) {
            String id = "scale-" + sent.incrementAndGet();
            boolean after = killed.get();
            inFlight.incrementAndGet();
            try {
              gd.verify(question(id));
              answered.add(id);
              if (after && answeredAfterKill.incrementAndGet() == 1) {
                firstAfterKill.set(System.nanoTime());
              }
            } catch (StatusRuntimeException e) {
              failures.add(e.getStatus().getCode() + " " + e.getStatus().getDescription());
            } catch (Exception e) {
              failures.add(e.toString());
            } finally {
              inFlight.decrementAndGet();
            }
          }
        });
        th.start();
        callers.add(th);
      }
      Fixtures.awaitValue(answered::size, n -> n >= 300);
      Process a = processes.get("a");
      // Stalled first, so that calls are surely in flight at a when it dies: round robin sends
      // each caller's next call to it until every caller waits there.
      NodeProcess.signal("STOP", a);
      Fixtures.awaitValue(inFlight::get, n -> n == 4);
      Thread.sleep(200);
      int stuck = inFlight.get();
      a.destroyForcibly(); // SIGKILL: no drain, no goodbye
      assertTrue(a.waitFor(10, TimeUnit.SECONDS));
      killed.set(true);
      long killedAt = System.nanoTime();
      Fixtures.awaitValue(answeredAfterKill::get, n -> n >= 300);
      long tookMillis = (System.nanoTime() - killedAt) / 1_000_000;
      long firstMillis = (firstAfterKill.get() - killedAt) / 1_000_000;
      done.set(true);
      for (Thread th : callers) {
        th.join();
      }
      // The calls waiting at a when it died are tried again on b (Verify only reads). One whose
      // answer a had begun to send before it stopped could not be: the caller has part of it.
      assertEquals(4, stuck, "every caller waited at the stalled instance");
      assertTrue(failures.size() <= 1, failures.size() + " calls failed: " + failures);
      for (String f : failures) {
        assertTrue(f.startsWith("UNAVAILABLE"), f);
      }
      // Beijing's department reaches Guangdong through the hub, whose channel skips the dead instance.
      try (ConsumerClient bj = federation.consumer(BJ_CA, Fixtures.DEADLINE)) {
        for (int i = 0; i < 20; i++) {
          assertEquals(Answer.TRUE, bj.verify(question("bj-after-kill-" + i)).response().getAnswer());
        }
      }
      System.out.printf("instance a stalled and killed under load with %d calls waiting at it: %d calls answered,"
          + " %d failed %s; the first call after the kill answered in %d ms, 300 within %d ms%n", stuck,
          answered.size(), failures.size(), failures, firstMillis, tookMillis);
    }
    // The killed instance comes back and takes calls again.
    processes.put("a", NodeProcess.launch(configs.get("a"), GD, "prov-44-a"));
    awaitServing("a");
    try (ConsumerClient gd = federation.consumer(GD_CA, Fixtures.DEADLINE)) {
      for (int i = 0; i < 40; i++) {
        String id = "rejoined-" + i;
        gd.verify(question(id));
        answered.add(id);
      }
    }
    Fixtures.awaitValue(() -> {
      try {
        Map<String, Set<String>> logged = logged(GD_CA);
        Set<String> all = new HashSet<>();
        logged.values().forEach(all::addAll);
        return all.containsAll(answered)
            && logged.getOrDefault("a", Set.of()).stream().anyMatch(id -> id.startsWith("rejoined-"));
      } catch (Exception e) {
        return false;
      }
    }, found -> found);
  }

  @Test
  @Order(3)
  void eachInstanceLogIsWitnessedOnItsOwnAndVerifies() throws Exception {
    Path witnessed = layout.workDir().resolve("audit").resolve("national").resolve("witnessed");
    for (String name : INSTANCES) {
      Fixtures.awaitValue(() -> Files.exists(witnessed.resolve("prov-44@" + name + ".checkpoint")), e -> e);
      ByteArrayOutputStream bundle = new ByteArrayOutputStream();
      ManagedChannel ch = toInstance(name, GD);
      try {
        Iterator<ExportChunk> chunks = AuditServiceGrpc.newBlockingStub(ch).withDeadlineAfter(60, TimeUnit.SECONDS)
            .export(ExportRequest.getDefaultInstance());
        while (chunks.hasNext()) {
          chunks.next().writeDelimitedTo(bundle);
        }
      } finally {
        ch.shutdownNow();
      }
      BundleVerifier.Report r = BundleVerifier.verify(new ByteArrayInputStream(bundle.toByteArray()),
          NodeCredentials.load(layout.credentials(GD)).trustRoots(), Instant.now());
      assertEquals("sluice.audit/prov-44@" + name, r.origin());
      assertTrue(r.end() > 0 && r.checkpoints() > 0, r.toString());
    }
    assertTrue(Files.notExists(witnessed.resolve("prov-44@a.forks")) && Files.notExists(witnessed.resolve("prov-44@b.forks")),
        "killed and restarted, instance a's log still extends what the hub witnessed");
    // An auditor must say which instance's log a proof is of.
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = sluice.nodes.cli.Main.execute(new PrintWriter(out, true), new PrintWriter(err, true),
        "audit", "checkpoint", "--work", layout.workDir().toString(), "--gateway", "prov-44");
    assertEquals(2, code, out + "\n" + err);
    assertTrue(err.toString().contains("runs as instances [a, b]"), err.toString());
    code = sluice.nodes.cli.Main.execute(new PrintWriter(out, true), new PrintWriter(err, true),
        "audit", "prove", "--work", layout.workDir().toString(), "--gateway", "prov-44", "--instance", "b",
        "--index", "3");
    assertEquals(0, code, out + "\n" + err);
    assertTrue(out.toString().contains("OK: entry 3 is in the tree") && out.toString().contains("prov-44@b"),
        out.toString());
  }

  /**
   * A client over the instances retries a Verify only when its connection failed, never an error
   * a node answered: with the department down, Guangdong's gateway answers UNAVAILABLE once, and
   * its logs hold one entry for the call, not one per attempt.
   */
  @Test
  @Order(4)
  void anErrorAGatewayAnsweredIsNotTriedAgain() throws Exception {
    federation.stop(NodeId.parse("prov-44/dept-hrss"));
    try (ConsumerClient gd = federation.consumer(GD_CA, Fixtures.DEADLINE)) {
      StatusRuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
          () -> gd.verify(question("department-down")));
      assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.getStatus().toString());
    }
    Fixtures.awaitValue(() -> {
      try {
        return query("b", AuditQuery.newBuilder().setRequestId("department-down").build()).size();
      } catch (Exception ex) {
        return -1;
      }
    }, n -> n >= 1);
    Thread.sleep(1_000); // time for any further attempt's entry to reach the index
    assertEquals(1, query("b", AuditQuery.newBuilder().setRequestId("department-down").build()).size());
  }
}
