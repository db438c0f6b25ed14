package sluice.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.bench.CatalogRig;
import sluice.catalog.grant.AccessRequest;
import sluice.crypto.NodeId;
import sluice.crypto.pki.TlsContexts;
import sluice.crypto.psi.PsiSuite;
import sluice.gateway.Gateway;
import sluice.gateway.client.PsiInput;
import sluice.gateway.client.PsiReceiver;
import sluice.nodes.department.CsvRecords;
import sluice.v1.AuditEntry;
import sluice.v1.Decision;
import sluice.v1.GatewaySide;
import sluice.v1.IntersectRequest;
import sluice.v1.IntersectResponse;
import sluice.v1.IntersectStart;
import sluice.v1.MaskedElements;
import sluice.v1.PsiMode;
import sluice.v1.PsiServiceGrpc;
import sluice.v1.RequestContext;

/**
 * ECDH-PSI across provinces, through Beijing's gateway, the hub and Guangdong's gateway to
 * Guangdong's social insurance department: results equal plain set intersection for every suite
 * and mode; no element crosses the wire in the clear; every gateway audits each session (suite,
 * sizes, result) and each refusal; malformed sessions are refused with INVALID_ARGUMENT.
 */
class PsiTest {
  static final String PURPOSE = "SOCIAL_ASSISTANCE_ELIGIBILITY";
  static final NodeId UNGRANTED = NodeId.parse("prov-11/dept-psb");
  static final NodeId SMALL_QUOTA = NodeId.parse("prov-11/dept-hrss");
  static final NodeId SMALL_MEMBER_QUOTA = NodeId.parse("prov-11/dept-samr");

  @TempDir static Path work;
  static CatalogRig rig;
  static Set<String> senderKeys;
  static ExecutorService pool = Executors.newFixedThreadPool(2);
  static final SecureRandom random = new SecureRandom();

  @BeforeAll
  static void start() throws Exception {
    // The provider spills CARDINALITY tags in partitions of 16: most sessions here use several.
    rig = new CatalogRig(work, Path.of("../docs/examples/catalogue-entry.yaml"), java.time.Duration.ofMillis(100),
        sluice.gateway.audit.AuditLogSettings.defaults(), csv -> csv, 16);
    grant(CatalogRig.CONSUMER, 100_000);
    grant(SMALL_QUOTA, 10);
    grant(SMALL_MEMBER_QUOTA, 10);
    senderKeys = new HashSet<>();
    CsvRecords.load(rig.entry.descriptor(),
            rig.layout.data().resource(rig.entry.resourceCode()).orElseThrow().csvFile())
        .forEach((key, record) -> senderKeys.add(key));
    assertTrue(senderKeys.size() > 20, "the provider holds records: " + senderKeys.size());
  }

  static void grant(NodeId consumer, long daily) throws Exception {
    AccessRequest r = rig.access.request(consumer, rig.entry.resourceCode(), List.of("enrolled"), List.of(PURPOSE),
        "《社会救助暂行办法》第十一条", 30, daily, false, Map.of());
    rig.access.approve(r.id(), "张敏", "");
  }

  @AfterAll
  static void stop() throws Exception {
    pool.shutdownNow();
    rig.close();
  }

  /** A channel to {@code consumer}'s gateway that records every message it sends and receives. */
  static final class Recording implements ClientInterceptor {
    final List<byte[]> seen = java.util.Collections.synchronizedList(new ArrayList<>());

    @Override
    public <Q, A> ClientCall<Q, A> interceptCall(MethodDescriptor<Q, A> method, CallOptions options, Channel next) {
      return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
        @Override
        public void sendMessage(Q message) {
          seen.add(((com.google.protobuf.MessageLite) message).toByteArray());
          super.sendMessage(message);
        }

        @Override
        public void start(Listener<A> listener, Metadata headers) {
          super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
            @Override
            public void onMessage(A message) {
              seen.add(((com.google.protobuf.MessageLite) message).toByteArray());
              super.onMessage(message);
            }
          }, headers);
        }
      };
    }
  }

  static ManagedChannel channel(NodeId consumer) throws Exception {
    return rig.transport.channelBuilder(rig.layout.addresses().get(consumer.gateway().orElseThrow()),
        TlsContexts.client(rig.credentials(consumer), consumer.gateway().orElseThrow())).build();
  }

  static PsiReceiver.Request request(PsiSuite suite, PsiMode mode, String caseRef) {
    return new PsiReceiver.Request(
        RequestContext.newBuilder().setPurposeCode(PURPOSE).setCaseReference(caseRef).setRequestId(caseRef).build(),
        rig.entry.resourceCode(), CatalogRig.RECEIVER_RESOURCE.code(), suite, mode);
  }

  /** Runs a session, retrying while the grant has not yet reached the gateways. */
  static PsiReceiver.Result run(Channel channel, PsiReceiver.Request request, List<String> elements) throws Exception {
    return run(new PsiReceiver(PsiServiceGrpc.newStub(channel), pool, 2, random), request, PsiInput.of(elements));
  }

  static PsiReceiver.Result run(PsiReceiver receiver, PsiReceiver.Request request, PsiInput elements) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (true) {
      try {
        return receiver.run(request, elements, null);
      } catch (StatusRuntimeException e) {
        boolean notYet = e.getStatus().getCode() == Status.Code.PERMISSION_DENIED
            && e.getStatus().getDescription().contains("has no grant")
            || e.getStatus().getCode() == Status.Code.UNAVAILABLE;
        if (!notYet || System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(50);
      }
    }
  }

  /** Half of the provider's keys, some strangers, and duplicates. */
  static List<String> mixedSet(int members, int strangers) {
    List<String> x = new ArrayList<>(senderKeys).subList(0, members);
    List<String> out = new ArrayList<>(x);
    for (int i = 0; i < strangers; i++) {
      out.add(String.format("11010119900101%04d", i));
    }
    out.add(x.get(0));
    out.add(out.get(out.size() - 2));
    java.util.Collections.shuffle(out, random);
    return out;
  }

  static Set<String> plain(List<String> x) {
    Set<String> s = new LinkedHashSet<>(x);
    s.retainAll(senderKeys);
    return s;
  }

  @Test
  void everySuiteFindsExactlyTheCommonElementsAcrossProvinces() throws Exception {
    ManagedChannel ch = channel(CatalogRig.CONSUMER);
    try {
      int n = 0;
      for (PsiSuite suite : PsiSuite.values()) {
        List<String> x = mixedSet(10 + n, 15);
        PsiReceiver.Result r = run(ch, request(suite, PsiMode.INTERSECTION, "BJ-PSI-" + suite), x);
        assertEquals(plain(x), new LinkedHashSet<>(r.intersection()), suite.name());
        assertEquals(plain(x).size(), r.size());
        assertEquals(new HashSet<>(x).size(), r.receiverSetSize(), "duplicates count once");
        assertEquals(senderKeys.size(), r.senderSetSize());
        n++;
      }
      List<String> disjoint = List.of("110101190001010000", "110101190001010001");
      assertEquals(List.of(), run(ch, request(PsiSuite.SM2_SM3_SSWU, PsiMode.INTERSECTION, "BJ-PSI-disjoint"), disjoint)
          .intersection());
      List<String> identical = new ArrayList<>(senderKeys);
      assertEquals(senderKeys, new HashSet<>(
          run(ch, request(PsiSuite.X25519_SHA256, PsiMode.INTERSECTION, "BJ-PSI-identical"), identical).intersection()));
      PsiReceiver.Result empty = run(ch, request(PsiSuite.SM2_SM3_SSWU, PsiMode.INTERSECTION, "BJ-PSI-empty"), List.of());
      assertEquals(0, empty.size(), "an empty set intersects to nothing, without a call");
    } finally {
      ch.shutdownNow();
    }
  }

  @Test
  void cardinalityRevealsOnlyTheCount() throws Exception {
    ManagedChannel ch = channel(CatalogRig.CONSUMER);
    try {
      List<String> x = mixedSet(17, 30);
      var registry = rig.gdMetrics.registry();
      double completed = registry.get("sluice.psi.sessions").tag("result", "completed").counter().count();
      double elements = registry.get("sluice.psi.elements").counter().count();
      PsiReceiver.Result r = run(ch, request(PsiSuite.SM2_SM3_SSWU, PsiMode.CARDINALITY, "BJ-PSI-CA"), x);
      assertEquals(plain(x).size(), r.size());
      assertEquals(List.of(), r.intersection(), "no element is named");
      // The provider's gateway's metrics saw the session pass: PSI progress for operators.
      assertEquals(completed + 1, registry.get("sluice.psi.sessions").tag("result", "completed").counter().count());
      assertEquals(elements + r.receiverSetSize(), registry.get("sluice.psi.elements").counter().count());
      assertEquals(0, registry.get("sluice.psi.sessions.active").gauge().value());
    } finally {
      ch.shutdownNow();
    }
  }

  @Test
  void noElementCrossesTheWireInTheClearAndEveryGatewayAuditsTheSession() throws Exception {
    Recording recording = new Recording();
    ManagedChannel ch = channel(CatalogRig.CONSUMER);
    try {
      List<String> x = mixedSet(12, 12);
      PsiReceiver.Result r = run(io.grpc.ClientInterceptors.intercept(ch, recording),
          request(PsiSuite.SM2_SM3_SSWU, PsiMode.INTERSECTION, "BJ-PSI-canary"), x);
      assertEquals(plain(x).size(), r.size());
      assertTrue(recording.seen.size() > 3, "messages were recorded: " + recording.seen.size());
      Set<String> canaries = new HashSet<>(x);
      canaries.addAll(senderKeys);
      List<byte[]> wire = new ArrayList<>(recording.seen);
      // What the provider department sent and received in this session, captured at the department.
      List<sluice.bench.MessageTap.Message> atProvider = rig.providerTap.seen().stream()
          .filter(m -> m.method().endsWith("/Intersect")).toList();
      assertFalse(atProvider.isEmpty());
      atProvider.forEach(m -> wire.add(((com.google.protobuf.MessageLite) m.message()).toByteArray()));
      for (byte[] message : wire) {
        String text = new String(message, StandardCharsets.ISO_8859_1);
        for (String canary : canaries) {
          assertFalse(text.contains(canary), "element " + canary + " crossed the wire");
          assertFalse(text.contains(canary.substring(0, 12)), "part of element " + canary + " crossed the wire");
        }
      }
      // Receiver only: the sending department never receives the result, not even its size.
      assertTrue(atProvider.stream().noneMatch(m -> m.in() && ((IntersectRequest) m.message()).hasResult()),
          "the result reached the sender");
      assertTrue(atProvider.stream().anyMatch(m -> m.in() && ((IntersectRequest) m.message()).hasElements()));
      Map<NodeId, GatewaySide> sides = Map.of(CatalogRig.BJ, GatewaySide.CONSUMER_SIDE, NodeId.NATIONAL,
          GatewaySide.TRANSIT, CatalogRig.GD, GatewaySide.PROVIDER_SIDE);
      for (var side : sides.entrySet()) {
        List<AuditEntry> entries = intersectEntries(side.getKey(), "BJ-PSI-canary");
        assertEquals(List.of("ADMITTED", "OK"), entries.stream().map(AuditEntry::getStatus).toList(), side.getKey().toString());
        AuditEntry end = entries.get(1);
        assertEquals(side.getValue(), end.getSide());
        assertEquals(Decision.PERMIT, end.getDecision());
        assertEquals(PsiSuite.SM2_SM3_SSWU.id(), end.getPsi().getSuite());
        assertEquals("INTERSECTION", end.getPsi().getMode());
        assertEquals(r.receiverSetSize(), end.getPsi().getReceiverSetSize());
        assertEquals(senderKeys.size(), end.getPsi().getSenderSetSize());
        assertEquals(r.receiverSetSize(), end.getPsi().getTagsFromSender());
        assertEquals(r.size(), end.getPsi().getResultSize());
        assertTrue(end.getPsi().getResultReported());
        assertEquals(CatalogRig.RECEIVER_RESOURCE.code(), end.getPsi().getReceiverResourceCode());
        assertEquals(CatalogRig.CONSUMER.toString(), end.getConsumerNodeId());
        if (!side.getKey().isHub()) {
          assertFalse(end.getGrantId().isEmpty(), "the grant is recorded at " + side.getKey());
        }
      }
    } finally {
      ch.shutdownNow();
    }
  }

  /** What {@code gateway} logged, in order, that {@code wanted} picks. */
  static List<AuditEntry> logged(NodeId gateway, java.util.function.Predicate<AuditEntry> wanted) {
    Gateway g = rig.gateway(gateway);
    List<AuditEntry> out = new ArrayList<>();
    try {
      g.auditLog().read(g.auditLog().size(), bytes -> {
        try {
          AuditEntry e = AuditEntry.parseFrom(bytes);
          if (wanted.test(e)) {
            out.add(e);
          }
        } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
          throw new IllegalStateException(ex);
        }
      });
    } catch (java.io.IOException ex) {
      throw new java.io.UncheckedIOException(ex);
    }
    return out;
  }

  /** The Intersect entries of {@code requestId} at {@code gateway}, once the session's end is logged. */
  static List<AuditEntry> intersectEntries(NodeId gateway, String requestId) throws Exception {
    return Fixtures.awaitValue(
        () -> logged(gateway, e -> e.getOperation().equals("Intersect") && e.getRequestId().equals(requestId)),
        out -> !out.isEmpty() && (out.size() >= 2 || out.stream().noneMatch(e -> e.getStatus().equals("ADMITTED"))));
  }

  @Test
  void refusalsSayWhyAndAreAudited() throws Exception {
    ManagedChannel ungranted = channel(UNGRANTED);
    ManagedChannel small = channel(SMALL_QUOTA);
    ManagedChannel bj = channel(CatalogRig.CONSUMER);
    try {
      List<String> x = mixedSet(5, 20);
      StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> new PsiReceiver(
          PsiServiceGrpc.newStub(ungranted), pool, 2, random).run(
              new PsiReceiver.Request(RequestContext.newBuilder().setPurposeCode(PURPOSE).setCaseReference("no-grant")
                  .setRequestId("PSI-no-grant").build(), rig.entry.resourceCode(), "3-11-001-001-000001",
                  PsiSuite.SM2_SM3_SSWU, PsiMode.INTERSECTION), x, null));
      assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode(), e.getMessage());
      assertEquals(Decision.DENY, intersectEntries(CatalogRig.BJ, "PSI-no-grant").get(0).getDecision());

      // Another department's resource is not a set this consumer may contribute.
      e = assertThrows(StatusRuntimeException.class, () -> run(bj, new PsiReceiver.Request(
          RequestContext.newBuilder().setPurposeCode(PURPOSE).setCaseReference("c").setRequestId("PSI-not-mine").build(),
          rig.entry.resourceCode(), rig.entry.resourceCode(), PsiSuite.SM2_SM3_SSWU, PsiMode.INTERSECTION), x));
      assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode());
      assertTrue(e.getStatus().getDescription().contains("only a set drawn from its own resources"), e.getMessage());

      // 25 elements against a quota of 10 subjects a day: refused whole, and nothing is charged.
      e = Fixtures.awaitValue(() -> {
        try {
          new PsiReceiver(PsiServiceGrpc.newStub(small), pool, 2, random).run(new PsiReceiver.Request(
              RequestContext.newBuilder().setPurposeCode(PURPOSE).setCaseReference("c").setRequestId("PSI-quota").build(),
              rig.entry.resourceCode(), "3-11-002-001-000001", PsiSuite.SM2_SM3_SSWU, PsiMode.INTERSECTION), x, null);
          return null;
        } catch (StatusRuntimeException ex) {
          return ex;
        } catch (InterruptedException ex) {
          throw new IllegalStateException(ex);
        }
      }, ex -> ex != null && ex.getStatus().getCode() == Status.Code.RESOURCE_EXHAUSTED);
      assertTrue(e.getStatus().getDescription().contains("concerns 25"), e.getMessage());
      PsiReceiver.Result fits = run(small, new PsiReceiver.Request(
          RequestContext.newBuilder().setPurposeCode(PURPOSE).setCaseReference("c").setRequestId("PSI-fits").build(),
          rig.entry.resourceCode(), "3-11-002-001-000001", PsiSuite.SM2_SM3_SSWU, PsiMode.CARDINALITY),
          List.copyOf(new ArrayList<>(new LinkedHashSet<>(x)).subList(0, 10)));
      assertEquals(10, fits.receiverSetSize(), "the refused call charged nothing: 10 still fit");
    } finally {
      ungranted.shutdownNow();
      small.shutdownNow();
      bj.shutdownNow();
    }
  }

  @Test
  void malformedSessionsAreRefusedWithInvalidArgument() throws Exception {
    ManagedChannel bj = channel(CatalogRig.CONSUMER);
    try {
      IntersectStart good = IntersectStart.newBuilder()
          .setContext(RequestContext.newBuilder().setPurposeCode(PURPOSE).setCaseReference("c").setRequestId("PSI-bad"))
          .setResourceCode(rig.entry.resourceCode()).setReceiverResourceCode(CatalogRig.RECEIVER_RESOURCE.code())
          .setSuite("SM2_SM3_SSWU").setMode(PsiMode.INTERSECTION).setReceiverSetSize(2).build();
      assertRefused(bj, List.of(IntersectRequest.newBuilder().setStart(good.toBuilder().setSuite("RSA")).build()), "unknown PSI suite");
      assertRefused(bj, List.of(IntersectRequest.newBuilder().setStart(good.toBuilder().clearMode()).build()), "mode");
      assertRefused(bj, List.of(IntersectRequest.newBuilder().setElements(MaskedElements.getDefaultInstance()).build()),
          "must be the start");
      // Not whole points; then more than declared; then a point that is not on the curve (the department checks).
      byte[] notOnCurve = new byte[66];
      notOnCurve[0] = 2;
      notOnCurve[33] = 2;
      for (int x = 1; ; x++) {
        notOnCurve[32] = (byte) x;
        try {
          PsiSuite.SM2_SM3_SSWU.group().remask(PsiSuite.SM2_SM3_SSWU.group().newKey(random), java.util.Arrays.copyOf(notOnCurve, 33));
        } catch (sluice.crypto.psi.InvalidPointException ex) {
          break;
        }
      }
      notOnCurve[65] = notOnCurve[32];
      assertRefused(bj, List.of(IntersectRequest.newBuilder().setStart(good).build(),
          elements(new byte[40])), "whole number of 33-byte");
      assertRefused(bj, List.of(IntersectRequest.newBuilder().setStart(good).build(),
          elements(new byte[99])), "more than the 2 elements");
      assertRefused(bj, List.of(IntersectRequest.newBuilder().setStart(good).build(), elements(notOnCurve)),
          "not acceptable");
    } finally {
      bj.shutdownNow();
    }
  }

  @Test
  void thePsiRunCommandWritesTheCommonKeysAndRefusesWithExitCode1() throws Exception {
    List<String> x = mixedSet(9, 11);
    Path input = work.resolve("set.csv");
    List<String> lines = new ArrayList<>(List.of("note,id_number"));
    x.forEach(k -> lines.add("n," + k));
    java.nio.file.Files.write(input, lines);
    Path found = work.resolve("found.csv");
    StewardServiceTest.Cli cli = new StewardServiceTest.Cli();
    String[] args = {"psi", "run", "--work", work.toString(), "--as", CatalogRig.CONSUMER.toString(),
        "--resource", rig.entry.resourceCode(), "--own-resource", CatalogRig.RECEIVER_RESOURCE.code(),
        "--input", input.toString(), "--column", "id_number", "--suite", "p256_sha256_sswu",
        "--purpose", PURPOSE, "--case", "CLI-PSI", "--output", found.toString()};
    int code = Fixtures.awaitValue(() -> cli.run(args), c -> c == 0 || !cli.err().contains("no grant"));
    assertEquals(0, code, cli.err());
    assertTrue(cli.out().startsWith(plain(x).size() + " in common, written to"), cli.out());
    assertTrue(cli.err().contains("P256_XMD:SHA-256_SSWU_RO_") && cli.err().contains("elements masked"), cli.err());
    List<String> written = java.nio.file.Files.readAllLines(found);
    assertEquals("id_number", written.get(0));
    assertEquals(plain(x), new LinkedHashSet<>(written.subList(1, written.size())));

    String[] cardinality = java.util.Arrays.copyOf(args, args.length + 2);
    cardinality[args.length] = "--mode";
    cardinality[args.length + 1] = "cardinality";
    assertEquals(0, cli.run(cardinality), cli.err());
    assertEquals(plain(x).size() + " in common", cli.out().strip());

    String[] otherResource = args.clone();
    otherResource[9] = rig.entry.resourceCode();
    assertEquals(1, cli.run(otherResource));
    assertTrue(cli.err().contains("refused: PERMISSION_DENIED"), cli.err());
    String[] badSuite = args.clone();
    badSuite[15] = "RSA";
    assertEquals(2, cli.run(badSuite));
    assertTrue(cli.err().contains("unknown PSI suite"), cli.err());
  }

  @Test
  void membershipAnswersWithoutTheSubjectLeavingAndEachCheckCountsAgainstTheQuota() throws Exception {
    List<String> members = new ArrayList<>(senderKeys);
    StewardServiceTest.Cli cli = new StewardServiceTest.Cli();
    String[] args = {"psi", "member", "--work", work.toString(), "--as", CatalogRig.CONSUMER.toString(),
        "--resource", rig.entry.resourceCode(), "--subject", members.get(0), "--subject", "110101190001010000",
        "--subject", members.get(1), "--purpose", PURPOSE, "--case", "CLI-MEMBER"};
    int code = Fixtures.awaitValue(() -> cli.run(args), c -> c == 0 || !cli.err().contains("no grant"));
    assertEquals(0, code, cli.err());
    assertEquals(members.get(0) + ": in\n110101190001010000: not in\n" + members.get(1) + ": in\n",
        cli.out().replace("\r", ""));
    assertTrue(cli.err().contains("table holds " + senderKeys.size() + " keys"), cli.err());

    // The gateways record each evaluation with the consumer's grant and no subject.
    Recording recording = new Recording();
    ManagedChannel ch = channel(CatalogRig.CONSUMER);
    try {
      var checker = new sluice.gateway.client.MembershipChecker(
          PsiServiceGrpc.newBlockingStub(io.grpc.ClientInterceptors.intercept(ch, recording)),
          RequestContext.newBuilder().setPurposeCode(PURPOSE).setCaseReference("c").setRequestId("MEMBER-1").build(),
          rig.entry.resourceCode(), PsiSuite.P256_SHA256_SSWU, random, 20_000);
      assertTrue(checker.contains(members.get(2)));
      assertFalse(checker.contains("110101190001010001"));
      for (byte[] message : recording.seen) {
        String text = new String(message, StandardCharsets.ISO_8859_1);
        assertFalse(text.contains(members.get(2)) || text.contains("110101190001010001"), "a subject crossed the wire");
      }
      List<AuditEntry> gd = Fixtures.awaitValue(() -> logged(CatalogRig.GD,
          e -> e.getRequestId().equals("MEMBER-1") && e.getOperation().equals("Membership")), l -> l.size() == 2);
      for (AuditEntry e : gd) {
        assertEquals(Decision.PERMIT, e.getDecision());
        assertEquals("", e.getSubjectPseudonym(), "no one on the way knows the subject");
        assertFalse(e.getGrantId().isEmpty());
      }
      StatusRuntimeException x25519 = assertThrows(StatusRuntimeException.class, () -> PsiServiceGrpc.newBlockingStub(ch)
          .membership(sluice.v1.MembershipRequest.newBuilder().setContext(RequestContext.newBuilder()
              .setPurposeCode(PURPOSE).setCaseReference("c")).setResourceCode(rig.entry.resourceCode())
              .setSuite("X25519_SHA256").build()));
      assertEquals(Status.Code.INVALID_ARGUMENT, x25519.getStatus().getCode());
    } finally {
      ch.shutdownNow();
    }

    // Ten subjects a day for this consumer: the eleventh check is refused.
    ManagedChannel small = channel(SMALL_MEMBER_QUOTA);
    try {
      var limited = new sluice.gateway.client.MembershipChecker(PsiServiceGrpc.newBlockingStub(small),
          RequestContext.newBuilder().setPurposeCode(PURPOSE).setCaseReference("c").build(), rig.entry.resourceCode(),
          PsiSuite.SM2_SM3_SSWU, random, 20_000);
      StatusRuntimeException over = null;
      for (int i = 0; i < 30 && over == null; i++) {
        try {
          limited.contains(members.get(i % members.size()));
        } catch (StatusRuntimeException e) {
          if (e.getStatus().getCode() == Status.Code.RESOURCE_EXHAUSTED) {
            over = e;
          } else if (!(e.getStatus().getCode() == Status.Code.PERMISSION_DENIED
              && e.getStatus().getDescription().contains("has no grant"))) {
            throw e;
          } else {
            Thread.sleep(50);
          }
        }
      }
      assertTrue(over != null && over.getStatus().getDescription().contains("daily quota"), String.valueOf(over));
    } finally {
      small.shutdownNow();
    }
  }

  static Set<Path> list(Path dir) {
    if (!java.nio.file.Files.isDirectory(dir)) {
      return Set.of();
    }
    try (java.util.stream.Stream<Path> all = java.nio.file.Files.list(dir)) {
      return all.collect(java.util.stream.Collectors.toSet());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static void assertEmpty(Path dir) throws Exception {
    if (java.nio.file.Files.isDirectory(dir)) {
      try (java.util.stream.Stream<Path> left = java.nio.file.Files.list(dir)) {
        assertEquals(List.of(), left.toList(), "nothing is left in " + dir);
      }
    }
  }

  @Test
  void sessionsSpillToSmallPartitionsAndLeaveNoFileBehind() throws Exception {
    Path inputDir = work.resolve("receiver-input");
    Path spill = work.resolve("receiver-spill");
    ManagedChannel ch = channel(CatalogRig.CONSUMER);
    try {
      List<String> x = mixedSet(40, 200);
      Set<Path> before = list(rig.providerSpill);
      for (PsiMode mode : List.of(PsiMode.INTERSECTION, PsiMode.CARDINALITY)) {
        try (PsiInput input = PsiInput.spilled(x::forEach, inputDir)) {
          // Partitions of 8 tags: the receiver joins and the sender shuffles about 30 of them one at a time.
          PsiReceiver receiver = new PsiReceiver(PsiServiceGrpc.newStub(ch), pool, 2, random, spill, 8);
          PsiReceiver.Result r = run(receiver, request(PsiSuite.X25519_SHA256, mode, "BJ-PSI-spill-" + mode), input);
          assertEquals(plain(x).size(), r.size(), mode.name());
          assertEquals(new HashSet<>(x).size(), r.receiverSetSize(), "duplicates count once");
          assertEquals(mode == PsiMode.INTERSECTION ? new ArrayList<>(plain(x)) : List.of(), r.intersection(),
              "the elements found, in input order");
          assertEmpty(spill);
        }
        assertEmpty(inputDir);
      }
      // The provider deleted its spill when the CARDINALITY session ended (other tests' dropped sessions may keep theirs).
      Set<Path> after = Fixtures.awaitValue(() -> list(rig.providerSpill), d -> before.containsAll(d));
      assertTrue(before.containsAll(after), after.toString());
    } finally {
      ch.shutdownNow();
    }
  }

  /** Cancels the first call once it has received {@code after} Tags messages: a dropped connection. */
  static final class DropOnce implements ClientInterceptor {
    final int after;
    final java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();

    DropOnce(int after) {
      this.after = after;
    }

    @Override
    public <Q, A> ClientCall<Q, A> interceptCall(MethodDescriptor<Q, A> method, CallOptions options, Channel next) {
      boolean first = calls.getAndIncrement() == 0;
      ClientCall<Q, A> call = next.newCall(method, options);
      return new ForwardingClientCall.SimpleForwardingClientCall<>(call) {
        int tags;

        @Override
        public void start(Listener<A> listener, Metadata headers) {
          super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
            @Override
            public void onMessage(A message) {
              super.onMessage(message);
              if (first && message instanceof IntersectResponse r && r.hasTags() && ++tags == after) {
                call.cancel("the test drops the connection", null);
              }
            }
          }, headers);
        }
      };
    }
  }

  @Test
  void aDroppedSessionResumesWithoutStartingOver() throws Exception {
    ManagedChannel ch = channel(CatalogRig.CONSUMER);
    try {
      List<String> x = mixedSet(30, 6000);
      for (PsiMode mode : List.of(PsiMode.INTERSECTION, PsiMode.CARDINALITY)) {
        DropOnce drop = new DropOnce(mode == PsiMode.INTERSECTION ? 2 : 1);
        String id = "BJ-PSI-resume-" + mode;
        PsiReceiver.Result r = run(io.grpc.ClientInterceptors.intercept(ch, drop),
            request(PsiSuite.X25519_SHA256, mode, id), x);
        assertEquals(plain(x).size(), r.size(), mode.name());
        if (mode == PsiMode.INTERSECTION) {
          assertEquals(plain(x), new LinkedHashSet<>(r.intersection()));
        }
        assertEquals(1, r.resumes(), "one drop, one resumption");
        assertEquals(2, drop.calls.get());
        // The provider's gateway saw the first session fail and the second resume it, sending only what was missing.
        List<AuditEntry> gd = Fixtures.awaitValue(() -> logged(CatalogRig.GD,
            e -> e.getOperation().equals("Intersect") && e.getRequestId().equals(id)), l -> l.size() >= 4);
        List<String> statuses = gd.stream().map(AuditEntry::getStatus).toList();
        assertEquals(List.of("ADMITTED", "CANCELLED", "ADMITTED", "OK"), statuses, gd.toString());
        AuditEntry resumed = gd.get(3);
        assertFalse(resumed.getPsi().getResumes().isEmpty(), "the second session names the one it resumes");
        assertTrue(resumed.getPsi().getResultReported());
        if (mode == PsiMode.INTERSECTION) {
          assertTrue(resumed.getPsi().getElementsToSender() < new HashSet<>(x).size(),
              "elements already tagged were not sent again: " + resumed.getPsi());
        }
      }
    } finally {
      ch.shutdownNow();
    }
  }

  static IntersectRequest elements(byte[] points) {
    return IntersectRequest.newBuilder()
        .setElements(MaskedElements.newBuilder().setFirst(0).setPoints(ByteString.copyFrom(points))).build();
  }

  /** Sends {@code messages} (the start accepted first, as needed) and expects INVALID_ARGUMENT saying {@code why}. */
  static void assertRefused(Channel ch, List<IntersectRequest> messages, String why) throws Exception {
    String outcome = Fixtures.await(() -> {
      CompletableFuture<Status> end = new CompletableFuture<>();
      StreamObserver<IntersectRequest> requests = PsiServiceGrpc.newStub(ch).intersect(Fixtures.endingIn(end));
      messages.forEach(requests::onNext);
      try {
        Status s = end.get(20, TimeUnit.SECONDS);
        return s.getCode() + " " + s.getDescription();
      } catch (Exception e) {
        requests.onError(e);
        return "ERROR " + e;
      }
    }, s -> !s.startsWith("PERMISSION_DENIED"));
    assertTrue(outcome.startsWith("INVALID_ARGUMENT") && outcome.contains(why), outcome);
  }
}
