package sluice.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.bench.CatalogRig;
import sluice.catalog.grant.AccessRequest;
import sluice.crypto.NodeId;
import sluice.crypto.merkle.Checkpoint;
import sluice.crypto.merkle.MerkleProofs;
import sluice.crypto.merkle.TreeHash;
import sluice.crypto.note.SignedNote;
import sluice.crypto.note.Sm2NoteKeys;
import sluice.gateway.Gateway;
import sluice.gateway.audit.AuditLogSettings;
import sluice.gateway.audit.CheckpointWitness;
import sluice.gateway.client.ConsumerClient;
import sluice.v1.AuditServiceGrpc;
import sluice.v1.InclusionProof;
import sluice.v1.InclusionProofRequest;
import sluice.v1.QueryRequest;
import sluice.v1.RequestContext;

/**
 * A gateway that keeps its audit log's Merkle tree in SHA-256 (for outside verifiers without
 * SM3) beside gateways in SM3: the hub witnesses its checkpoints in SHA-256, the AuditService
 * proves its entries in SHA-256 and says so, and the CLI exports, verifies and proves them.
 */
class Sha256AuditTrailTest {
  @TempDir Path work;

  @Test
  void aSha256GatewayIsWitnessedProvenExportedAndVerifiedLikeAnSm3One() throws Exception {
    try (CatalogRig rig = new CatalogRig(work, Path.of("../docs/examples/catalogue-entry.yaml"),
            java.time.Duration.ofMillis(100), AuditLogSettings.defaults().withHash(TreeHash.SHA256));
        ConsumerClient bj = rig.consumer(Fixtures.DEADLINE)) {
      AccessRequest r = rig.access.request(CatalogRig.CONSUMER, rig.entry.resourceCode(), List.of("name"),
          List.of(AuditTrailTest.PURPOSE), "《社会救助暂行办法》第十一条", 30, 100, true, Map.of());
      rig.access.approve(r.id(), "张敏", "");
      QueryRequest q = QueryRequest.newBuilder()
          .setContext(RequestContext.newBuilder().setPurposeCode(AuditTrailTest.PURPOSE).setCaseReference("BJ-MZ-2026-78"))
          .setResourceCode(rig.entry.resourceCode()).setSubjectKey(rig.subject).addFields("name").build();
      Fixtures.await(() -> {
        try {
          return bj.query(q).response().getRequestId();
        } catch (Exception e) {
          return "";
        }
      }, id -> !id.isEmpty());

      Gateway gd = rig.gateway(CatalogRig.GD);
      assertEquals(TreeHash.SHA256, gd.auditLog().hash());
      assertEquals(TreeHash.SM3, rig.gateway(CatalogRig.BJ).auditLog().hash(), "the other gateways keep SM3");
      SignedNote witnessed = Fixtures.awaitValue(() -> gd.auditLog().witnessedCheckpoint(),
          n -> n != null && Checkpoint.parse(n.text()).size() == gd.auditLog().size());
      witnessed.verify(List.of(Sm2NoteKeys.verifier(CheckpointWitness.NAME,
          rig.credentials(NodeId.NATIONAL).signingChain().get(0).getPublicKey())));
      Path hubRecord = rig.layout.auditDir(NodeId.NATIONAL).resolve("witnessed")
          .resolve(CatalogRig.GD.fileName() + ".treehash");
      Checkpoint c = Checkpoint.parse(witnessed.text());

      ManagedChannel operator = Fixtures.channel(rig.transport, rig.credentials(CatalogRig.GD), CatalogRig.GD,
          rig.layout.addresses().get(CatalogRig.GD));
      try {
        long index = c.size() - 1;
        InclusionProof proof = AuditServiceGrpc.newBlockingStub(operator).getInclusionProof(
            InclusionProofRequest.newBuilder().setLeafIndex(index).setTreeSize(c.size()).build());
        assertEquals("SHA256", proof.getTreeHash());
        List<byte[]> path = proof.getHashesList().stream().map(ByteString::toByteArray).toList();
        byte[] entry = proof.getEntry().toByteArray();
        assertTrue(MerkleProofs.verifyInclusion(TreeHash.SHA256, TreeHash.SHA256.leaf(entry), index, c.size(), path, c.root()));
        assertEquals(32, c.root().length);
        assertFalse(MerkleProofs.verifyInclusion(TreeHash.SM3, TreeHash.SM3.leaf(entry), index, c.size(), path, c.root()),
            "the same proof read as SM3 fails: the tree really is SHA-256");
      } finally {
        operator.shutdownNow();
      }
      assertEquals("SHA256", Files.readString(hubRecord).strip(), "the hub records the hash prov-44's log uses");

      StewardServiceTest.Cli cli = new StewardServiceTest.Cli();
      String trust = rig.layout.pkiDir().resolve("ca").resolve("root.crt").toString();
      Path bundle = work.resolve("prov-44.audit");
      assertEquals(0, cli.run("audit", "export", "--work", work.toString(), "--gateway", "prov-44", "--out", bundle.toString()),
          cli.err());
      assertEquals(0, cli.run("audit", "verify", "--bundle", bundle.toString(), "--trust", trust), cli.err());
      assertTrue(cli.out().startsWith("OK: sluice.audit/prov-44: "), cli.out());
      assertEquals(0, cli.run("audit", "prove", "--work", work.toString(), "--gateway", "prov-44", "--index", "0"), cli.err());
      assertTrue(cli.out().contains("OK: entry 0 is in the tree of"), cli.out());
    }
  }
}
