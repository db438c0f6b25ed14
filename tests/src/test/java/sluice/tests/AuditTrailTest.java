package sluice.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.bench.CatalogRig;
import sluice.catalog.grant.AccessRequest;
import sluice.crypto.NodeId;
import sluice.crypto.Sm3;
import sluice.crypto.merkle.Checkpoint;
import sluice.crypto.merkle.MerkleProofs;
import sluice.crypto.merkle.TreeHash;
import sluice.crypto.note.SignedNote;
import sluice.crypto.note.Sm2NoteKeys;
import sluice.crypto.pki.NodeCredentials;
import sluice.gateway.Gateway;
import sluice.gateway.audit.AuditIndex;
import sluice.gateway.audit.CheckpointWitness;
import sluice.gateway.client.ConsumerClient;
import sluice.v1.AuditEntry;
import sluice.v1.AuditPage;
import sluice.v1.AuditQuery;
import sluice.v1.AuditRecord;
import sluice.v1.AuditServiceGrpc;
import sluice.v1.Decision;
import sluice.v1.FieldAccess;
import sluice.v1.GatewaySide;
import sluice.v1.InclusionProof;
import sluice.v1.InclusionProofRequest;
import sluice.v1.QueryRequest;
import sluice.v1.RequestContext;

/**
 * Every gateway a call passes records it, allowed or refused, before the answer is released:
 * who asked what about whom (as a keyed pseudonym), why, under which grant, which fields left
 * under which mask, and a digest of the answer. Checkpoints are signed and witnessed by the hub,
 * and an auditor proves an entry's inclusion against them.
 */
class AuditTrailTest {
  static final String PURPOSE = "SOCIAL_ASSISTANCE_ELIGIBILITY";
  @TempDir static Path work;
  static CatalogRig rig;
  static ConsumerClient bj;

  @BeforeAll
  static void start() throws Exception {
    rig = new CatalogRig(work, Path.of("../docs/examples/catalogue-entry.yaml"), java.time.Duration.ofMillis(100));
    bj = rig.consumer(Fixtures.DEADLINE);
    AccessRequest r = rig.access.request(CatalogRig.CONSUMER, rig.entry.resourceCode(), List.of("name", "enrolled"),
        List.of(PURPOSE), "《社会救助暂行办法》第十一条", 30, 100, true, Map.of());
    rig.access.approve(r.id(), "张敏", "");
  }

  @AfterAll
  static void stop() throws Exception {
    bj.close();
    rig.close();
  }

  static QueryRequest query(String... fields) {
    return QueryRequest.newBuilder()
        .setContext(RequestContext.newBuilder().setPurposeCode(PURPOSE).setCaseReference("BJ-MZ-2026-77"))
        .setResourceCode(rig.entry.resourceCode())
        .setSubjectKey(rig.subject)
        .addAllFields(List.of(fields))
        .build();
  }

  /** Asks until answered (the grant reaches the gateways asynchronously); returns the request id. */
  static String answeredQuery(String... fields) throws InterruptedException {
    return answeredQueryResponse(fields).getRequestId();
  }

  /** The response the consumer got to a Query for {@code fields}, once it is answered. */
  static sluice.v1.QueryResponse answeredQueryResponse(String... fields) throws InterruptedException {
    return Fixtures.awaitValue(() -> {
      try {
        return bj.query(query(fields)).response();
      } catch (Exception e) {
        return null;
      }
    }, r -> r != null);
  }

  static List<AuditEntry> entries(NodeId gateway, String requestId) throws Exception {
    Gateway g = rig.gateway(gateway);
    assertTrue(g.auditIndex().awaitIndexed(g.auditLog().size(), 10_000), "the index catches up");
    List<AuditEntry> out = new ArrayList<>();
    for (AuditRecord r : g.auditIndex().query(
        new AuditIndex.Filter(0, 0, "", "", "", "", "", "", requestId), AuditIndex.Cursor.START, 100)) {
      out.add(r.getDecoded());
    }
    return out;
  }

  @Test
  void eachGatewayOnTheWayRecordsTheCallWithoutTheSubjectsKey() throws Exception {
    sluice.v1.QueryResponse response = answeredQueryResponse("name", "enrolled");
    String answered = response.getRequestId();
    String pseudonym = rig.auditKey().of(rig.subject);
    Map<NodeId, GatewaySide> sides = Map.of(CatalogRig.BJ, GatewaySide.CONSUMER_SIDE, NodeId.NATIONAL, GatewaySide.TRANSIT,
        CatalogRig.GD, GatewaySide.PROVIDER_SIDE);
    for (Map.Entry<NodeId, GatewaySide> e : sides.entrySet()) {
      List<AuditEntry> found = entries(e.getKey(), answered);
      assertEquals(1, found.size(), e.getKey() + " recorded the call once: " + found);
      AuditEntry entry = found.get(0);
      assertEquals(e.getValue(), entry.getSide());
      assertEquals(Decision.PERMIT, entry.getDecision());
      assertEquals(CatalogRig.CONSUMER.toString(), entry.getConsumerNodeId());
      assertEquals(CatalogRig.PROVIDER.toString(), entry.getProviderNodeId());
      assertEquals("Query", entry.getOperation());
      assertEquals(PURPOSE, entry.getPurposeCode());
      assertEquals("BJ-MZ-2026-77", entry.getCaseReference());
      assertEquals(pseudonym, entry.getSubjectPseudonym(), "an auditor with the audit key finds the subject");
      assertEquals(32, entry.getAnswerDigest().size());
      if (e.getKey().equals(CatalogRig.BJ)) {
        // What the consumer got, its receipt's certificate chain left out, is what its gateway logged.
        assertTrue(response.getReceipt().getSignerChainCount() > 0);
        assertEquals(com.google.protobuf.ByteString.copyFrom(sluice.crypto.Sm3.digest(response.toBuilder()
                .setReceipt(response.getReceipt().toBuilder().clearSignerChain()).build().toByteArray())),
            entry.getAnswerDigest());
      }
      assertFalse(new String(entry.toByteArray(), StandardCharsets.ISO_8859_1).contains(rig.subject),
          "the subject's key is never in the log");
    }
    AuditEntry provider = entries(CatalogRig.GD, answered).get(0);
    assertTrue(provider.getGrantId().startsWith("G-"), provider.toString());
    assertTrue(provider.getCatalogVersion() > 0 && provider.getResourceVersion() > 0, provider.toString());
    assertEquals(List.of("name:NAME_KEEP_SURNAME", "enrolled:CLEAR"),
        provider.getFieldsList().stream().map(f -> f.getName() + ":" + f.getMask()).toList());
  }

  @Test
  void refusedCallsAreRecordedWithTheirReason() throws Exception {
    StatusRuntimeException refused = Fixtures.awaitValue(() -> {
      try {
        bj.query(query("name", "monthly_contribution_base"));
        return null;
      } catch (StatusRuntimeException e) {
        return e;
      } catch (Exception e) {
        return null;
      }
    }, e -> e != null && e.getStatus().getCode() == Status.Code.PERMISSION_DENIED);
    Gateway g = rig.gateway(CatalogRig.BJ);
    assertTrue(g.auditIndex().awaitIndexed(g.auditLog().size(), 10_000));
    List<AuditRecord> denied = g.auditIndex().query(
        new AuditIndex.Filter(0, 0, CatalogRig.CONSUMER.toString(), "", "", "", "DENY", "", ""), AuditIndex.Cursor.START, 1000);
    assertFalse(denied.isEmpty());
    AuditEntry last = denied.get(denied.size() - 1).getDecoded();
    assertEquals("PERMISSION_DENIED", last.getStatus());
    assertEquals(refused.getStatus().getDescription(), last.getReason());
    assertEquals(rig.auditKey().of(rig.subject), last.getSubjectPseudonym());
  }

  @Test
  void checkpointsAreWitnessedByTheHubAndProveEveryEntry() throws Exception {
    answeredQuery("name");
    Gateway gd = rig.gateway(CatalogRig.GD);
    NodeCredentials national = rig.credentials(NodeId.NATIONAL);
    NodeCredentials gdKeys = rig.credentials(CatalogRig.GD);
    SignedNote witnessed = Fixtures.awaitValue(() -> gd.auditLog().witnessedCheckpoint(),
        n -> n != null && Checkpoint.parse(n.text()).size() == gd.auditLog().size());
    witnessed.verify(List.of(Sm2NoteKeys.verifier(CheckpointWitness.NAME, national.signingChain().get(0).getPublicKey())));
    witnessed.verify(List.of(Sm2NoteKeys.verifier(CheckpointWitness.origin(CatalogRig.GD),
        gdKeys.signingChain().get(0).getPublicKey())));
    Checkpoint c = Checkpoint.parse(witnessed.text());

    // The gateway's operator (its own certificate) asks its AuditService for a proof.
    ManagedChannel operator = Fixtures.channel(rig.transport, gdKeys, CatalogRig.GD, rig.layout.addresses().get(CatalogRig.GD));
    ManagedChannel department = Fixtures.channel(rig.transport, rig.credentials(CatalogRig.CONSUMER), CatalogRig.BJ,
        rig.layout.addresses().get(CatalogRig.BJ));
    try {
      AuditServiceGrpc.AuditServiceBlockingStub audit = AuditServiceGrpc.newBlockingStub(operator);
      List<AuditRecord> records = new ArrayList<>();
      audit.queryEntries(AuditQuery.newBuilder().setPageSize(2).build()).forEachRemaining(p -> records.addAll(p.getRecordsList()));
      assertTrue(records.size() >= 1);
      for (int i = 0; i < records.size(); i++) {
        assertEquals(i, records.get(i).getIndex(), "pages follow the log in order");
      }
      long index = c.size() - 1;
      InclusionProof proof = audit.getInclusionProof(
          InclusionProofRequest.newBuilder().setLeafIndex(index).setTreeSize(c.size()).build());
      assertEquals("SM3", proof.getTreeHash(), "a proof names its log's tree hash");
      assertTrue(MerkleProofs.verifyInclusion(TreeHash.SM3, TreeHash.SM3.leaf(proof.getEntry().toByteArray()), index, c.size(),
          proof.getHashesList().stream().map(com.google.protobuf.ByteString::toByteArray).toList(), c.root()));

      StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () ->
          AuditServiceGrpc.newBlockingStub(department).getCheckpoint(sluice.v1.GetCheckpointRequest.getDefaultInstance()));
      assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode());
    } finally {
      operator.shutdownNow();
      department.shutdownNow();
    }
  }

  @Test
  void anExportedLogVerifiesOfflineAndEveryTamperingIsNamed() throws Exception {
    answeredQuery("name");
    StewardServiceTest.Cli cli = new StewardServiceTest.Cli();
    String root = work.toString();
    assertEquals(0, cli.run("audit", "query", "--work", root, "--gateway", "prov-44", "--subject", rig.subject), cli.err());
    assertTrue(cli.out().contains("provider Query prov-11/dept-ca -> prov-44/dept-hrss") && cli.out().contains("PERMIT"),
        cli.out());
    assertEquals(0, cli.run("audit", "prove", "--work", root, "--gateway", "prov-44", "--index", "0"), cli.err());
    assertTrue(cli.out().contains("OK: entry 0 is in the tree of"), cli.out());
    assertEquals(1, cli.run("audit", "checkpoint", "--work", root, "--gateway", "prov-44", "--as", "prov-11"));
    assertTrue(cli.err().contains("PERMISSION_DENIED"), cli.err());

    Path bundle = work.resolve("prov-44.audit");
    String trust = rig.layout.pkiDir().resolve("ca").resolve("root.crt").toString();
    assertEquals(0, cli.run("audit", "export", "--work", root, "--gateway", "prov-44", "--out", bundle.toString()), cli.err());
    assertEquals(0, cli.run("audit", "verify", "--bundle", bundle.toString(), "--trust", trust), cli.err());
    assertTrue(cli.out().startsWith("OK: sluice.audit/prov-44: "), cli.out());

    List<sluice.v1.ExportChunk> chunks = new ArrayList<>();
    try (var in = java.nio.file.Files.newInputStream(bundle)) {
      sluice.v1.ExportChunk c;
      while ((c = sluice.v1.ExportChunk.parseDelimitedFrom(in)) != null) {
        chunks.add(c);
      }
    }
    // Edit entry 0: a denial becomes a permit (or the other way round).
    assertTrue(tampered(cli, chunks, trust, l -> {
      AuditEntry e = parse(l.get(1).getRecord().getEntry());
      l.set(1, record(l.get(1), e.toBuilder().setDecision(e.getDecision() == Decision.PERMIT ? Decision.DENY : Decision.PERMIT)
          .build()));
    }).contains("does not match entries 0.."));
    // Delete entry 0.
    assertTrue(tampered(cli, chunks, trust, l -> l.remove(1)).contains("entry 0 is missing: the bundle starts at entry 1"));
    // Reorder: entries 0 and 1 swap places (each keeping its number).
    assertTrue(tampered(cli, chunks, trust, l -> {
      var a = l.get(1).getRecord().getEntry();
      l.set(1, record(l.get(1), parse(l.get(2).getRecord().getEntry())));
      l.set(2, record(l.get(2), parse(a)));
    }).contains("does not match entries 0.."));
    // Truncate: drop the last entry.
    assertTrue(tampered(cli, chunks, trust, l -> {
      int last = 0;
      for (int i = 0; i < l.size(); i++) {
        if (l.get(i).hasRecord()) {
          last = i;
        }
      }
      l.remove(last);
    }).contains("covers entries the bundle does not hold"));
    // Forge a checkpoint: change its size line but keep the signature.
    String forged = tampered(cli, chunks, trust, l -> {
      int at = l.size() - 1;
      String note = l.get(at).getCheckpoint().getNote();
      String[] lines = note.split("\n", 3);
      l.set(at, sluice.v1.ExportChunk.newBuilder().setCheckpoint(sluice.v1.Checkpoint.newBuilder()
          .setNote(lines[0] + "\n" + (Long.parseLong(lines[1]) - 1) + "\n" + lines[2])).build());
    });
    assertTrue(forged.contains("is not signed by prov-44"), forged);
  }

  @Test
  void aSegmentPastItsRetentionIsArchivedAndStillVerifiesAndProves() throws Exception {
    answeredQuery("name");
    StewardServiceTest.Cli cli = new StewardServiceTest.Cli();
    String root = work.toString();
    String trust = rig.layout.pkiDir().resolve("ca").resolve("root.crt").toString();
    Path bundle = work.resolve("prov-44-before-archive.audit");
    assertEquals(0, cli.run("audit", "export", "--work", root, "--gateway", "prov-44", "--out", bundle.toString()), cli.err());
    sluice.v1.ExportHeader header;
    try (var in = java.nio.file.Files.newInputStream(bundle)) {
      header = sluice.v1.ExportChunk.parseDelimitedFrom(in).getHeader();
    }

    sluice.gateway.audit.AuditLog log = rig.gateway(CatalogRig.GD).auditLog();
    log.seal();
    long sealedAt = log.size();
    answeredQuery("name");
    // 181 days on: the sealed segment is archived; the open one, by then long past a day old, is
    // sealed and (its last entry being as old) archived too.
    log.maintain(java.time.Instant.now().plus(java.time.Duration.ofDays(181)), header);
    long end = log.size();
    Path archiveDir = rig.layout.auditDir(CatalogRig.GD).resolve(sluice.gateway.audit.AuditLog.ARCHIVE);
    List<Path> archives;
    try (var files = java.nio.file.Files.list(archiveDir)) {
      archives = files.sorted().toList();
    }
    assertEquals(2, archives.size(), archives.toString());
    assertTrue(archives.get(0).getFileName().toString().endsWith(String.format("-%020d.bundle.gz", sealedAt)),
        archives.get(0).toString());

    assertEquals(0, cli.run("audit", "verify", "--bundle", archives.get(0).toString(), "--trust", trust), cli.err());
    assertTrue(cli.out().startsWith("OK: sluice.audit/prov-44: " + sealedAt + " entries, 1 checkpoints"), cli.out());
    assertEquals(0, cli.run("audit", "verify", "--bundle", archives.get(1).toString(), "--trust", trust), cli.err());
    assertTrue(cli.out().startsWith("OK: sluice.audit/prov-44: " + (end - sealedAt) + " entries (" + sealedAt + ".."
        + (end - 1) + "), 1 checkpoints"), cli.out());
    assertEquals(0, cli.run("audit", "prove", "--work", root, "--gateway", "prov-44", "--index", "0"), cli.err());
    assertTrue(cli.out().contains("OK: entry 0 is in the tree of"), "an archived entry is still proven: " + cli.out());
    Path after = work.resolve("prov-44-after-archive.audit");
    assertEquals(0, cli.run("audit", "export", "--work", root, "--gateway", "prov-44", "--out", after.toString()), cli.err());
    assertEquals(0, cli.run("audit", "verify", "--bundle", after.toString(), "--trust", trust), cli.err());
  }

  @Test
  void aGatewayThatCannotWriteItsAuditLogAnswersNothing(@TempDir Path own) throws Exception {
    try (CatalogRig broken = new CatalogRig(own, Path.of("../docs/examples/catalogue-entry.yaml"), java.time.Duration.ofMillis(100));
        ConsumerClient client = broken.consumer(Fixtures.DEADLINE)) {
      AccessRequest r = broken.access.request(CatalogRig.CONSUMER, broken.entry.resourceCode(), List.of("name"),
          List.of(PURPOSE), "《社会救助暂行办法》第十一条", 30, 100, true, Map.of());
      broken.access.approve(r.id(), "张敏", "");
      QueryRequest q = query("name").toBuilder().setResourceCode(broken.entry.resourceCode()).setSubjectKey(broken.subject).build();
      Fixtures.await(() -> {
        try {
          return client.query(q).response().getRequestId();
        } catch (Exception e) {
          return "";
        }
      }, id -> !id.isEmpty());
      long before = broken.gateway(CatalogRig.GD).auditLog().size();
      broken.gateway(CatalogRig.GD).auditLog().close();
      StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> client.query(q));
      assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
      assertTrue(e.getStatus().getDescription().contains("prov-44 cannot write its audit log, so it answers nothing"),
          e.getStatus().getDescription());
      assertEquals(before, broken.gateway(CatalogRig.GD).auditLog().size(), "nothing was logged, nothing released");
    }
  }

  static AuditEntry parse(com.google.protobuf.ByteString b) {
    try {
      return AuditEntry.parseFrom(b);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  static sluice.v1.ExportChunk record(sluice.v1.ExportChunk c, AuditEntry e) {
    return sluice.v1.ExportChunk.newBuilder().setRecord(c.getRecord().toBuilder().setEntry(e.toByteString())).build();
  }

  /** Writes {@code chunks} changed by {@code change} and returns what `sluice audit verify` says (it must fail). */
  static String tampered(StewardServiceTest.Cli cli, List<sluice.v1.ExportChunk> chunks, String trust,
      java.util.function.Consumer<List<sluice.v1.ExportChunk>> change) throws Exception {
    List<sluice.v1.ExportChunk> copy = new ArrayList<>(chunks);
    change.accept(copy);
    Path file = java.nio.file.Files.createTempFile(work, "tampered", ".audit");
    try (var out = java.nio.file.Files.newOutputStream(file)) {
      for (var c : copy) {
        c.writeDelimitedTo(out);
      }
    }
    assertEquals(1, cli.run("audit", "verify", "--bundle", file.toString(), "--trust", trust));
    assertTrue(cli.err().startsWith("FAILED: "), cli.err());
    return cli.err();
  }
}
