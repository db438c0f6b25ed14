package sluice.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sluice.tests.Fixtures.cmp;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.crypto.NodeId;
import sluice.crypto.Province;
import sluice.crypto.Sm2;
import sluice.crypto.agg.ShareKeyPair;
import sluice.crypto.pki.NodeCredentials;
import sluice.crypto.pki.SigningChains;
import sluice.gateway.NodeServer;
import sluice.gateway.Transport;
import sluice.gateway.client.ConsumerClient;
import sluice.nodes.run.FederationSetup;
import sluice.nodes.run.LocalFederation;
import sluice.v1.AggregateRequest;
import sluice.v1.AggregateResponse;
import sluice.v1.AggregateServiceGrpc;
import sluice.v1.ContributeRequest;
import sluice.v1.ContributeResponse;
import sluice.v1.JoinRequest;
import sluice.v1.JoinResponse;
import sluice.v1.Operator;
import sluice.v1.Predicate;
import sluice.v1.ShareKeyBody;
import sluice.v1.SignedShareKey;

/**
 * Secure aggregation over social insurance in Beijing, Shanghai, Guangdong and Chongqing: the
 * total equals the plain total over the provinces that took part; a province refused (no grant),
 * unreachable, or dropping out between the two rounds is left out by a clean retry, never a wrong
 * total; small totals are suppressed; fewer than three provinces are refused.
 */
class AggregateTest {
  static final NodeId CONSUMER = NodeId.parse("prov-11/dept-ca");
  static final List<Province> GRANTED = List.of(Province.BEIJING, Province.SHANGHAI, Province.GUANGDONG);
  static final String PURPOSE = "SOCIAL_ASSISTANCE_ELIGIBILITY";

  @TempDir static Path work;
  static FederationSetup.Layout layout;
  static Transport transport;
  static LocalFederation federation;
  static ConsumerClient client;

  static String hrss(Province p) {
    return "3-" + p.codeString() + "-002-001-000001";
  }

  @BeforeAll
  static void start() throws Exception {
    List<FederationSetup.DemoGrant> grants = new ArrayList<>();
    for (Province p : List.of(Province.BEIJING, Province.SHANGHAI, Province.GUANGDONG, Province.SICHUAN)) {
      grants.add(new FederationSetup.DemoGrant(CONSUMER, hrss(p), List.of("enrolled", "monthly_contribution_base"), PURPOSE));
    }
    layout = FederationSetup.create(work, FederationSetup.Options.defaults()
        .withDataProvinces(Set.of(Province.BEIJING, Province.SHANGHAI, Province.GUANGDONG, Province.CHONGQING,
            Province.SICHUAN))
        .withPersonsPerProvince(80)
        .withCatalogue(grants));
    transport = Transport.create();
    Set<Province> running = Set.of(Province.BEIJING, Province.SHANGHAI, Province.GUANGDONG, Province.CHONGQING,
        Province.SICHUAN);
    // Sichuan's social insurance department is not started here: each test decides what stands in for it.
    federation = LocalFederation.start(layout, transport,
        n -> n.isHub() || n.provinceOf().map(running::contains).orElse(false) && !n.equals(sichuan()));
    federation.awaitReady(java.time.Duration.ofSeconds(60));
    client = federation.consumer(CONSUMER, java.time.Duration.ofSeconds(20));
  }

  static NodeId sichuan() {
    return NodeId.parse("prov-51/dept-hrss");
  }

  @AfterAll
  static void stop() {
    client.close();
    federation.close();
    transport.close();
  }

  static Predicate enrolled() {
    return cmp("enrolled", Operator.EQ, Fixtures.bool(true));
  }

  /** The count and sum the plain data give, over {@code provinces}. */
  static long[] plain(List<Province> provinces, long minBase) throws java.io.IOException {
    long[] t = new long[2];
    for (Province p : provinces) {
      for (Map<String, String> row : Fixtures.rows(layout, hrss(p)).values()) {
        String text = row.get("monthly_contribution_base");
        Long base = text.isEmpty() ? null : Long.valueOf(text);
        if (row.get("enrolled").equals("true") && (minBase == Long.MIN_VALUE || base != null && base >= minBase)) {
          t[0]++;
          t[1] += base == null ? 0 : base;
        }
      }
    }
    return t;
  }

  static AggregateRequest request(Predicate p, String sum, List<Province> provinces, String caseRef) {
    AggregateRequest.Builder b = AggregateRequest.newBuilder()
        .setContext(sluice.v1.RequestContext.newBuilder().setPurposeCode(PURPOSE).setCaseReference(caseRef))
        .setPredicate(p).setSumField(sum);
    provinces.forEach(pr -> b.addResourceCodes(hrss(pr)));
    return b.build();
  }

  static AggregateResponse ask(AggregateRequest r) {
    return client.aggregate(r);
  }

  /** The entries {@code gateway} logged for request {@code requestId}, as the hub (an auditor) reads them. */
  static List<sluice.v1.AuditEntry> entries(NodeId gateway, String requestId, int atLeast) throws Exception {
    try (sluice.gateway.NodeChannels asHub = federation.channelsAs(NodeId.NATIONAL)) {
      return Fixtures.awaitValue(() -> {
        List<sluice.v1.AuditEntry> out = new ArrayList<>();
        sluice.v1.AuditServiceGrpc.newBlockingStub(asHub.to(gateway))
            .queryEntries(sluice.v1.AuditQuery.newBuilder().setRequestId(requestId).build())
            .forEachRemaining(page -> page.getRecordsList().forEach(r -> out.add(r.getDecoded())));
        return out;
      }, out -> out.size() >= atLeast);
    }
  }

  @Test
  void theTotalOverThreeProvincesIsThePlainTotal() throws Exception {
    AggregateResponse a = ask(request(enrolled(), "monthly_contribution_base", GRANTED, "AGG-1"));
    long[] expected = plain(GRANTED, Long.MIN_VALUE);
    assertTrue(expected[0] >= 10, "the data give a total worth releasing: " + expected[0]);
    assertFalse(a.getSuppressed());
    assertEquals(expected[0], a.getCount());
    assertEquals(expected[1], a.getSum());
    assertEquals(3, a.getParticipantsCount());
    assertEquals(1, a.getAttempts());
    assertEquals(List.of(), a.getDroppedList());

    sluice.v1.AuditEntry hub = entries(NodeId.NATIONAL, a.getRequestId(), 1).get(0);
    assertEquals("Aggregate", hub.getOperation());
    assertEquals(CONSUMER.toString(), hub.getConsumerNodeId());
    assertEquals(3, hub.getAggregate().getParticipantsCount());
    assertEquals(3, hub.getAggregate().getResourceCodesCount());
    assertFalse(hub.getAggregate().getSuppressed());
    for (Province p : GRANTED) {
      List<sluice.v1.AuditEntry> at = entries(p.gatewayId(), a.getRequestId(), 2);
      List<String> ops = at.stream().map(e -> e.getOperation() + " " + e.getDecision()).toList();
      assertTrue(ops.contains("AggregateJoin PERMIT") && ops.contains("AggregateContribute PERMIT"), p + ": " + ops);
      assertTrue(at.stream().filter(e -> e.getOperation().equals("AggregateJoin")).allMatch(e -> !e.getGrantId().isEmpty()));
    }
  }

  @Test
  void aProvinceWithoutAGrantIsLeftOutByARetryNotCountedWrong() throws Exception {
    List<Province> four = new ArrayList<>(GRANTED);
    four.add(Province.CHONGQING);
    AggregateResponse a = ask(request(enrolled(), "", four, "AGG-2"));
    assertEquals(plain(GRANTED, Long.MIN_VALUE)[0], a.getCount());
    assertEquals(1, a.getDroppedCount(), a.toString());
    assertTrue(a.getDropped(0).startsWith("prov-50/dept-hrss (join: PERMISSION_DENIED"), a.getDropped(0));
    assertEquals(2, a.getAttempts());
    assertEquals(0, a.getSum(), "no sum was asked");
  }

  @Test
  void aProvinceThatDropsOutBetweenTheRoundsLeadsToACleanRetry() throws Exception {
    // Sichuan's department joins properly (a real signed key) and then fails to contribute.
    NodeCredentials creds = NodeCredentials.load(layout.credentials(sichuan()));
    io.grpc.Server impostor = NodeServer.start(transport, layout.addresses().get(sichuan()), creds,
        List.of(new DropsOut(creds)), List.of(), new io.grpc.protobuf.services.HealthStatusManager());
    try {
      List<Province> four = new ArrayList<>(GRANTED);
      four.add(Province.SICHUAN);
      AggregateResponse a = ask(request(enrolled(), "monthly_contribution_base", four, "AGG-3"));
      long[] expected = plain(GRANTED, Long.MIN_VALUE);
      assertEquals(expected[0], a.getCount());
      assertEquals(expected[1], a.getSum());
      assertTrue(a.getDropped(0).startsWith("prov-51/dept-hrss (contribute: UNAVAILABLE"), a.getDropped(0));
      assertEquals(2, a.getAttempts());
      assertEquals(3, a.getParticipantsCount());
    } finally {
      NodeServer.stop(impostor);
    }
  }

  /** A department that joins like the real one and then goes away before contributing. */
  static final class DropsOut extends AggregateServiceGrpc.AggregateServiceImplBase {
    private final NodeCredentials creds;

    DropsOut(NodeCredentials creds) {
      this.creds = creds;
    }

    @Override
    public void join(JoinRequest request, StreamObserver<JoinResponse> responses) {
      byte[] body = ShareKeyBody.newBuilder().setSessionId(request.getSessionId()).setNodeId(sichuan().toString())
          .setResourceCode(request.getResourceCode())
          .setPublicKey(ByteString.copyFrom(new ShareKeyPair(new SecureRandom()).publicKey())).build().toByteArray();
      SignedShareKey.Builder k = SignedShareKey.newBuilder().setBody(ByteString.copyFrom(body))
          .setSignature(ByteString.copyFrom(Sm2.signer(creds.signingKey()).sign(body)));
      SigningChains.encode(creds.signingChain()).forEach(d -> k.addSignerChain(ByteString.copyFrom(d)));
      responses.onNext(JoinResponse.newBuilder().setKey(k).build());
      responses.onCompleted();
    }

    @Override
    public void contribute(ContributeRequest request, StreamObserver<ContributeResponse> responses) {
      responses.onError(Status.UNAVAILABLE.withDescription("gone").asRuntimeException());
    }
  }

  /**
   * The canary check for secure aggregation (issue 8): Sichuan's social insurance department runs
   * here on records seeded with canary contribution bases (98765xx) and names, and every message
   * it sends or receives is captured. What it sends holds neither a record's value, name or
   * citizen ID nor its own count or sum, in any encoding (its masked figures differ from both);
   * what it receives holds no other province's sum; and the total the consumer gets is the plain
   * total over the four provinces, canaries included.
   */
  @Test
  void noRecordAndNoProvincesOwnFigureLeavesADepartmentInAnAggregate() throws Exception {
    var sc = layout.data().resource(hrss(Province.SICHUAN)).orElseThrow();
    List<String> lines = java.nio.file.Files.readAllLines(sc.csvFile(), java.nio.charset.StandardCharsets.UTF_8);
    List<String> header = List.of(lines.get(0).split(","));
    List<String> seeded = new ArrayList<>(List.of(lines.get(0)));
    List<Long> canaries = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    long ownCount = 0;
    long ownSum = 0;
    for (int i = 1; i < lines.size(); i++) {
      String[] cells = lines.get(i).split(",", -1);
      long base = 9_876_500 + i;
      cells[header.indexOf("monthly_contribution_base")] = Long.toString(base);
      int name = header.indexOf("name");
      cells[name] = cells[name].substring(0, 1) + "雀" + "甲乙丙丁戊己庚辛壬癸".charAt(i % 10) + "子丑寅卯辰巳午未申酉".charAt(i / 10 % 10);
      canaries.add(base);
      names.add(cells[name]);
      ids.add(cells[header.indexOf("id_number")]);
      if (cells[header.indexOf("enrolled")].equals("true")) {
        ownCount++;
        ownSum += base;
      }
      seeded.add(String.join(",", cells));
    }
    Path csv = work.resolve("sichuan-canaries.csv");
    java.nio.file.Files.write(csv, seeded, java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(ownCount >= 10, "Sichuan has records that count: " + ownCount);

    sluice.bench.MessageTap tap = new sluice.bench.MessageTap();
    try (sluice.nodes.department.DepartmentNode department = sluice.nodes.department.DepartmentNode.builder()
        .credentials(NodeCredentials.load(layout.credentials(sichuan())))
        .transport(transport)
        .listen(layout.addresses().get(sichuan()))
        .serve(new sluice.nodes.department.ServedResource(sc.descriptor(),
            sluice.nodes.department.CsvRecords.load(sc.descriptor(), csv), sluice.catalog.predicate.PredicateLimits.DEFAULT))
        .maskKeys(sluice.nodes.department.MaskKeyFile.load(layout.credentials(sichuan()), sichuan()).orElseThrow())
        .intercept(tap)
        .start()) {
      List<Province> four = new ArrayList<>(GRANTED);
      four.add(Province.SICHUAN);
      AggregateResponse a = ask(request(enrolled(), "monthly_contribution_base", four, "AGG-CANARY"));
      long[] others = plain(GRANTED, Long.MIN_VALUE);
      assertEquals(List.of(), a.getDroppedList());
      assertEquals(others[0] + ownCount, a.getCount(), "the total counts Sichuan's canary records");
      assertEquals(others[1] + ownSum, a.getSum());

      List<sluice.bench.MessageTap.Message> seen = tap.seen();
      List<sluice.bench.MessageTap.Message> sent = seen.stream().filter(m -> !m.in()).toList();
      List<String> methods = sent.stream().map(sluice.bench.MessageTap.Message::method).toList();
      assertTrue(methods.contains("sluice.v1.AggregateService/Join") && methods.contains("sluice.v1.AggregateService/Contribute"),
          methods.toString());
      for (sluice.bench.MessageTap.Message m : sent) {
        byte[] bytes = ((com.google.protobuf.MessageLite) m.message()).toByteArray();
        String text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8) + "\n" + m.message();
        if (m.message() instanceof ContributeResponse c) {
          assertTrue(c.getMaskedCount() != ownCount && c.getMaskedSum() != ownSum, "masked figures are not the figures");
        }
        // The count is small: only its fixed64 form is distinctive enough to look for.
        assertFalse(PrivacyTest.contains(bytes, fixed64(ownCount)), m.method() + " sent the department's own count " + ownCount);
        assertFalse(PrivacyTest.contains(bytes, fixed64(ownSum)) || PrivacyTest.contains(bytes, varint(ownSum)) || PrivacyTest.contains(bytes, varint(ownSum << 1))
            || text.contains(Long.toString(ownSum)), m.method() + " sent the department's own sum " + ownSum);
        for (long v : canaries) {
          assertFalse(PrivacyTest.contains(bytes, varint(v)) || PrivacyTest.contains(bytes, fixed64(v)) || text.contains(Long.toString(v)),
              m.method() + " sent the canary contribution base " + v);
        }
        for (int i = 0; i < names.size(); i++) {
          assertFalse(text.contains(names.get(i).substring(1)), m.method() + " sent (part of) the canary name " + names.get(i));
          assertFalse(text.contains(ids.get(i)), m.method() + " sent the citizen ID " + ids.get(i));
        }
      }
      // Nor does any other province's figure reach it: it sees keys, never another's total.
      for (Province p : GRANTED) {
        long sum = plain(List.of(p), Long.MIN_VALUE)[1];
        for (sluice.bench.MessageTap.Message m : seen.stream().filter(sluice.bench.MessageTap.Message::in).toList()) {
          byte[] bytes = ((com.google.protobuf.MessageLite) m.message()).toByteArray();
          assertFalse(PrivacyTest.contains(bytes, fixed64(sum)) || PrivacyTest.contains(bytes, varint(sum)) || PrivacyTest.contains(bytes, varint(sum << 1)),
              m.method() + " brought Sichuan " + p + "'s sum " + sum);
        }
      }
      System.out.println("aggregation canaries: " + sent.size() + " messages Sichuan sent, " + (seen.size() - sent.size())
          + " received; none holds a canary, a citizen ID, its own figures or another province's sum");
    }
  }

  static byte[] fixed64(long v) {
    return java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(v).array();
  }

  static byte[] varint(long v) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
    return out.toByteArray();
  }

  @Test
  void aSmallTotalIsSuppressed() throws Exception {
    long[] few = plain(GRANTED, 0);
    long threshold;
    // The highest contribution base such that fewer than 10 enrolled records reach it.
    List<Long> bases = new ArrayList<>();
    for (Province p : GRANTED) {
      Fixtures.rows(layout, hrss(p)).values().stream().filter(r -> r.get("enrolled").equals("true"))
          .filter(r -> !r.get("monthly_contribution_base").isEmpty())
          .forEach(r -> bases.add(Long.parseLong(r.get("monthly_contribution_base"))));
    }
    bases.sort(null);
    threshold = bases.get(bases.size() - 3);
    assertTrue(few[0] > 10 && plain(GRANTED, threshold)[0] < 10);
    Predicate rich = Fixtures.all(enrolled(), cmp("monthly_contribution_base", Operator.GE, Fixtures.integer(threshold)));
    AggregateResponse a = ask(request(rich, "monthly_contribution_base", GRANTED, "AGG-4"));
    assertTrue(a.getSuppressed(), a.toString());
    assertEquals(0, a.getCount());
    assertEquals(0, a.getSum());
    assertEquals(10, a.getSuppressionThreshold());
  }

  @Test
  void theAggregateCommandPrintsTheTotalAndWhoWasLeftOut() throws Exception {
    StewardServiceTest.Cli cli = new StewardServiceTest.Cli();
    List<String> codes = new ArrayList<>();
    GRANTED.forEach(p -> codes.add(hrss(p)));
    codes.add(hrss(Province.CHONGQING));
    String[] args = {"aggregate", "--work", work.toString(), "--as", CONSUMER.toString(),
        "--resources", String.join(",", codes),
        "--predicate", "{\"comparison\":{\"field\":\"enrolled\",\"op\":\"EQ\",\"values\":[{\"boolValue\":true}]}}",
        "--sum", "monthly_contribution_base", "--purpose", PURPOSE, "--case", "CLI-AGG"};
    assertEquals(0, cli.run(args), cli.err());
    long[] expected = plain(GRANTED, Long.MIN_VALUE);
    assertTrue(cli.out().startsWith("count " + expected[0] + ", sum of monthly_contribution_base " + expected[1]), cli.out());
    assertTrue(cli.out().contains("left out (the total does not include them): prov-50/dept-hrss"), cli.out());
    args[6] = hrss(Province.BEIJING) + "," + hrss(Province.GUANGDONG);
    assertEquals(1, cli.run(args));
    assertTrue(cli.err().contains("refused: INVALID_ARGUMENT"), cli.err());
  }

  @Test
  void fewerThanThreeProvincesAreRefused() {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> client.aggregate(request(enrolled(), "", List.of(Province.BEIJING, Province.GUANGDONG), "AGG-5")));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("one per province, 3 to"), e.getMessage());
    StatusRuntimeException sum = assertThrows(StatusRuntimeException.class,
        () -> client.aggregate(request(enrolled(), "name", GRANTED, "AGG-6")));
    assertEquals(Status.Code.INVALID_ARGUMENT, sum.getStatus().getCode(), sum.getMessage());
    assertTrue(sum.getStatus().getDescription().contains("only INTEGER fields are summed"), sum.getMessage());
  }
}
