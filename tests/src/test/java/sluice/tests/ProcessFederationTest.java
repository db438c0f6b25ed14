package sluice.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sluice.tests.Fixtures.cmp;
import static sluice.tests.Fixtures.request;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
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
 * {@code sluice node --config}.
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

  /** Starts {@code sluice node --config} in a new JVM and waits until it listens. */
  static Process launch(NodeId node) throws IOException, InterruptedException {
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Process p =
        new ProcessBuilder(
                java, "-Xmx256m", "-cp", classpath, "sluice.nodes.cli.Main",
                "node", "--config", layout.nodeConfigs().get(node).toString())
            .redirectErrorStream(true)
            .start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    String line;
    while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
      seen.append(line).append('\n');
      if (line.contains("node " + node + " listening on")) {
        Thread drain = new Thread(() -> out.lines().forEach(l -> { }));
        drain.setDaemon(true);
        drain.start();
        return p;
      }
    }
    p.destroyForcibly();
    throw new IllegalStateException("node " + node + " did not start:\n" + seen);
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
}
