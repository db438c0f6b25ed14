package sluice.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sluice.tests.Fixtures.cmp;
import static sluice.tests.Fixtures.request;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.crypto.NodeId;
import sluice.crypto.Province;
import sluice.gateway.Transport;
import sluice.gateway.client.ConsumerClient;
import sluice.nodes.run.FederationSetup;
import sluice.nodes.run.LocalFederation;
import sluice.v1.Answer;
import sluice.v1.Operator;

/**
 * Hub + 2 provinces + departments over TCP with mutual TLS, with Guangdong's gateway and its
 * social-insurance department each running as a separate OS process started with
 * {@code sluice node --config}: calls across processes, a gateway killed under load and restarted,
 * a department stalled ({@code kill -STOP}), a department killed and restarted, and the hub
 * stopped and started again.
 */
class ProcessFederationTest {
  static final NodeId GD_GATEWAY = NodeId.parse("prov-44");
  static final NodeId GD_HRSS = NodeId.parse("prov-44/dept-hrss");
  static final Set<NodeId> IN_PROCESS =
      Set.of(NodeId.NATIONAL, NodeId.parse("prov-11"), NodeId.parse("prov-11/dept-psb"));

  @TempDir static Path work;
  static Transport transport;
  static FederationSetup.Layout layout;
  static LocalFederation federation;
  static final List<Process> processes = new ArrayList<>();
  /** Nodes this test restarted itself (the federation no longer holds them). */
  static final List<AutoCloseable> restarted = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    layout =
        Fixtures.beijingAndGuangdong(work, 60);
    transport = Transport.create();
    processes.add(launch(GD_HRSS));
    processes.add(launch(GD_GATEWAY));
    federation = LocalFederation.start(layout, transport, IN_PROCESS::contains);
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable n : restarted) {
      n.close();
    }
    if (federation != null) {
      federation.close();
    }
    for (Process p : processes) {
      p.destroy();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    transport.close();
  }

  static Process launch(NodeId node) throws IOException, InterruptedException {
    return NodeProcess.launch(layout.nodeConfigs().get(node), node);
  }

  @Test
  void crossProvinceToAnotherProcess() throws Exception {
    String subject = layout.data().resource("3-44-002-001-000001").orElseThrow().sampleKeys().get(0);
    try (ConsumerClient bj = federation.consumer(NodeId.parse("prov-11/dept-ca"), Fixtures.DEADLINE)) {
      ConsumerClient.Verified v =
          bj.verify(request("3-44-002-001-000001", subject, cmp("id_number", Operator.EXISTS)));
      assertEquals(Answer.TRUE, v.response().getAnswer());
      assertEquals(GD_HRSS.toString(), v.receipt().getNodeId());
      ConsumerClient.Verified none =
          bj.verify(request("3-44-002-001-000001", "110105194912310010", cmp("id_number", Operator.EXISTS)));
      assertEquals(Answer.NO_RECORD, none.response().getAnswer());
    }
  }

  @Test
  void fromAProcessGatewayBackIntoThisOne() throws Exception {
    String subject = layout.data().resource("3-11-001-001-000001").orElseThrow().sampleKeys().get(1);
    try (ConsumerClient gd = federation.consumer(NodeId.parse("prov-44/dept-ca"), Fixtures.DEADLINE)) {
      ConsumerClient.Verified v =
          gd.verify(request("3-11-001-001-000001", subject, cmp("id_number", Operator.EXISTS)));
      assertEquals(Answer.TRUE, v.response().getAnswer());
      assertEquals("prov-11/dept-psb", v.receipt().getNodeId());
    }
    assertTrue(processes.stream().allMatch(Process::isAlive));
  }

  @Test
  void killingAGatewayUnderLoadLosesNoAnsweredCallsEntry() throws Exception {
    String subject = layout.data().resource("3-44-002-001-000001").orElseThrow().sampleKeys().get(0);
    java.util.Set<String> answered = java.util.concurrent.ConcurrentHashMap.newKeySet();
    java.util.concurrent.atomic.AtomicInteger sent = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicBoolean killed = new java.util.concurrent.atomic.AtomicBoolean();
    // A Guangdong department asks its own (separate-process) gateway from 4 threads until it dies.
    try (ConsumerClient gd = federation.consumer(NodeId.parse("prov-44/dept-ca"), Fixtures.DEADLINE)) {
      List<Thread> callers = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        Thread th = new Thread(() -> {
          while (!killed.get()) {
            String id = "kill-test-" + sent.incrementAndGet();
            var q = request("3-44-002-001-000001", subject, cmp("id_number", Operator.EXISTS));
            q = q.toBuilder().setContext(q.getContext().toBuilder().setRequestId(id)).build();
            try {
              gd.verify(q);
              answered.add(id);
            } catch (Exception e) {
              // refused or cut off by the kill: not acknowledged, so nothing is owed
            }
          }
        });
        th.start();
        callers.add(th);
      }
      Fixtures.awaitValue(answered::size, n -> n >= 200);
      Process gateway = processes.get(1);
      gateway.destroyForcibly(); // SIGKILL: no shutdown hook, no final checkpoint
      assertTrue(gateway.waitFor(10, TimeUnit.SECONDS));
      killed.set(true);
      for (Thread th : callers) {
        th.join();
      }
    }
    // Opening the log recovers it (cutting a torn tail) and checks it against its last checkpoint.
    java.util.Set<String> logged = new java.util.HashSet<>();
    try (sluice.gateway.audit.AuditLog log = sluice.gateway.audit.AuditLog.open(layout.auditDir(GD_GATEWAY),
        sluice.gateway.audit.CheckpointWitness.origin(GD_GATEWAY),
        List.of(sluice.crypto.note.Ed25519NoteKeys.signer("reader",
            sluice.crypto.note.Ed25519NoteKeys.generate(new java.security.SecureRandom()))),
        sluice.gateway.audit.CheckpointWitness.NAME, sluice.gateway.audit.AuditLogSettings.defaults(),
        (i, entry) -> {
          try {
            logged.add(sluice.v1.AuditEntry.parseFrom(entry).getRequestId());
          } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError("entry " + i + " is not an audit entry", e);
          }
        })) {
      assertTrue(log.size() >= answered.size());
    }
    java.util.Set<String> lost = new java.util.HashSet<>(answered);
    lost.removeAll(logged);
    assertEquals(java.util.Set.of(), lost, "every call answered before the kill is in the log (" + answered.size()
        + " answered of " + sent.get() + " sent)");

    // The gateway restarts on the same log and serves again.
    processes.set(1, launch(GD_GATEWAY));
    try (ConsumerClient gd = federation.consumer(NodeId.parse("prov-44/dept-ca"), Fixtures.DEADLINE)) {
      assertEquals(Answer.TRUE,
          gd.verify(request("3-44-002-001-000001", subject, cmp("id_number", Operator.EXISTS))).response().getAnswer());
    }
  }

  /** Asks {@code q} until it is answered (at most 15 s). */
  static void awaitAnswered(ConsumerClient client, sluice.v1.VerifyRequest q) throws InterruptedException {
    assertEquals(io.grpc.Status.Code.OK, Fixtures.awaitValue(() -> {
      try {
        return (io.grpc.Status.Code) timed(client, q)[0];
      } catch (Exception e) {
        return null;
      }
    }, io.grpc.Status.Code.OK::equals));
  }

  static Object[] timed(ConsumerClient client, sluice.v1.VerifyRequest q) throws Exception {
    long t0 = System.nanoTime();
    io.grpc.Status.Code code;
    String description;
    try {
      client.verify(q);
      code = io.grpc.Status.Code.OK;
      description = "";
    } catch (io.grpc.StatusRuntimeException e) {
      code = e.getStatus().getCode();
      description = String.valueOf(e.getStatus().getDescription());
    }
    return new Object[] {code, java.time.Duration.ofNanos(System.nanoTime() - t0), description};
  }

  @Test
  void aStalledDepartmentCostsItsCallersOnlyTheirDeadlineAndNoOneElseAnything() throws Exception {
    var toHrss = request("3-44-002-001-000001",
        layout.data().resource("3-44-002-001-000001").orElseThrow().sampleKeys().get(2), cmp("id_number", Operator.EXISTS));
    var toBeijing = request("3-11-001-001-000001",
        layout.data().resource("3-11-001-001-000001").orElseThrow().sampleKeys().get(2), cmp("id_number", Operator.EXISTS));
    java.time.Duration deadline = java.time.Duration.ofSeconds(2);
    try (ConsumerClient gd = federation.consumer(NodeId.parse("prov-44/dept-ca"), deadline)) {
      assertEquals(Answer.TRUE, gd.verify(toHrss).response().getAnswer());
      Process hrss = processes.get(0);
      NodeProcess.signal("STOP", hrss);
      try {
        Object[] stalled = timed(gd, toHrss);
        System.out.println("stalled department: " + stalled[0] + " after " + stalled[1] + " (deadline " + deadline + "): " + stalled[2]);
        assertEquals(io.grpc.Status.Code.DEADLINE_EXCEEDED, stalled[0], "the stalled department: " + stalled[2]);
        assertTrue(((java.time.Duration) stalled[1]).compareTo(deadline.plusMillis(1_500)) < 0,
            "the caller waited its deadline and not much more: " + stalled[1]);
        // The gateway and every other department go on.
        assertEquals(Answer.TRUE, gd.verify(toBeijing).response().getAnswer());
      } finally {
        NodeProcess.signal("CONT", hrss);
      }
      // Resumed, the department answers again.
      awaitAnswered(gd, toHrss);
    }
  }

  @Test
  void aDepartmentKilledIsUnavailableAtOnceAndAnswersAgainWhenRestarted() throws Exception {
    var toHrss = request("3-44-002-001-000001",
        layout.data().resource("3-44-002-001-000001").orElseThrow().sampleKeys().get(4), cmp("id_number", Operator.EXISTS));
    var toBeijing = request("3-11-001-001-000001",
        layout.data().resource("3-11-001-001-000001").orElseThrow().sampleKeys().get(4), cmp("id_number", Operator.EXISTS));
    try (ConsumerClient gd = federation.consumer(NodeId.parse("prov-44/dept-ca"), Fixtures.DEADLINE)) {
      assertEquals(Answer.TRUE, gd.verify(toHrss).response().getAnswer());
      Process hrss = processes.get(0);
      hrss.destroyForcibly(); // SIGKILL
      assertTrue(hrss.waitFor(10, TimeUnit.SECONDS));
      Object[] down = timed(gd, toHrss);
      System.out.println("department killed: " + down[0] + " after " + down[1] + ": " + down[2]);
      assertEquals(io.grpc.Status.Code.UNAVAILABLE, down[0], String.valueOf(down[2]));
      assertTrue(String.valueOf(down[2]).contains("prov-44/dept-hrss"), "the refusal names the department: " + down[2]);
      assertTrue(((java.time.Duration) down[1]).compareTo(java.time.Duration.ofSeconds(5)) < 0,
          "fails fast, not at the 20 s deadline: " + down[1]);
      assertEquals(Answer.TRUE, gd.verify(toBeijing).response().getAnswer(), "other departments are unaffected");
      processes.set(0, launch(GD_HRSS));
      long back0 = System.nanoTime();
      awaitAnswered(gd, toHrss);
      System.out.println("department restarted: answered again after "
          + java.time.Duration.ofNanos(System.nanoTime() - back0));
    }
  }

  @Test
  void withTheHubDownOnlyCrossProvinceCallsFailAndFastAndTheyRecoverWhenItReturns() throws Exception {
    var toHrss = request("3-44-002-001-000001",
        layout.data().resource("3-44-002-001-000001").orElseThrow().sampleKeys().get(3), cmp("id_number", Operator.EXISTS));
    var toBeijing = request("3-11-001-001-000001",
        layout.data().resource("3-11-001-001-000001").orElseThrow().sampleKeys().get(3), cmp("id_number", Operator.EXISTS));
    try (ConsumerClient gd = federation.consumer(NodeId.parse("prov-44/dept-ca"), Fixtures.DEADLINE)) {
      assertEquals(Answer.TRUE, gd.verify(toBeijing).response().getAnswer());
      federation.stop(NodeId.NATIONAL);
      try {
        assertEquals(Answer.TRUE, gd.verify(toHrss).response().getAnswer(), "same-province calls do not need the hub");
        Object[] cross = timed(gd, toBeijing);
        System.out.println("hub down, cross-province: " + cross[0] + " after " + cross[1] + ": " + cross[2]);
        assertEquals(io.grpc.Status.Code.UNAVAILABLE, cross[0], String.valueOf(cross[2]));
        assertTrue(String.valueOf(cross[2]).contains("national"), "the refusal names the hub: " + cross[2]);
        assertTrue(((java.time.Duration) cross[1]).compareTo(java.time.Duration.ofSeconds(5)) < 0,
            "fails fast, not at the 20 s deadline: " + cross[1]);
        assertEquals(Answer.TRUE, gd.verify(toHrss).response().getAnswer());
      } finally {
        restarted.add(sluice.nodes.run.NodeLauncher.start(
            sluice.nodes.config.NodeConfig.load(layout.nodeConfigs().get(NodeId.NATIONAL)), transport));
      }
      // The hub is back on its address: Guangdong's gateway reconnects and cross-province calls are answered.
      long back0 = System.nanoTime();
      awaitAnswered(gd, toBeijing);
      System.out.println("hub restarted: cross-province answered again after " + java.time.Duration.ofNanos(System.nanoTime() - back0));
    }
    // And the other way, from Beijing's gateway, whose own channel to the hub reconnects when next used.
    try (ConsumerClient bj = federation.consumer(NodeId.parse("prov-11/dept-ca"), Fixtures.DEADLINE)) {
      awaitAnswered(bj, toHrss);
    }
  }
}
