package sluice.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.bench.CatalogRig;
import sluice.catalog.grant.AccessRequest;
import sluice.crypto.NodeId;
import sluice.gateway.client.ConsumerClient;
import sluice.v1.Answer;
import sluice.v1.FieldValue;
import sluice.v1.QueryRequest;
import sluice.v1.RequestContext;

/**
 * Query across provinces and within one: only a grant that allows reading lets fields out, each
 * masked inside the provider's department as its gateway orders, with a receipt covering every
 * field; keyed pseudonyms differ between consumers, so their results cannot be joined.
 */
class QueryTest {
  static final String PURPOSE = "SOCIAL_ASSISTANCE_ELIGIBILITY";
  static final NodeId GD_CIVIL = NodeId.parse("prov-44/dept-ca");

  @TempDir static Path work;
  static CatalogRig rig;
  static ConsumerClient bj;
  static ConsumerClient gd;

  @BeforeAll
  static void start() throws Exception {
    // The example entry, with the citizen ID readable as a keyed pseudonym.
    Path entry = work.resolve("entry.yaml");
    Files.writeString(entry, Files.readString(Path.of("../docs/examples/catalogue-entry.yaml"))
        .replace("    defaultMask: VERIFY_ONLY\n    allowedMasks: [VERIFY_ONLY, ID_KEEP_6_4, GENERALISE_ID, PSEUDONYM]",
            "    defaultMask: PSEUDONYM\n    allowedMasks: [VERIFY_ONLY, ID_KEEP_6_4, GENERALISE_ID, PSEUDONYM]"));
    rig = new CatalogRig(work.resolve("fed"), entry, java.time.Duration.ofMillis(100));
    bj = rig.consumer(Fixtures.DEADLINE);
    gd = new ConsumerClient(rig.credentials(GD_CIVIL), rig.layout.addresses().get(CatalogRig.GD), rig.transport,
        Fixtures.DEADLINE);
  }

  @AfterAll
  static void stop() throws Exception {
    bj.close();
    gd.close();
    rig.close();
  }

  static QueryRequest query(String subject, String... fields) {
    return QueryRequest.newBuilder()
        .setContext(RequestContext.newBuilder().setPurposeCode(PURPOSE).setCaseReference("BJ-MZ-2026-77"))
        .setResourceCode(rig.entry.resourceCode())
        .setSubjectKey(subject)
        .addAllFields(List.of(fields))
        .build();
  }

  static void grant(NodeId consumer, boolean query, String... fields) throws Exception {
    AccessRequest r = rig.access.request(consumer, rig.entry.resourceCode(), List.of(fields), List.of(PURPOSE),
        "《社会救助暂行办法》第十一条", 30, 100, query, Map.of());
    rig.access.approve(r.id(), "张敏", "");
  }

  static String outcome(ConsumerClient client, QueryRequest q) {
    try {
      ConsumerClient.Queried r = client.query(q);
      return "ANSWER " + r.response().getAnswer() + " " + r.response().getFieldsList().stream()
          .map(f -> f.getName() + "=" + f.getValue()).collect(Collectors.joining(","));
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode() + " " + e.getStatus().getDescription();
    } catch (Exception e) {
      return "ERROR " + e;
    }
  }

  static String awaitQuery(ConsumerClient client, QueryRequest q, java.util.function.Predicate<String> done)
      throws InterruptedException {
    return Fixtures.await(() -> outcome(client, q), done);
  }


  @Test
  void onlyAGrantThatAllowsReadingLetsMaskedFieldsOut() throws Exception {
    QueryRequest q = query(rig.subject, "id_number", "name", "enrolled");
    grant(CatalogRig.CONSUMER, false, "id_number", "name", "enrolled");
    String refused = awaitQuery(bj, q, o -> o.contains("allows asking (Verify) only"));
    assertTrue(refused.startsWith("PERMISSION_DENIED prov-11 refused: grant G-"), refused);

    grant(CatalogRig.CONSUMER, true, "id_number", "name", "enrolled");
    awaitQuery(bj, q, o -> o.startsWith("ANSWER"));
    ConsumerClient.Queried r = bj.query(q);
    assertEquals(Answer.TRUE, r.response().getAnswer());
    Map<String, FieldValue> got = r.response().getFieldsList().stream()
        .collect(Collectors.toMap(FieldValue::getName, f -> f));
    assertEquals(List.of("id_number", "name", "enrolled"),
        r.response().getFieldsList().stream().map(FieldValue::getName).toList());
    assertTrue(got.get("id_number").getValue().matches("[0-9a-f]{32}"), got.toString());
    assertEquals("PSEUDONYM", got.get("id_number").getMask());
    assertEquals("prov-44/dept-hrss#1:prov-11/dept-ca", got.get("id_number").getKeyId());
    assertTrue(got.get("name").getValue().matches("\\S\\*+"), got.get("name").getValue());
    assertEquals("NAME_KEEP_SURNAME", got.get("name").getMask());
    assertTrue(List.of("true", "false").contains(got.get("enrolled").getValue()), got.toString());
    assertEquals("CLEAR", got.get("enrolled").getMask());
    assertEquals(3, r.receipt().getFieldDigestsCount(), "the receipt covers every field");
    assertEquals("prov-44/dept-hrss", r.receipt().getNodeId());
    assertTrue(!got.get("id_number").getValue().contains(rig.subject), "the citizen ID never leaves");
    sluice.gateway.Gateway provider = rig.gateway(CatalogRig.GD);
    assertTrue(provider.auditIndex().awaitIndexed(provider.auditLog().size(), 10_000));
    sluice.v1.AuditEntry audited = provider.auditIndex().query(new sluice.gateway.audit.AuditIndex.Filter(
        0, 0, "", "", "", "", "", "", r.response().getRequestId()), sluice.gateway.audit.AuditIndex.Cursor.START, 10).get(0).getDecoded();
    assertEquals("id_number:PSEUDONYM:prov-44/dept-hrss#1:prov-11/dept-ca", audited.getFieldsList().stream()
        .filter(f -> f.getName().equals("id_number")).map(f -> f.getName() + ":" + f.getMask() + ":" + f.getKeyId())
        .findFirst().orElseThrow(), "the key each keyed mask used is recorded");

    assertEquals("ANSWER NO_RECORD ", outcome(bj, query("11010519491231002X", "name", "enrolled")));
  }

  @Test
  void fieldsThatMayOnlyBeAskedAboutOrAreNotGrantedAreRefused() throws Exception {
    grant(CatalogRig.CONSUMER, true, "name", "monthly_contribution_base");
    QueryRequest verifyOnly = query(rig.subject, "monthly_contribution_base");
    String refused = awaitQuery(bj, verifyOnly, o -> o.contains("never read"));
    assertTrue(refused.startsWith("PERMISSION_DENIED prov-11 refused: field monthly_contribution_base of resource "
        + rig.entry.resourceCode() + " may only be asked about (Verify), never read under grant G-"), refused);

    StatusRuntimeException twice = assertThrows(StatusRuntimeException.class,
        () -> bj.query(query(rig.subject, "name", "name")));
    assertEquals(Status.Code.INVALID_ARGUMENT, twice.getStatus().getCode());
    assertEquals("fields[1]: \"name\" is named twice", twice.getStatus().getDescription());
    assertEquals(Status.Code.INVALID_ARGUMENT,
        assertThrows(StatusRuntimeException.class, () -> bj.query(query(rig.subject))).getStatus().getCode());
  }

  @Test
  void twoConsumersGetPseudonymsThatCannotBeJoined() throws Exception {
    grant(CatalogRig.CONSUMER, true, "id_number", "enrolled");
    grant(GD_CIVIL, true, "id_number", "enrolled");
    QueryRequest q = query(rig.subject, "id_number");
    String fromBj = awaitQuery(bj, q, o -> o.startsWith("ANSWER TRUE"));
    String fromGd = awaitQuery(gd, q, o -> o.startsWith("ANSWER TRUE"));
    assertNotEquals(fromBj, fromGd, "each consumer's key gives its own pseudonym");
    assertEquals(fromBj, outcome(bj, q), "and the same one each time");
  }

  @Test
  void aGrantLimitedToTheConsumersProvinceReachesOnlyItsRecords() throws Exception {
    NodeId bjPsb = NodeId.parse("prov-11/dept-psb");
    AccessRequest r = rig.access.request(bjPsb, rig.entry.resourceCode(), List.of("name", "enrolled"),
        List.of(PURPOSE), "《社会救助暂行办法》第十一条", 30, 100, true, Map.of());
    rig.access.approve(r.id(), "张敏", "Beijing residents only", "id_number");
    var rows = sluice.nodes.data.CsvTables.read(
        rig.layout.data().resource(rig.entry.resourceCode()).orElseThrow().csvFile());
    int idColumn = rows.header().indexOf("id_number");
    String beijinger = rows.rows().stream().map(row -> row.get(idColumn)).filter(id -> id.startsWith("11"))
        .findFirst().orElseThrow();
    String cantonese = rows.rows().stream().map(row -> row.get(idColumn)).filter(id -> id.startsWith("44"))
        .findFirst().orElseThrow();
    try (ConsumerClient psb = new ConsumerClient(rig.credentials(bjPsb), rig.layout.addresses().get(CatalogRig.BJ),
        rig.transport, Fixtures.DEADLINE)) {
      String inScope = awaitQuery(psb, query(beijinger, "name", "enrolled"), o -> o.startsWith("ANSWER"));
      assertTrue(inScope.startsWith("ANSWER TRUE name="), inScope);
      assertEquals("ANSWER NO_RECORD ", outcome(psb, query(cantonese, "name", "enrolled")),
          "a Guangdong resident's record is out of the grant's reach");
      sluice.v1.VerifyRequest.Builder ask = sluice.v1.VerifyRequest.newBuilder()
          .setContext(RequestContext.newBuilder().setPurposeCode(PURPOSE).setCaseReference("BJ-GA-2026-3"))
          .setResourceCode(rig.entry.resourceCode())
          .setPredicate(Fixtures.cmp("enrolled", sluice.v1.Operator.EXISTS));
      assertEquals(Answer.NO_RECORD, psb.verify(ask.setSubjectKey(cantonese).build()).response().getAnswer(),
          "Verify is limited the same way");
      assertEquals(Answer.TRUE, psb.verify(ask.setSubjectKey(beijinger).build()).response().getAnswer());
      sluice.gateway.client.BatchResult batch = psb.batchVerify(
          sluice.v1.BatchHeader.newBuilder().setContext(ask.getContext()).setResourceCode(rig.entry.resourceCode()).build(),
          List.of(
              sluice.v1.BatchItem.newBuilder().setSeq(1).setSubjectKey(cantonese).setPredicate(ask.getPredicate()).build(),
              sluice.v1.BatchItem.newBuilder().setSeq(2).setSubjectKey(beijinger).setPredicate(ask.getPredicate()).build()));
      Map<Long, Answer> answers = batch.responses().stream()
          .collect(Collectors.toMap(sluice.v1.BatchVerifyResponse::getSeq, sluice.v1.BatchVerifyResponse::getAnswer));
      assertEquals(Map.of(1L, Answer.NO_RECORD, 2L, Answer.TRUE), answers, "and so is BatchVerify");
    }
  }
}
