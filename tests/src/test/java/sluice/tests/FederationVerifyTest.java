package sluice.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sluice.tests.Fixtures.all;
import static sluice.tests.Fixtures.bool;
import static sluice.tests.Fixtures.cmp;
import static sluice.tests.Fixtures.integer;
import static sluice.tests.Fixtures.request;
import static sluice.tests.Fixtures.str;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.crypto.NodeId;
import sluice.crypto.Province;
import sluice.gateway.SluiceHeaders;
import sluice.gateway.Transport;
import sluice.gateway.client.BatchResult;
import sluice.gateway.client.ConsumerClient;
import sluice.gateway.receipt.InvalidReceiptException;
import sluice.gateway.receipt.ReceiptVerifier;
import sluice.nodes.run.FederationSetup;
import sluice.nodes.synth.DemoResources;
import sluice.nodes.run.LocalFederation;
import sluice.v1.Answer;
import sluice.v1.BatchHeader;
import sluice.v1.BatchItem;
import sluice.v1.BatchVerifyRequest;
import sluice.v1.BatchVerifyResponse;
import sluice.v1.FederationServiceGrpc;
import sluice.v1.LocateResourceRequest;
import sluice.v1.Operator;
import sluice.v1.Predicate;
import sluice.v1.Receipt;
import sluice.v1.ReceiptBody;
import sluice.v1.ResourceLocation;
import sluice.v1.VerifyRequest;
import sluice.v1.VerifyResponse;

/**
 * The whole 1+32+N federation in one JVM, every node its own gRPC server on loopback with mutual
 * TLS: answers within and across provinces, batches, refusals and receipts.
 */
class FederationVerifyTest {
  static final NodeId GD_CIVIL = NodeId.parse("prov-44/dept-ca");
  static final NodeId BJ_CIVIL = NodeId.parse("prov-11/dept-ca");
  static final String GD_HRSS = "3-44-002-001-000001";
  static final Predicate ACTIVE_ENROLLED =
      all(cmp("enrolled", Operator.EQ, bool(true)), cmp("status", Operator.EQ, str("ACTIVE")));

  @TempDir static Path work;
  static Transport transport;
  static LocalFederation federation;
  static FederationSetup.Layout layout;
  static Map<String, Map<String, String>> gdInsurance;
  static ConsumerClient gdClient;
  static ConsumerClient bjClient;

  @BeforeAll
  static void start() throws Exception {
    layout = FederationSetup.create(work, FederationSetup.Options.defaults().withPersonsPerProvince(320));
    transport = Transport.create();
    federation = LocalFederation.start(layout, transport, n -> true);
    gdInsurance = Fixtures.rows(layout, GD_HRSS);
    gdClient = federation.consumer(GD_CIVIL, Fixtures.DEADLINE);
    bjClient = federation.consumer(BJ_CIVIL, Fixtures.DEADLINE);
  }

  @AfterAll
  static void stop() {
    gdClient.close();
    bjClient.close();
    federation.close();
    transport.close();
  }

  static Answer expected(String id) {
    Map<String, String> row = gdInsurance.get(id);
    if (row == null) {
      return Answer.NO_RECORD;
    }
    return row.get("enrolled").equals("true") && row.get("status").equals("ACTIVE")
        ? Answer.TRUE
        : Answer.FALSE;
  }

  static String subjectWith(Answer answer) {
    for (String id : gdInsurance.keySet()) {
      if (expected(id) == answer) {
        return id;
      }
    }
    throw new AssertionError("test data has no subject answering " + answer);
  }

  static String absentSubject() throws Exception {
    for (String id : Fixtures.rows(layout, "3-11-001-001-000001").keySet()) {
      if (!gdInsurance.containsKey(id)) {
        return id;
      }
    }
    throw new AssertionError("every Beijing resident is insured in Guangdong");
  }

  @Test
  void federationHasEveryProvince() {
    assertTrue(federation.running().containsKey(NodeId.NATIONAL));
    for (Province p : Province.values()) {
      assertTrue(federation.running().containsKey(p.gatewayId()), p + " gateway running");
    }
    assertEquals(1 + 32 + 32 * 5, federation.running().size());
  }

  @Test
  void sameProvinceAnswersWithSignedReceipts() throws Exception {
    for (Answer want : List.of(Answer.TRUE, Answer.FALSE)) {
      String id = subjectWith(want);
      ConsumerClient.Verified v = gdClient.verify(request(GD_HRSS, id, ACTIVE_ENROLLED));
      assertEquals(want, v.response().getAnswer());
      assertEquals("prov-44/dept-hrss", v.receipt().getNodeId());
      assertEquals(GD_CIVIL.toString(), v.receipt().getConsumerNodeId());
      assertFalse(v.response().getRequestId().isEmpty());
    }
    ConsumerClient.Verified none = gdClient.verify(request(GD_HRSS, absentSubject(), ACTIVE_ENROLLED));
    assertEquals(Answer.NO_RECORD, none.response().getAnswer());
  }

  @Test
  void crossProvinceAnswersThroughTheHub() throws Exception {
    for (Answer want : List.of(Answer.TRUE, Answer.FALSE)) {
      String id = subjectWith(want);
      ConsumerClient.Verified v = bjClient.verify(request(GD_HRSS, id, ACTIVE_ENROLLED));
      assertEquals(want, v.response().getAnswer(), "answer for a " + want + " subject");
      assertEquals(BJ_CIVIL.toString(), v.receipt().getConsumerNodeId());
    }
    assertEquals(
        Answer.NO_RECORD,
        bjClient.verify(request(GD_HRSS, absentSubject(), ACTIVE_ENROLLED)).response().getAnswer());
  }

  @Test
  void everyProvinceReachesEveryNeighbour() throws Exception {
    Province[] all = Province.values();
    for (int i = 0; i < all.length; i++) {
      Province from = all[i];
      Province to = all[(i + 1) % all.length];
      String resource = DemoResources.code(to, "psb");
      String subject = layout.data().resource(resource).orElseThrow().sampleKeys().get(0);
      try (ConsumerClient c = federation.consumer(NodeId.department(from, "ca"), Fixtures.DEADLINE)) {
        ConsumerClient.Verified v = c.verify(request(resource, subject, cmp("id_number", Operator.EXISTS)));
        assertEquals(Answer.TRUE, v.response().getAnswer(), from + " asking " + resource);
        assertEquals("prov-" + to.codeString() + "/dept-psb", v.receipt().getNodeId());
      }
    }
  }

  @Test
  void batchVerifyOfTenThousandSubjectsAcrossProvinces() throws Exception {
    List<String> subjects = Fixtures.allPopulationIds(layout);
    assertTrue(subjects.size() >= 10_000, "at least 10k subjects, got " + subjects.size());
    subjects = subjects.subList(0, 10_000);
    BatchHeader header =
        BatchHeader.newBuilder().setContext(Fixtures.context()).setResourceCode(GD_HRSS).build();
    List<BatchItem> items = new ArrayList<>();
    for (int i = 0; i < subjects.size(); i++) {
      items.add(
          BatchItem.newBuilder().setSeq(i).setSubjectKey(subjects.get(i)).setPredicate(ACTIVE_ENROLLED).build());
    }
    BatchResult result = bjClient.batchVerify(header, items);
    assertEquals(10_000, result.responses().size());
    assertEquals(10_000, result.receiptsVerified());
    Map<Answer, Integer> counts = new HashMap<>();
    for (BatchVerifyResponse r : result.responses()) {
      Answer want = expected(subjects.get((int) r.getSeq()));
      assertEquals(want, r.getAnswer(), "item " + r.getSeq());
      counts.merge(want, 1, Integer::sum);
    }
    assertTrue(counts.getOrDefault(Answer.TRUE, 0) > 0, "some TRUE: " + counts);
    assertTrue(counts.getOrDefault(Answer.FALSE, 0) > 0, "some FALSE: " + counts);
    assertTrue(counts.getOrDefault(Answer.NO_RECORD, 0) > 0, "some NO_RECORD: " + counts);
  }

  @Test
  void batchItemErrorsDoNotEndTheStream() throws Exception {
    BatchHeader header =
        BatchHeader.newBuilder().setContext(Fixtures.context()).setResourceCode(GD_HRSS).build();
    String id = subjectWith(Answer.TRUE);
    BatchResult result =
        bjClient.batchVerify(
            header,
            List.of(
                BatchItem.newBuilder().setSeq(1).setSubjectKey(id).setPredicate(ACTIVE_ENROLLED).build(),
                BatchItem.newBuilder().setSeq(2).setSubjectKey(id).setPredicate(cmp("salary", Operator.EXISTS)).build(),
                BatchItem.newBuilder().setSeq(3).setSubjectKey(id).setPredicate(ACTIVE_ENROLLED).build()));
    assertEquals(3, result.responses().size());
    assertEquals(2, result.receiptsVerified());
    BatchVerifyResponse bad =
        result.responses().stream().filter(r -> r.getSeq() == 2).findFirst().orElseThrow();
    assertEquals(Status.Code.INVALID_ARGUMENT.value(), bad.getError().getCode());
    assertTrue(bad.getError().getMessage().contains("no field \"salary\""), bad.getError().getMessage());
  }

  @Test
  void malformedBatchStreamsAreRefused() throws Exception {
    BatchItem item = BatchItem.newBuilder().setSeq(1).setSubjectKey("x").setPredicate(ACTIVE_ENROLLED).build();
    assertEquals(
        Status.Code.INVALID_ARGUMENT,
        rawBatch(List.of(BatchVerifyRequest.newBuilder().setItem(item).build())).getCode());
    BatchHeader unknown =
        BatchHeader.newBuilder().setContext(Fixtures.context()).setResourceCode("44.nothing").build();
    Status s = rawBatch(List.of(BatchVerifyRequest.newBuilder().setHeader(unknown).build()));
    assertEquals(Status.Code.NOT_FOUND, s.getCode());
    assertTrue(s.getDescription().contains("44.nothing"));
    assertEquals(Status.Code.INVALID_ARGUMENT, rawBatch(List.of()).getCode());
  }

  /** Sends {@code messages} on a BatchVerify stream from Beijing and returns how it ended. */
  private static Status rawBatch(List<BatchVerifyRequest> messages) throws InterruptedException {
    java.util.concurrent.CompletableFuture<Status> end = new java.util.concurrent.CompletableFuture<>();
    io.grpc.stub.StreamObserver<BatchVerifyRequest> requests = bjClient.batchVerify(Fixtures.endingIn(end));
    messages.forEach(requests::onNext);
    requests.onCompleted();
    try {
      return end.get(20, java.util.concurrent.TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void unknownResourceIsNotFound() {
    StatusRuntimeException e =
        assertThrows(
            StatusRuntimeException.class,
            () -> bjClient.verify(request("44.hrss.pension-ledger", "x", ACTIVE_ENROLLED)));
    assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("44.hrss.pension-ledger"));
  }

  @Test
  void malformedPredicatesAreInvalidArgumentNamingTheProblem() {
    String id = subjectWith(Answer.TRUE);
    assertInvalid(cmp("salary", Operator.GT, integer(1)), "has no field \"salary\"", id);
    assertInvalid(cmp("enrolled", Operator.EQ, str("yes")), "field \"enrolled\" is BOOLEAN but the value is a string", id);
    assertInvalid(cmp("status", Operator.IN), "IN needs at least one value", id);
    // The same refusal whether or not the subject has a record: no existence oracle.
    assertInvalid(cmp("salary", Operator.GT, integer(1)), "has no field \"salary\"", "no-such-subject");
  }

  private static void assertInvalid(Predicate p, String fragment, String subject) {
    for (ConsumerClient c : List.of(gdClient, bjClient)) {
      StatusRuntimeException e =
          assertThrows(StatusRuntimeException.class, () -> c.verify(request(GD_HRSS, subject, p)));
      assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
      assertTrue(e.getStatus().getDescription().contains(fragment), e.getStatus().getDescription());
    }
  }

  @Test
  void requestsWithoutPurposeOrCaseAreRefused() {
    VerifyRequest noPurpose =
        request(GD_HRSS, "x", ACTIVE_ENROLLED).toBuilder()
            .setContext(Fixtures.context().toBuilder().clearPurposeCode())
            .build();
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> bjClient.verify(noPurpose));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("purpose_code is empty"));
    VerifyRequest noCase =
        request(GD_HRSS, "x", ACTIVE_ENROLLED).toBuilder()
            .setContext(Fixtures.context().toBuilder().clearCaseReference())
            .build();
    e = assertThrows(StatusRuntimeException.class, () -> bjClient.verify(noCase));
    assertTrue(e.getStatus().getDescription().contains("case_reference is empty"));
  }

  @Test
  void tamperedReceiptsFail() throws Exception {
    VerifyRequest req = request(GD_HRSS, subjectWith(Answer.TRUE), ACTIVE_ENROLLED);
    VerifyResponse resp = bjClient.stub().verify(req);
    ReceiptVerifier verifier = bjClient.receiptVerifier();
    verifier.verify(resp.getReceipt(), req, resp.getAnswer());

    Receipt receipt = resp.getReceipt();
    ReceiptBody body = ReceiptBody.parseFrom(receipt.getBody());
    Receipt flippedAnswer =
        receipt.toBuilder().setBody(body.toBuilder().setAnswer(Answer.FALSE).build().toByteString()).build();
    assertThrows(InvalidReceiptException.class, () -> verifier.verify(flippedAnswer, req, Answer.FALSE));

    byte[] sig = receipt.getSignature().toByteArray();
    sig[sig.length / 2] ^= 1;
    Receipt badSig = receipt.toBuilder().setSignature(com.google.protobuf.ByteString.copyFrom(sig)).build();
    assertThrows(InvalidReceiptException.class, () -> verifier.verify(badSig, req, Answer.TRUE));

    VerifyRequest other = req.toBuilder().setSubjectKey(subjectWith(Answer.FALSE)).build();
    assertThrows(InvalidReceiptException.class, () -> verifier.verify(receipt, other, Answer.TRUE));
    assertThrows(InvalidReceiptException.class, () -> verifier.verify(receipt, req, Answer.FALSE));

    Receipt otherNode =
        receipt.toBuilder().setBody(body.toBuilder().setNodeId("prov-44/dept-psb").build().toByteString()).build();
    assertThrows(InvalidReceiptException.class, () -> verifier.verify(otherNode, req, Answer.TRUE));

    Receipt noChain = receipt.toBuilder().clearSignerChain().build();
    assertThrows(InvalidReceiptException.class, () -> verifier.verify(noChain, req, Answer.TRUE));
  }

  @Test
  void aDepartmentCertificateWorksOnlyAtItsOwnGateway() throws Exception {
    var creds = Fixtures.credentials(layout, GD_CIVIL);
    VerifyRequest req = request(GD_HRSS, subjectWith(Answer.TRUE), ACTIVE_ENROLLED);
    for (NodeId target : List.of(NodeId.NATIONAL, NodeId.parse("prov-11"), NodeId.parse("prov-44/dept-hrss"))) {
      ManagedChannel ch = Fixtures.channel(transport, creds, target, layout.addresses().get(target));
      try {
        StatusRuntimeException e =
            assertThrows(StatusRuntimeException.class, () -> Fixtures.stub(ch).verify(req), "call to " + target);
        assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode(), "call to " + target);
      } finally {
        Fixtures.shutdown(ch);
      }
    }
  }

  @Test
  void aGatewayCannotCallAnotherProvinceDirectly() throws Exception {
    var creds = Fixtures.credentials(layout, NodeId.parse("prov-11"));
    NodeId target = NodeId.parse("prov-44");
    ManagedChannel ch = Fixtures.channel(transport, creds, target, layout.addresses().get(target));
    try {
      Metadata h = new Metadata();
      h.put(SluiceHeaders.CONSUMER, BJ_CIVIL.toString());
      StatusRuntimeException e =
          assertThrows(
              StatusRuntimeException.class,
              () ->
                  Fixtures.stub(ch)
                      .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(h))
                      .verify(request(GD_HRSS, "x", ACTIVE_ENROLLED)));
      assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode());
      assertTrue(e.getStatus().getDescription().contains("through the national hub"));
    } finally {
      Fixtures.shutdown(ch);
    }
  }

  @Test
  void aConsumerNamedInHeadersIsIgnoredUnlessAForwardingNodeSaysIt() throws Exception {
    Metadata h = new Metadata();
    h.put(SluiceHeaders.CONSUMER, "prov-44/dept-psb");
    StatusRuntimeException e =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                gdClient.stub()
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(h))
                    .verify(request(GD_HRSS, "x", ACTIVE_ENROLLED)));
    assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("may not call on behalf of prov-44/dept-psb"));
  }

  @Test
  void theVerifyCommandAsksAndChecksTheReceipt() {
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    String[] args = {
      "verify", "--work", work.toString(), "--as", "prov-11/dept-ca",
      "--resource", GD_HRSS, "--subject", subjectWith(Answer.TRUE),
      "--purpose", "SOCIAL_ASSISTANCE_ELIGIBILITY", "--case", "CLI-1",
      "--predicate", "{\"comparison\":{\"field\":\"enrolled\",\"op\":\"EQ\",\"values\":[{\"boolValue\":true}]}}"
    };
    int code = sluice.nodes.cli.Main.execute(new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true), args);
    assertEquals(0, code, err.toString());
    assertTrue(out.toString().startsWith("TRUE"), out.toString());
    assertTrue(out.toString().contains("signed by prov-44/dept-hrss"), out.toString());

    args[args.length - 1] = "{\"comparison\":{\"field\":\"salary\",\"op\":\"EXISTS\"}}";
    code = sluice.nodes.cli.Main.execute(new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true), args);
    assertEquals(1, code);
    assertTrue(err.toString().contains("INVALID_ARGUMENT") && err.toString().contains("salary"), err.toString());

    args[args.length - 1] = "{\"comparison\":{\"field\":\"enrolled\",\"op\":\"ALMOST\"}}";
    code = sluice.nodes.cli.Main.execute(new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true), args);
    assertEquals(2, code, "a predicate that is not valid JSON for the contract is a usage error");
  }

  @Test
  void theHubLocatesResourcesForGatewaysOnly() throws Exception {
    NodeId hub = NodeId.NATIONAL;
    ManagedChannel asGateway =
        Fixtures.channel(transport, Fixtures.credentials(layout, NodeId.parse("prov-11")), hub, layout.addresses().get(hub));
    ManagedChannel asDepartment =
        Fixtures.channel(transport, Fixtures.credentials(layout, BJ_CIVIL), hub, layout.addresses().get(hub));
    try {
      LocateResourceRequest where = LocateResourceRequest.newBuilder().setResourceCode(GD_HRSS).build();
      ResourceLocation location = FederationServiceGrpc.newBlockingStub(asGateway).locateResource(where);
      assertEquals("prov-44", location.getProvinceNodeId());
      assertEquals("prov-44/dept-hrss", location.getProviderNodeId());
      StatusRuntimeException unknown =
          assertThrows(
              StatusRuntimeException.class,
              () -> FederationServiceGrpc.newBlockingStub(asGateway)
                  .locateResource(where.toBuilder().setResourceCode("99.none").build()));
      assertEquals(Status.Code.NOT_FOUND, unknown.getStatus().getCode());
      StatusRuntimeException denied =
          assertThrows(
              StatusRuntimeException.class,
              () -> FederationServiceGrpc.newBlockingStub(asDepartment).locateResource(where));
      assertEquals(Status.Code.PERMISSION_DENIED, denied.getStatus().getCode());
    } finally {
      Fixtures.shutdown(asGateway);
      Fixtures.shutdown(asDepartment);
    }
  }

  @Test
  void anUnreachableDepartmentIsUnavailableNamingIt() throws Exception {
    NodeId gone = NodeId.parse("prov-65/dept-tax");
    String resource = "3-65-004-001-000001";
    String subject = layout.data().resource(resource).orElseThrow().sampleKeys().get(0);
    federation.stop(gone);
    StatusRuntimeException e =
        assertThrows(
            StatusRuntimeException.class,
            () -> bjClient.verify(request(resource, subject, cmp("uscc", Operator.EXISTS))));
    assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("prov-65/dept-tax"), e.getStatus().getDescription());
    // Everything else keeps working.
    assertEquals(
        Answer.TRUE,
        bjClient.verify(request(GD_HRSS, subjectWith(Answer.TRUE), ACTIVE_ENROLLED)).response().getAnswer());
  }
}
