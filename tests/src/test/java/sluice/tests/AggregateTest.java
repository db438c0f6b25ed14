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
