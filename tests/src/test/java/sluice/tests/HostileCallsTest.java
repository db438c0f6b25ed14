package sluice.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sluice.tests.Fixtures.cmp;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.catalog.ResourceCatalog;
import sluice.catalog.entry.CatalogueEntries;
import sluice.catalog.entry.CatalogueEntry;
import sluice.catalog.grant.Grant;
import sluice.catalog.predicate.PredicateLimits;
import sluice.catalog.snapshot.CatalogSnapshot;
import sluice.catalog.snapshot.SnapshotSigner;
import sluice.catalog.snapshot.SnapshotVerifier;
import sluice.crypto.NodeId;
import sluice.crypto.Sm2;
import sluice.crypto.pki.FederationPki;
import sluice.crypto.pki.NodeCredentials;
import sluice.crypto.pki.TlsContexts;
import sluice.gateway.Gateway;
import sluice.gateway.NodeAddresses;
import sluice.gateway.NodeChannels;
import sluice.gateway.SluiceHeaders;
import sluice.gateway.Transport;
import sluice.gateway.audit.AuditKeyFile;
import sluice.gateway.policy.SnapshotAccessPolicy;
import sluice.nodes.department.CsvRecords;
import sluice.nodes.department.DepartmentNode;
import sluice.nodes.run.FederationSetup;
import sluice.v1.AuditEntry;
import sluice.v1.Operator;
import sluice.v1.Predicate;
import sluice.v1.RequestContext;
import sluice.v1.VerifyRequest;
import sluice.v1.VerifyResponse;
import sluice.v1.VerifyServiceGrpc;

/**
 * The hostile-call suite: more than 10,000 generated attempts that a gateway must refuse, over
 * real gRPC with mutual TLS, against enforcing gateways with durable audit. Each attempt is a
 * kind of attack (below) with randomised particulars (subject, predicate, purpose, path). Passes
 * when no attempt is answered (0 bypasses), every refusal carries the status its kind calls for,
 * legitimate calls made between them are answered, and every attempt appears in the audit log
 * of the gateway it reached with its reason: call by call (matched by request id) for attempts
 * that became calls, and as "Handshake" entries for certificates refused in the TLS handshake.
 * A client without any certificate finishes the handshake with a gateway (which lets it, so as to
 * record it), and its calls are refused UNAUTHENTICATED and audited naming its address.
 */
class HostileCallsTest {
  static final NodeId BJ = NodeId.parse("prov-11");
  static final NodeId GD = NodeId.parse("prov-44");
  static final NodeId PROVIDER = NodeId.parse("prov-44/dept-hrss");
  static final NodeId GRANTED = NodeId.parse("prov-11/dept-ca");
  static final NodeId EXPIRED_GRANT = NodeId.parse("prov-11/dept-tax");
  static final NodeId REVOKED_GRANT = NodeId.parse("prov-11/dept-psb");
  static final NodeId NO_GRANT = NodeId.parse("prov-11/dept-hrss");
  static final NodeId QUOTA = NodeId.parse("prov-44/dept-ca");
  static final String PURPOSE = "SOCIAL_ASSISTANCE_ELIGIBILITY";
  static final int QUOTA_SUBJECTS = 3;
  static final int CALL_ATTEMPTS = 10_200;
  static final int HANDSHAKE_ATTEMPTS_EACH = 15;

  @TempDir static Path work;
  static FederationSetup.Layout layout;
  static Transport transport;
  static final List<AutoCloseable> nodes = new ArrayList<>();
  static CatalogueEntry served;
  static CatalogueEntry deprecated;
  static CatalogueEntry notShared;
  static CatalogueEntry core;
  static List<String> subjects;

  @BeforeAll
  static void start() throws Exception {
    layout = Fixtures.beijingAndGuangdong(work, 60);
    transport = Transport.create(layout.revocations());
    String yaml = Files.readString(Path.of("../docs/examples/catalogue-entry.yaml"));
    served = CatalogueEntries.parse(yaml, "example");
    deprecated = CatalogueEntries.parse(variant(yaml, "000002"), "deprecated")
        .deprecated(LocalDate.now(ZoneId.of("Asia/Shanghai")).minusDays(1));
    notShared = CatalogueEntries.parse(variant(yaml, "000003")
        .replaceAll("(?s)sharing:.*?rowCap: \\d+\n", "sharing:\n  type: NOT_SHARED\n"), "not shared");
    core = CatalogueEntries.parse(variant(yaml, "000004").replace("level: L4", "level: CORE"), "core");
    List<CatalogueEntry> entries = List.of(served, deprecated, notShared, core);
    ResourceCatalog catalog = ResourceCatalog.of(entries.stream().map(CatalogueEntry::descriptor).toList());
    var data = layout.data().resource(served.resourceCode()).orElseThrow();
    subjects = data.sampleKeys();
    nodes.add(DepartmentNode.builder()
        .credentials(Fixtures.credentials(layout, PROVIDER))
        .transport(transport)
        .listen(layout.addresses().get(PROVIDER))
        .serve(new sluice.nodes.department.ServedResource(
            served.descriptor(), CsvRecords.load(served.descriptor(), data.csvFile()), PredicateLimits.DEFAULT))
        .start());

    // Grants as a careless hub might hold them: even grants on what may not be served.
    Instant now = Instant.now();
    List<Grant> grants = new ArrayList<>();
    for (CatalogueEntry e : entries) {
      grants.add(grant("G-" + e.resourceCode(), GRANTED, e.resourceCode(), now.minusSeconds(60), now.plus(Duration.ofDays(30)), 0));
    }
    grants.add(grant("G-EXPIRED", EXPIRED_GRANT, served.resourceCode(), now.minus(Duration.ofDays(30)), now.minusSeconds(1), 0));
    grants.add(grant("G-REVOKED", REVOKED_GRANT, served.resourceCode(), now.minusSeconds(60), now.plus(Duration.ofDays(30)), 0)
        .revoked(now.minusSeconds(30), "case closed"));
    grants.add(grant("G-QUOTA", QUOTA, served.resourceCode(), now.minusSeconds(60), now.plus(Duration.ofDays(30)), QUOTA_SUBJECTS));
    NodeCredentials national = Fixtures.credentials(layout, NodeId.NATIONAL);
    var signed = new SnapshotSigner(Sm2.signer(national.signingKey()), national.signingChain())
        .sign(new CatalogSnapshot(1, now, entries, grants));
    NodeAddresses addresses = NodeAddresses.single(layout.addresses());
    for (NodeId id : List.of(GD, BJ, NodeId.NATIONAL)) {
      Gateway.Builder b = Gateway.builder()
          .credentials(Fixtures.credentials(layout, id))
          .catalog(catalog)
          .addresses(addresses)
          .transport(transport)
          .listen(layout.addresses().get(id))
          .audit(layout.auditDir(id), AuditKeyFile.pseudonyms(layout.auditKey()));
      if (!id.isHub()) {
        SnapshotVerifier snapshots = new SnapshotVerifier(national.trustRoots(), Clock.systemUTC());
        snapshots.apply(signed);
        b.policy(new SnapshotAccessPolicy(snapshots, Clock.systemUTC(), ZoneId.of("Asia/Shanghai")));
      }
      nodes.add(b.start());
    }
  }

  @AfterAll
  static void stop() throws Exception {
    for (int i = nodes.size() - 1; i >= 0; i--) {
      nodes.get(i).close();
    }
    transport.close();
  }

  static String variant(String yaml, String serial) {
    return yaml.replace("resourceCode: 3-44-002-001-000001", "resourceCode: 3-44-002-001-" + serial);
  }

  static Grant grant(String id, NodeId consumer, String resource, Instant from, Instant until, long quota) {
    return new Grant(id, consumer, resource, Set.of("id_number", "enrolled"), Set.of(PURPOSE), from, until, quota, null, null);
  }

  /** The kinds of attempt that become calls, each with the status it must be refused with. */
  enum Kind {
    NO_GRANT(Status.Code.PERMISSION_DENIED),
    EXPIRED_GRANT(Status.Code.PERMISSION_DENIED),
    REVOKED_GRANT(Status.Code.PERMISSION_DENIED),
    FIELD_OUTSIDE_GRANT(Status.Code.PERMISSION_DENIED),
    PURPOSE_OUTSIDE_GRANT(Status.Code.PERMISSION_DENIED),
    UNREGISTERED_RESOURCE(Status.Code.NOT_FOUND),
    DEPRECATED_RESOURCE(Status.Code.FAILED_PRECONDITION),
    NOT_SHARED_RESOURCE(Status.Code.PERMISSION_DENIED),
    CORE_RESOURCE(Status.Code.PERMISSION_DENIED),
    OVER_QUOTA(Status.Code.RESOURCE_EXHAUSTED),
    OVERSIZED_FIELD(Status.Code.INVALID_ARGUMENT),
    DEEP_PREDICATE(Status.Code.INVALID_ARGUMENT),
    SPOOFED_CONSUMER_HEADER(Status.Code.PERMISSION_DENIED),
    CERTIFICATE_REPLAYED_AT_ANOTHER_PROVINCE(Status.Code.PERMISSION_DENIED),
    CERTIFICATE_REPLAYED_AT_THE_HUB(Status.Code.PERMISSION_DENIED);

    final Status.Code expected;

    Kind(Status.Code expected) {
      this.expected = expected;
    }
  }

  /** One attempt: who calls which gateway with what, and which gateway must audit it. */
  record Attempt(Kind kind, NodeId caller, NodeId gateway, VerifyRequest request, Metadata headers) {}

  @Test
  void tenThousandHostileAttemptsAreRefusedWithTheirStatusAndAudited() throws Exception {
    Random random = new Random(20261207L);
    List<Attempt> attempts = new ArrayList<>();
    Kind[] kinds = Kind.values();
    for (int i = 0; i < CALL_ATTEMPTS; i++) {
      attempts.add(attempt(kinds[i % kinds.length], i, random));
    }
    // The quota consumer first spends its allowance on legitimate calls.
    try (NodeChannels asQuota = channelsAs(QUOTA)) {
      VerifyServiceGrpc.VerifyServiceBlockingStub stub = VerifyServiceGrpc.newBlockingStub(asQuota.to(GD));
      for (int i = 0; i < QUOTA_SUBJECTS; i++) {
        stub.withDeadlineAfter(20, TimeUnit.SECONDS).verify(question("legit-quota-" + i, served.resourceCode(),
            subjects.get(i), PURPOSE, cmp("enrolled", Operator.EXISTS)));
      }
    }

    Map<NodeId, NodeChannels> callers = new TreeMap<>();
    Map<Kind, Map<Status.Code, AtomicInteger>> outcomes = new EnumMap<>(Kind.class);
    for (Kind k : kinds) {
      outcomes.put(k, new ConcurrentHashMap<>());
    }
    List<String> wrong = java.util.Collections.synchronizedList(new ArrayList<>());
    // Requests too deeply nested for protobuf to read: refused before any request id is known.
    Set<String> unreadable = ConcurrentHashMap.newKeySet();
    AtomicInteger legitimateAnswered = new AtomicInteger();
    try {
      for (Attempt a : attempts) {
        if (!callers.containsKey(a.caller())) {
          callers.put(a.caller(), channelsAs(a.caller()));
        }
      }
      Semaphore inFlight = new Semaphore(32);
      CountDownLatch done = new CountDownLatch(attempts.size());
      VerifyServiceGrpc.VerifyServiceBlockingStub legitimate = VerifyServiceGrpc.newBlockingStub(callers.get(GRANTED).to(BJ));
      for (int i = 0; i < attempts.size(); i++) {
        Attempt a = attempts.get(i);
        if (i % 1000 == 0) {
          // Between the attacks, the granted consumer's own questions are still answered.
          VerifyResponse r = legitimate.withDeadlineAfter(20, TimeUnit.SECONDS).verify(
              question("legit-" + i, served.resourceCode(), subjects.get(i % subjects.size()), PURPOSE,
                  cmp("enrolled", Operator.EXISTS)));
          assertEquals(PROVIDER.toString(), sluice.v1.ReceiptBody.parseFrom(r.getReceipt().getBody()).getNodeId());
          legitimateAnswered.incrementAndGet();
        }
        inFlight.acquire();
        VerifyServiceGrpc.VerifyServiceStub stub = VerifyServiceGrpc.newStub(callers.get(a.caller()).to(a.gateway()))
            .withDeadlineAfter(30, TimeUnit.SECONDS);
        if (a.headers() != null) {
          stub = stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(a.headers()));
        }
        stub.verify(a.request(), new StreamObserver<>() {
          @Override
          public void onNext(VerifyResponse value) {}

          @Override
          public void onError(Throwable t) {
            Status s = Status.fromThrowable(t);
            outcomes.get(a.kind()).computeIfAbsent(s.getCode(), c -> new AtomicInteger()).incrementAndGet();
            if (String.valueOf(s.getDescription()).startsWith("the request is not a readable message")) {
              unreadable.add(a.request().getContext().getRequestId());
            }
            if (s.getCode() != a.kind().expected) {
              wrong.add(a.kind() + " " + a.request().getContext().getRequestId() + ": " + s);
            } else if (s.getDescription() == null || s.getDescription().isBlank()) {
              wrong.add(a.kind() + " " + a.request().getContext().getRequestId() + ": no reason given");
            }
            end();
          }

          @Override
          public void onCompleted() {
            outcomes.get(a.kind()).computeIfAbsent(Status.Code.OK, c -> new AtomicInteger()).incrementAndGet();
            wrong.add("BYPASS " + a.kind() + " " + a.request().getContext().getRequestId() + " was answered");
            end();
          }

          private void end() {
            inFlight.release();
            done.countDown();
          }
        });
      }
      assertTrue(done.await(5, TimeUnit.MINUTES), "every attempt ends");
    } finally {
      for (NodeChannels c : callers.values()) {
        c.close();
      }
    }
    int bypasses = outcomes.values().stream().mapToInt(m -> m.getOrDefault(Status.Code.OK, new AtomicInteger()).get()).sum();
    System.out.println("hostile calls: " + attempts.size() + " attempts, " + bypasses + " bypasses, " + unreadable.size()
        + " too deeply nested for protobuf to read; by kind: " + outcomes);
    assertEquals(0, bypasses, "no hostile call is answered: " + wrong.stream().limit(10).toList());
    assertEquals(List.of(), wrong.stream().limit(20).toList(), "every refusal has its kind's status and a reason");
    assertEquals(CALL_ATTEMPTS / 1000 + (CALL_ATTEMPTS % 1000 == 0 ? 0 : 1), legitimateAnswered.get());

    // Every attempt is in the audit log of the gateway it reached, refused, with its reason.
    Map<NodeId, Set<String>> expected = new TreeMap<>();
    for (Attempt a : attempts) {
      if (!unreadable.contains(a.request().getContext().getRequestId())) {
        expected.computeIfAbsent(a.gateway(), g -> new HashSet<>()).add(a.request().getContext().getRequestId());
      }
    }
    assertTrue(unreadable.size() > 0 && unreadable.size() < CALL_ATTEMPTS / kinds.length,
        "some deep predicates are refused because protobuf cannot read them: " + unreadable.size());
    List<AuditEntry> unreadableAudited = Fixtures.awaitValue(
        () -> denied(BJ).stream().filter(e -> e.getStatus().equals("INVALID_ARGUMENT") && e.getRequestId().isEmpty()
            && e.getReason().startsWith("the request is not a readable message") && e.getConsumerNodeId().equals(GRANTED.toString()))
            .toList(),
        l -> l.size() >= unreadable.size());
    assertEquals(unreadable.size(), unreadableAudited.size(), "each unreadable request is audited once");
    for (Map.Entry<NodeId, Set<String>> e : expected.entrySet()) {
      Set<String> missing = Fixtures.awaitValue(() -> {
        Set<String> left = new HashSet<>(e.getValue());
        for (AuditEntry entry : denied(e.getKey())) {
          if (!entry.getReason().isBlank()) {
            left.remove(entry.getRequestId());
          }
        }
        return left;
      }, Set::isEmpty);
      assertEquals(Set.of(), missing, e.getKey() + " audited every attempt it refused");
    }
    // An oversized request is recorded, but not whole: the log keeps at most a few hundred characters of any text.
    for (AuditEntry entry : denied(BJ)) {
      assertTrue(entry.getSerializedSize() < 4_096, "a bounded entry: " + entry.getSerializedSize() + " bytes");
    }
  }

  @Test
  void certificatesFromAnotherCaExpiredOrRevokedAreRefusedInTheHandshakeAndAudited() throws Exception {
    SecureRandom random = new SecureRandom();
    NodeCredentials real = Fixtures.credentials(layout, GRANTED);
    // A federation of its own, whose certificate names the granted consumer.
    FederationPki foreign = FederationPki.init(work.resolve("foreign-pki"), List.of(GRANTED), Instant.now(),
        Duration.ofDays(30), random);
    NodeCredentials impostor = withRoots(foreign.load(GRANTED), real);
    // Certificates of the federation's own CA: one that expires at once, one revoked.
    FederationPki pki = FederationPki.open(layout.pkiDir());
    NodeCredentials expired = withRoots(pki.issue(NodeId.parse("prov-11/dept-expired"), Instant.now(), Duration.ofSeconds(1), random), real);
    NodeCredentials revoked = withRoots(pki.issue(NodeId.parse("prov-11/dept-revoked"), Instant.now(), Duration.ofDays(1), random), real);
    pki.revoke(NodeId.parse("prov-11/dept-revoked"), Instant.now());
    Thread.sleep(1_500); // the expired one has expired; the revocation list has been read again

    Map<String, NodeCredentials> kinds = Map.of("another CA", impostor, "expired", expired, "revoked", revoked);
    Map<String, String> refusedWith = new TreeMap<>();
    for (Map.Entry<String, NodeCredentials> k : kinds.entrySet()) {
      for (int i = 0; i < HANDSHAKE_ATTEMPTS_EACH; i++) {
        ManagedChannel ch = transport.channelBuilder(layout.addresses().get(BJ), TlsContexts.client(k.getValue(), BJ)).build();
        VerifyRequest q = question("handshake-" + i, served.resourceCode(), subjects.get(0), PURPOSE, cmp("enrolled", Operator.EXISTS));
        try {
          Status s = Status.fromThrowable(org.junit.jupiter.api.Assertions.assertThrows(io.grpc.StatusRuntimeException.class,
              () -> VerifyServiceGrpc.newBlockingStub(ch).withDeadlineAfter(20, TimeUnit.SECONDS).verify(q)));
          assertEquals(Status.Code.UNAVAILABLE, s.getCode(), k.getKey() + ": " + s);
          refusedWith.put(k.getKey(), String.valueOf(s.getDescription()));
        } finally {
          Fixtures.shutdown(ch);
        }
      }
    }
    // No certificate at all: the gateway lets the handshake finish, refuses the call
    // UNAUTHENTICATED, and audits it.
    for (int i = 0; i < HANDSHAKE_ATTEMPTS_EACH; i++) {
      io.netty.handler.ssl.SslContext anonymous = io.grpc.netty.GrpcSslContexts.configure(
              io.netty.handler.ssl.SslContextBuilder.forClient()
                  .trustManager(sluice.crypto.pki.PeerTrustManager.expecting(real.trustRoots(), BJ)),
              io.netty.handler.ssl.SslProvider.JDK)
          .build();
      ManagedChannel ch = transport.channelBuilder(layout.addresses().get(BJ), anonymous).build();
      VerifyRequest q = question("anonymous-" + i, served.resourceCode(), subjects.get(0), PURPOSE, cmp("enrolled", Operator.EXISTS));
      try {
        Status s = Status.fromThrowable(org.junit.jupiter.api.Assertions.assertThrows(io.grpc.StatusRuntimeException.class,
            () -> VerifyServiceGrpc.newBlockingStub(ch).withDeadlineAfter(20, TimeUnit.SECONDS).verify(q)));
        assertEquals(Status.Code.UNAUTHENTICATED, s.getCode(), "no certificate: " + s);
        refusedWith.put("no certificate", String.valueOf(s.getDescription()));
      } finally {
        Fixtures.shutdown(ch);
      }
    }
    System.out.println("handshakes refused: " + refusedWith);
    // Each refused certificate is audited at the gateway, named, with the reason.
    Map<String, String> mark = Map.of("another CA", "PKIX", "expired", "expired", "revoked", "was revoked");
    List<AuditEntry> handshakes = Fixtures.awaitValue(
        () -> denied(BJ).stream().filter(e -> e.getOperation().equals("Handshake")).toList(),
        l -> mark.values().stream().allMatch(m -> l.stream().filter(e -> e.getReason().contains(m)).count()
            >= HANDSHAKE_ATTEMPTS_EACH));
    for (AuditEntry e : handshakes) {
      assertEquals("UNAUTHENTICATED", e.getStatus());
      assertTrue(e.getReason().startsWith("TLS handshake refused: certificate CN=prov-11/dept-"), e.getReason());
    }
    List<AuditEntry> anonymous = Fixtures.awaitValue(
        () -> denied(BJ).stream().filter(e -> e.getConsumerNodeId().startsWith("unauthenticated peer at")).toList(),
        l -> l.size() >= HANDSHAKE_ATTEMPTS_EACH);
    for (AuditEntry e : anonymous) {
      assertEquals("UNAUTHENTICATED", e.getStatus());
      assertEquals("Verify", e.getOperation(), e.toString());
      assertTrue(!e.getReason().isEmpty(), e.toString());
    }
  }

  static NodeCredentials withRoots(NodeCredentials c, NodeCredentials roots) {
    return new NodeCredentials(c.id(), c.tlsKey(), c.tlsChain(), c.signingKey(), c.signingChain(), roots.trustRoots());
  }

  static NodeChannels channelsAs(NodeId node) throws java.io.IOException {
    return new NodeChannels(Fixtures.credentials(layout, node), NodeAddresses.single(layout.addresses()), transport);
  }

  /** The DENY entries {@code gateway} logged, as the hub (an auditor) reads them. */
  static List<AuditEntry> denied(NodeId gateway) {
    try (NodeChannels asHub = channelsAs(NodeId.NATIONAL)) {
      return Fixtures.denied(asHub.to(gateway));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static VerifyRequest question(String requestId, String resource, String subject, String purpose, Predicate p) {
    return VerifyRequest.newBuilder()
        .setContext(RequestContext.newBuilder().setPurposeCode(purpose).setCaseReference("HOSTILE-" + requestId)
            .setRequestId(requestId))
        .setResourceCode(resource)
        .setSubjectKey(subject)
        .setPredicate(p)
        .build();
  }

  /** The {@code i}th attempt of {@code kind}, its particulars drawn from {@code random}. */
  static Attempt attempt(Kind kind, int i, Random random) {
    String id = "h-" + kind.name().toLowerCase().replace('_', '-') + "-" + i;
    String subject = subjects.get(random.nextInt(subjects.size()));
    Predicate granted = random.nextBoolean() ? cmp("enrolled", Operator.EXISTS)
        : cmp("id_number", Operator.EQ, Fixtures.str(subject));
    String resource = served.resourceCode();
    return switch (kind) {
      case NO_GRANT -> new Attempt(kind, NO_GRANT, BJ, question(id, resource, subject, PURPOSE, granted), null);
      case EXPIRED_GRANT -> new Attempt(kind, EXPIRED_GRANT, BJ, question(id, resource, subject, PURPOSE, granted), null);
      case REVOKED_GRANT -> new Attempt(kind, REVOKED_GRANT, BJ, question(id, resource, subject, PURPOSE, granted), null);
      case FIELD_OUTSIDE_GRANT -> {
        Predicate outside = random.nextBoolean() ? cmp("name", Operator.EXISTS)
            : Fixtures.all(granted, cmp("monthly_contribution_base", Operator.GT, Fixtures.integer(random.nextInt(20_000))));
        yield new Attempt(kind, GRANTED, BJ, question(id, resource, subject, PURPOSE, outside), null);
      }
      case PURPOSE_OUTSIDE_GRANT -> new Attempt(kind, GRANTED, BJ,
          question(id, resource, subject, List.of("TAX_ADMINISTRATION", "MARKETING", "LAW_ENFORCEMENT").get(random.nextInt(3)),
              granted), null);
      case UNREGISTERED_RESOURCE -> new Attempt(kind, GRANTED, BJ,
          question(id, String.format("3-44-002-001-%06d", 100_000 + random.nextInt(900_000)), subject, PURPOSE, granted), null);
      case DEPRECATED_RESOURCE -> new Attempt(kind, GRANTED, BJ, question(id, deprecated.resourceCode(), subject, PURPOSE, granted), null);
      case NOT_SHARED_RESOURCE -> new Attempt(kind, GRANTED, BJ, question(id, notShared.resourceCode(), subject, PURPOSE, granted), null);
      case CORE_RESOURCE -> new Attempt(kind, GRANTED, BJ, question(id, core.resourceCode(), subject, PURPOSE, granted), null);
      case OVER_QUOTA -> new Attempt(kind, QUOTA, GD,
          question(id, resource, subjects.get(QUOTA_SUBJECTS + random.nextInt(subjects.size() - QUOTA_SUBJECTS)), PURPOSE, granted),
          null);
      case OVERSIZED_FIELD -> {
        VerifyRequest r = switch (random.nextInt(4)) {
          case 0 -> question(id, resource, "1".repeat(257 + random.nextInt(100_000)), PURPOSE, granted);
          case 1 -> question(id, resource, subject, PURPOSE, cmp("id_number", Operator.EQ, Fixtures.str("x".repeat(1025 + random.nextInt(100_000)))));
          case 2 -> {
            sluice.v1.Value[] many = new sluice.v1.Value[1001 + random.nextInt(2000)];
            for (int v = 0; v < many.length; v++) {
              many[v] = Fixtures.str(Integer.toString(v));
            }
            yield question(id, resource, subject, PURPOSE, cmp("id_number", Operator.IN, many));
          }
          default -> question(id, resource, subject, PURPOSE, granted).toBuilder()
              .setContext(RequestContext.newBuilder().setPurposeCode(PURPOSE).setRequestId(id)
                  .setCaseReference("c".repeat(257 + random.nextInt(10_000))))
              .build();
        };
        yield new Attempt(kind, GRANTED, BJ, r, null);
      }
      case DEEP_PREDICATE -> {
        Predicate p = granted;
        int depth = PredicateLimits.DEFAULT.maxDepth() + 1 + random.nextInt(80);
        for (int d = 1; d < depth; d++) {
          p = random.nextBoolean() ? Predicate.newBuilder().setNot(p).build() : Fixtures.all(p);
        }
        yield new Attempt(kind, GRANTED, BJ, question(id, resource, subject, PURPOSE, p), null);
      }
      case SPOOFED_CONSUMER_HEADER -> {
        Metadata h = new Metadata();
        h.put(SluiceHeaders.CONSUMER, GRANTED.toString());
        yield new Attempt(kind, NO_GRANT, BJ, question(id, resource, subject, PURPOSE, granted), h);
      }
      case CERTIFICATE_REPLAYED_AT_ANOTHER_PROVINCE ->
          new Attempt(kind, GRANTED, GD, question(id, resource, subject, PURPOSE, granted), null);
      case CERTIFICATE_REPLAYED_AT_THE_HUB ->
          new Attempt(kind, GRANTED, NodeId.NATIONAL, question(id, resource, subject, PURPOSE, granted), null);
    };
  }
}
