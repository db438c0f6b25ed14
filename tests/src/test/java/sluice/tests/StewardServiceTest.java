package sluice.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sluice.tests.Fixtures.cmp;

import com.google.rpc.BadRequest;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import sluice.bench.CatalogRig;
import sluice.crypto.NodeId;
import sluice.gateway.NodeAddresses;
import sluice.gateway.NodeChannels;
import sluice.gateway.client.ConsumerClient;
import sluice.v1.AccessRequestView;
import sluice.v1.CatalogChange;
import sluice.v1.CatalogServiceGrpc;
import sluice.v1.CatalogServiceGrpc.CatalogServiceBlockingStub;
import sluice.v1.CatalogueEntryView;
import sluice.v1.DecideAccessRequest;
import sluice.v1.DeprecateResourceRequest;
import sluice.v1.GetResourceRequest;
import sluice.v1.GrantView;
import sluice.v1.ListAccessRequestsRequest;
import sluice.v1.ListGrantsRequest;
import sluice.v1.ListResourcesRequest;
import sluice.v1.ListResourcesResponse;
import sluice.v1.Operator;
import sluice.v1.RegisterResourceRequest;
import sluice.v1.RequestAccessRequest;
import sluice.v1.RequestContext;
import sluice.v1.ResourceHistoryRequest;
import sluice.v1.RevokeGrantRequest;
import sluice.v1.SharingType;
import sluice.v1.UpdateResourceRequest;
import sluice.v1.VerifyRequest;
import sluice.v1.WatchChangesRequest;

/**
 * Stewards work through CatalogService at their own provincial gateway, which forwards to the
 * hub: registering and changing entries of their own department only, deciding access to their
 * own resources only. A grant approved this way answers calls in another province, and its
 * revocation is refused there shortly after, with every change streamed to those concerned.
 */
class StewardServiceTest {
  static final String PURPOSE = "SOCIAL_ASSISTANCE_ELIGIBILITY";
  static final NodeId HRSS = CatalogRig.PROVIDER;
  static final NodeId GD_PSB = NodeId.parse("prov-44/dept-psb");
  static final NodeId BJ_CIVIL = CatalogRig.CONSUMER;

  @TempDir static Path work;
  static CatalogRig rig;
  static String exampleYaml;

  @BeforeAll
  static void start() throws Exception {
    Path example = Path.of("../docs/examples/catalogue-entry.yaml");
    rig = new CatalogRig(work, example, Duration.ofSeconds(30));
    exampleYaml = Files.readString(example);
  }

  @AfterAll
  static void stop() throws Exception {
    rig.close();
  }

  /** Runs {@code body} with a CatalogService stub for {@code department} at its own gateway. */
  static <T> T as(NodeId department, StubCall<T> body) throws Exception {
    try (NodeChannels channels =
        new NodeChannels(rig.credentials(department), NodeAddresses.single(rig.layout.addresses()), rig.transport)) {
      return body.call(
          CatalogServiceGrpc.newBlockingStub(channels.to(department.gateway().orElseThrow()))
              .withDeadlineAfter(20, TimeUnit.SECONDS));
    }
  }

  interface StubCall<T> {
    T call(CatalogServiceBlockingStub stub) throws Exception;
  }

  static Status refusal(Executable call) {
    return assertThrows(StatusRuntimeException.class, call).getStatus();
  }

  static String entryWithCode(String code) {
    return exampleYaml.replace("resourceCode: 3-44-002-001-000001", "resourceCode: " + code);
  }

  @Test
  void stewardsRegisterAndChangeOnlyTheirOwnDepartmentsEntries() throws Exception {
    String code = "3-44-002-001-000002";
    CatalogueEntryView v1 = as(HRSS, s -> s.registerResource(
        RegisterResourceRequest.newBuilder().setDocument(entryWithCode(code)).build()));
    assertEquals(code, v1.getResourceCode());
    assertEquals(1, v1.getVersion());
    assertEquals("prov-44/dept-hrss", v1.getProviderNodeId());
    assertEquals(SharingType.CONDITIONAL, v1.getSharingType());
    assertEquals("L4", v1.getLevel());
    assertTrue(v1.getDocumentJson().contains("\"resourceCode\":\"" + code + "\""), v1.getDocumentJson());

    // Anyone in the federation reads it, through their own gateway.
    CatalogueEntryView seen = as(BJ_CIVIL, s -> s.getResource(GetResourceRequest.newBuilder().setResourceCode(code).build()));
    assertEquals(v1, seen);

    // Another department of the same province may not register or change hrss's resources.
    Status s = refusal(() -> as(GD_PSB, st -> st.registerResource(
        RegisterResourceRequest.newBuilder().setDocument(entryWithCode("3-44-002-001-000003")).build())));
    assertEquals(Status.Code.PERMISSION_DENIED, s.getCode());
    assertEquals("prov-44/dept-psb may not register resource 3-44-002-001-000003: only its provider"
        + " prov-44/dept-hrss may", s.getDescription());
    s = refusal(() -> as(GD_PSB, st -> st.deprecateResource(
        DeprecateResourceRequest.newBuilder().setResourceCode(code).setSunsetOn("2027-06-30").build())));
    assertEquals(Status.Code.PERMISSION_DENIED, s.getCode());

    // Registering twice, and an update made to an old version, are refused with what to do.
    s = refusal(() -> as(HRSS, st -> st.registerResource(
        RegisterResourceRequest.newBuilder().setDocument(entryWithCode(code)).build())));
    assertEquals(Status.Code.ALREADY_EXISTS, s.getCode());
    String renamed = entryWithCode(code).replace("name: 广东省社会保险参保信息", "name: 广东省社会保险参保信息（新）");
    CatalogueEntryView v2 = as(HRSS, st -> st.updateResource(
        UpdateResourceRequest.newBuilder().setDocument(renamed).setBasedOnVersion(1).build()));
    assertEquals(2, v2.getVersion());
    s = refusal(() -> as(HRSS, st -> st.updateResource(
        UpdateResourceRequest.newBuilder().setDocument(renamed).setBasedOnVersion(1).build())));
    assertEquals(Status.Code.ABORTED, s.getCode());
    assertTrue(s.getDescription().contains("is at version 2 but the change was made to version 1"), s.getDescription());

    CatalogueEntryView v3 = as(HRSS, st -> st.deprecateResource(
        DeprecateResourceRequest.newBuilder().setResourceCode(code).setSunsetOn("2027-06-30").build()));
    assertEquals("DEPRECATED", v3.getStatus());
    assertEquals("2027-06-30", v3.getSunsetOn());
    ListResourcesResponse history = as(BJ_CIVIL, st -> st.resourceHistory(
        ResourceHistoryRequest.newBuilder().setResourceCode(code).build()));
    assertEquals(List.of(1, 2, 3), history.getResourcesList().stream().map(CatalogueEntryView::getVersion).toList());
    assertEquals(v1, as(BJ_CIVIL, st -> st.getResource(
        GetResourceRequest.newBuilder().setResourceCode(code).setVersion(1).build())), "old versions stay readable");

    // A deprecated resource takes no new requests.
    s = refusal(() -> as(BJ_CIVIL, st -> st.requestAccess(request(code))));
    assertEquals(Status.Code.INVALID_ARGUMENT, s.getCode());
    assertTrue(s.getDescription().contains("is deprecated and takes no new grants"), s.getDescription());
  }

  @Test
  void anInvalidEntryIsRefusedWithEveryProblemAtItsPath() throws Exception {
    String bad = entryWithCode("3-44-002-001-00000X").replace("semanticType: CN_ID_CARD", "semanticType: IDCARD");
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> as(HRSS, st -> st.registerResource(
        RegisterResourceRequest.newBuilder().setDocument(bad).build())));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    BadRequest details = StatusProto.fromThrowable(e).getDetails(0).unpack(BadRequest.class);
    List<String> paths = details.getFieldViolationsList().stream().map(BadRequest.FieldViolation::getField).toList();
    assertTrue(paths.contains("resourceCode"), paths.toString());
    assertTrue(paths.contains("fields[0].semanticType"), paths.toString());
    assertTrue(e.getStatus().getDescription().contains("fields[0].semanticType: unknown value \"IDCARD\""),
        e.getStatus().getDescription());

    Status s = refusal(() -> as(HRSS, st -> st.registerResource(RegisterResourceRequest.getDefaultInstance())));
    assertEquals(Status.Code.INVALID_ARGUMENT, s.getCode());
    assertEquals("document: send the catalogue entry, in YAML or JSON", s.getDescription());
  }

  @Test
  void listingPagesThroughTheCatalogueInCodeOrder() throws Exception {
    for (String code : List.of("3-44-002-002-000001", "3-44-002-002-000002", "3-44-002-002-000003")) {
      as(HRSS, st -> st.registerResource(RegisterResourceRequest.newBuilder().setDocument(entryWithCode(code)).build()));
    }
    ListResourcesResponse first = as(BJ_CIVIL, st -> st.listResources(
        ListResourcesRequest.newBuilder().setProviderPrefix("prov-44").setStatus("ACTIVE").setPageSize(2).build()));
    assertEquals(2, first.getResourcesCount());
    assertFalse(first.getNextPageToken().isEmpty());
    ListResourcesResponse rest = as(BJ_CIVIL, st -> st.listResources(ListResourcesRequest.newBuilder()
        .setProviderPrefix("prov-44").setStatus("ACTIVE").setPageSize(1000).setPageToken(first.getNextPageToken()).build()));
    List<String> codes = new java.util.ArrayList<>();
    first.getResourcesList().forEach(r -> codes.add(r.getResourceCode()));
    rest.getResourcesList().forEach(r -> codes.add(r.getResourceCode()));
    assertEquals(codes.stream().sorted().distinct().toList(), codes, "in order, none twice");
    assertTrue(codes.containsAll(List.of("3-44-002-001-000001", "3-44-002-002-000001", "3-44-002-002-000003")), codes.toString());
    assertTrue(rest.getNextPageToken().isEmpty());
    assertTrue(as(BJ_CIVIL, st -> st.listResources(
        ListResourcesRequest.newBuilder().setProviderPrefix("prov-11").build())).getResourcesList().isEmpty());
    assertEquals(Status.Code.INVALID_ARGUMENT, refusal(() -> as(BJ_CIVIL, st -> st.listResources(
        ListResourcesRequest.newBuilder().setStatus("RETIRED").build()))).getCode());
  }

  @Test
  void aDepartmentMayUseOnlyItsOwnProvincesGateway() throws Exception {
    try (NodeChannels channels =
        new NodeChannels(rig.credentials(BJ_CIVIL), NodeAddresses.single(rig.layout.addresses()), rig.transport)) {
      Status s = refusal(() -> CatalogServiceGrpc.newBlockingStub(channels.to(CatalogRig.GD))
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .getResource(GetResourceRequest.newBuilder().setResourceCode(rig.entry.resourceCode()).build()));
      assertEquals(Status.Code.PERMISSION_DENIED, s.getCode());
      assertTrue(s.getDescription().contains("prov-11/dept-ca must call prov-11"), s.getDescription());
    }
  }

  @Test
  void requestApproveCallRevokeRefusedAcrossProvincesWithChangesStreamed() throws Exception {
    String code = rig.entry.resourceCode();
    BlockingQueue<CatalogChange> changes = new LinkedBlockingQueue<>();
    try (NodeChannels channels =
            new NodeChannels(rig.credentials(BJ_CIVIL), NodeAddresses.single(rig.layout.addresses()), rig.transport);
        ConsumerClient client = rig.consumer(Fixtures.DEADLINE)) {
      Context.CancellableContext watching = Context.current().withCancellation();
      watching.run(() -> CatalogServiceGrpc.newStub(channels.to(CatalogRig.BJ))
          .watchChanges(WatchChangesRequest.getDefaultInstance(), collect(changes)));
      CatalogChange opening = changes.poll(20, TimeUnit.SECONDS);
      assertTrue(opening != null && opening.getSnapshotVersion() > 0, "the stream opens with the current snapshot");

      AccessRequestView filed = as(BJ_CIVIL, s -> s.requestAccess(request(code)));
      assertEquals("PENDING", filed.getStatus());
      assertEquals("prov-11/dept-ca", filed.getConsumerNodeId());

      // The consumer cannot approve its own request; the provider's steward can.
      Status s = refusal(() -> as(BJ_CIVIL, st -> st.decideAccess(decide(filed.getRequestId(), true, ""))));
      assertEquals(Status.Code.PERMISSION_DENIED, s.getCode());
      assertEquals("prov-11/dept-ca may not approve resource " + code + ": only its provider prov-44/dept-hrss may",
          s.getDescription());
      assertEquals(List.of(filed.getRequestId()), as(HRSS, st -> st.listAccessRequests(
          ListAccessRequestsRequest.newBuilder().setStatus("PENDING").build())).getRequestsList().stream()
          .map(AccessRequestView::getRequestId).toList());
      assertTrue(as(GD_PSB, st -> st.listAccessRequests(ListAccessRequestsRequest.getDefaultInstance()))
          .getRequestsList().isEmpty(), "a department neither consumer nor provider sees nothing");

      AccessRequestView approved = as(HRSS, st -> st.decideAccess(decide(filed.getRequestId(), true, "dibao review")));
      assertEquals("APPROVED", approved.getStatus());
      assertEquals("prov-44/dept-hrss (张敏)", approved.getDecidedBy());
      String grantId = approved.getGrantId();
      assertEquals(Status.Code.FAILED_PRECONDITION, refusal(() -> as(HRSS, st -> st.decideAccess(
          decide(filed.getRequestId(), false, "changed my mind")))).getCode());

      VerifyRequest question = VerifyRequest.newBuilder()
          .setContext(RequestContext.newBuilder().setPurposeCode(PURPOSE).setCaseReference("BJ-MZ-2026-21"))
          .setResourceCode(code).setSubjectKey(rig.subject)
          .setPredicate(cmp("enrolled", Operator.EQ, Fixtures.bool(true))).build();
      Fixtures.awaitOutcome(client, question, o -> o.startsWith("ANSWER"));
      CatalogChange issued = awaitChange(changes, c -> c.getGrantsList().stream().anyMatch(g -> g.getGrantId().equals(grantId)));
      assertTrue(issued.getGrants(0).getRevokedAt().isEmpty());

      assertEquals(List.of(grantId), as(BJ_CIVIL, st -> st.listGrants(
          ListGrantsRequest.newBuilder().setResourceCodePrefix(code).setInForceOnly(true).build()))
          .getGrantsList().stream().map(GrantView::getGrantId).toList());
      assertEquals(Status.Code.PERMISSION_DENIED, refusal(() -> as(BJ_CIVIL, st -> st.revokeGrant(
          RevokeGrantRequest.newBuilder().setGrantId(grantId).setReason("no").build()))).getCode());

      GrantView revoked = as(HRSS, st -> st.revokeGrant(
          RevokeGrantRequest.newBuilder().setGrantId(grantId).setReason("case closed").build()));
      assertFalse(revoked.getRevokedAt().isEmpty());
      String refused = Fixtures.awaitOutcome(client, question, o -> o.contains("was revoked"));
      assertTrue(refused.startsWith("PERMISSION_DENIED"), refused);
      CatalogChange gone = awaitChange(changes,
          c -> c.getGrantsList().stream().anyMatch(g -> g.getGrantId().equals(grantId) && !g.getRevokedAt().isEmpty()));
      assertEquals("case closed", gone.getGrantsList().stream()
          .filter(g -> g.getGrantId().equals(grantId)).findFirst().orElseThrow().getRevocationReason());
      watching.cancel(null);
    }
  }

  @Test
  void theStewardCliGoesThroughTheDepartmentsGateway() throws Exception {
    String code = "3-44-002-003-000001";
    Path entry = work.resolve("cli-entry.yaml");
    Files.writeString(entry, entryWithCode(code));
    String root = rig.layout.workDir().toString();
    Cli cli = new Cli();
    assertEquals(0, cli.run("catalog", "register", entry.toString(), "--work", root, "--as", "prov-44/dept-hrss"), cli.err());
    assertTrue(cli.out().contains("registered " + code + " v1"), cli.out());
    assertEquals(1, cli.run("catalog", "register", entry.toString(), "--work", root, "--as", "prov-44/dept-psb"));
    assertTrue(cli.err().contains("PERMISSION_DENIED: prov-44/dept-psb may not register resource " + code), cli.err());
    assertEquals(0, cli.run("catalog", "show", code, "--work", root, "--as", "prov-11/dept-ca"), cli.err());
    assertTrue(cli.out().contains("provider   广东省人力资源和社会保障厅 (11440000006939860F), node prov-44/dept-hrss"), cli.out());

    assertEquals(0, cli.run("access", "request", code, "--work", root, "--as", "prov-11/dept-ca", "--fields", "enrolled",
        "--purposes", PURPOSE, "--legal-basis", "社会救助暂行办法 第十一条", "--days", "30", "--daily", "50"), cli.err());
    java.util.regex.Matcher filed = java.util.regex.Pattern.compile("filed (AR-[0-9a-f]+)").matcher(cli.out());
    assertTrue(filed.find(), cli.out());
    assertEquals(1, cli.run("access", "approve", filed.group(1), "--steward", "李四", "--work", root, "--as", "prov-11/dept-ca"));
    assertTrue(cli.err().contains("PERMISSION_DENIED"), cli.err());
    assertEquals(0, cli.run("access", "approve", filed.group(1), "--steward", "张敏", "--work", root, "--as", "prov-44/dept-hrss"),
        cli.err());
    assertTrue(cli.out().matches("(?s).*grant G-[0-9a-f]+ until .*, 50 subjects/day.*"), cli.out());
    assertEquals(0, cli.run("access", "list", "--resource", code, "--work", root, "--as", "prov-11/dept-ca"), cli.err());
    assertTrue(cli.out().contains("APPROVED prov-11/dept-ca -> " + code) && cli.out().contains("ISSUED   prov-11/dept-ca"),
        cli.out());
  }

  /** The {@code sluice} command line, run in this process, with its output kept. */
  static final class Cli {
    private java.io.StringWriter out = new java.io.StringWriter();
    private java.io.StringWriter err = new java.io.StringWriter();

    int run(String... args) {
      out = new java.io.StringWriter();
      err = new java.io.StringWriter();
      return sluice.nodes.cli.Main.execute(new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true), args);
    }

    String out() {
      return out.toString();
    }

    String err() {
      return err.toString();
    }
  }

  static RequestAccessRequest request(String code) {
    return RequestAccessRequest.newBuilder()
        .setResourceCode(code).addFields("enrolled").addPurposes(PURPOSE)
        .setLegalBasis("《社会救助暂行办法》第十一条").setDurationDays(30).setExpectedDailyVolume(100).build();
  }

  static DecideAccessRequest decide(String id, boolean approve, String reason) {
    return DecideAccessRequest.newBuilder().setRequestId(id).setApprove(approve).setReason(reason)
        .setSteward("张敏").build();
  }

  static StreamObserver<CatalogChange> collect(BlockingQueue<CatalogChange> into) {
    return new StreamObserver<>() {
      @Override
      public void onNext(CatalogChange value) {
        into.add(value);
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {}
    };
  }

  static CatalogChange awaitChange(BlockingQueue<CatalogChange> changes, Predicate<CatalogChange> wanted)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      CatalogChange c = changes.poll(1, TimeUnit.SECONDS);
      if (c != null && wanted.test(c)) {
        return c;
      }
    }
    throw new AssertionError("the change never came");
  }
}
